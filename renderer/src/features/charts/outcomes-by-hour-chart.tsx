import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApiInput, ApiOutput } from '../../../../electron/contract/api-contract.js';
import type { AttemptPeriod } from './attempt-period.js';
import { ChartError } from './chart-error.js';
import { ChartFrame } from './chart-frame.js';
import { chartMargin, gridLines, legendInSeriesOrder, tooltipInSeriesOrder, xAxisTitle, yAxisTitle } from './chart-layout.js';
import { hourTickLabel, hourTicks } from './hour-ticks.js';
import { localTimeLabel } from './local-time-label.js';
import { outcomeColours, outcomeNames, outcomes } from './outcome-colours.js';
import { periodInput, usePeriodStats } from './use-period-stats.js';

type Hours = ApiOutput<'stats.outcomesByHour'>['hours'];

/** Delivery attempts per local hour of the chosen period, stacked by outcome. */
export function OutcomesByHourChart(props: { period: AttemptPeriod; domain: string }) {
  const { period, domain } = props;
  const input: ApiInput<'stats.outcomesByHour'> = periodInput(period, domain);
  const { valid, query: outcomesQuery } = usePeriodStats('stats.outcomesByHour', input, period);

  return (
    <section className="chart-section" aria-labelledby="outcomes-title">
      <h2 id="outcomes-title">Delivery outcomes per hour</h2>
      {!valid ? (
        <p className="hint">Choose a valid period above to see the outcomes.</p>
      ) : outcomesQuery.isPending ? (
        <p role="status">Loading the delivery outcomes…</p>
      ) : outcomesQuery.isError ? (
        <ChartError error={outcomesQuery.error} action="Loading the delivery outcomes" onRetry={() => void outcomesQuery.refetch()} />
      ) : outcomesQuery.data.hours.every((hour) => hour.delivered + hour.deferred + hour.bounced === 0) ? (
        <p className="chart-empty">No delivery attempts in this period.</p>
      ) : (
        <OutcomesFigure hours={outcomesQuery.data.hours} timeZone={period.timeZone} />
      )}
    </section>
  );
}

function OutcomesFigure(props: { hours: Hours; timeZone: string }) {
  const { hours } = props;
  const ticks = hourTicks(hours.map((row) => row.hour));
  return (
    <figure className="chart-figure">
      <ChartFrame testId="outcomes-chart">
        <BarChart data={hours} margin={chartMargin}>
          <CartesianGrid {...gridLines} vertical={false} />
          {/* The ISO hour is the category: unique even on a DST night that has two 02:00 hours. */}
          <XAxis dataKey="hour" ticks={ticks} interval={0} tickFormatter={(hour: string) => hourTickLabel(hour)} label={xAxisTitle(`Hour (${props.timeZone})`)} />
          <YAxis allowDecimals={false} label={yAxisTitle('Delivery attempts')} />
          <Tooltip {...tooltipInSeriesOrder} labelFormatter={(hour) => (typeof hour === 'string' ? localTimeLabel(hour) : hour)} />
          <Legend {...legendInSeriesOrder} />
          {outcomes.map((outcome) => (
            <Bar key={outcome} dataKey={outcome} name={outcomeNames[outcome]} stackId="outcome" fill={outcomeColours[outcome]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ChartFrame>
      <figcaption className="hint">Each attempt counts once, under the hour it started, whatever its number of recipients. Hours in {props.timeZone}.</figcaption>
      <details className="chart-numbers">
        <summary>Numbers per hour</summary>
        <OutcomesTable hours={hours.filter((row) => row.delivered + row.deferred + row.bounced > 0)} />
      </details>
    </figure>
  );
}

/** Only the hours with attempts: 31 days of mostly-zero rows would bury them. */
function OutcomesTable(props: { hours: Hours }) {
  return (
    <table className="numbers-table">
      <caption>Delivery attempts per hour with at least one attempt</caption>
      <thead>
        <tr>
          <th scope="col">Hour</th>
          {outcomes.map((outcome) => (
            <th scope="col" key={outcome}>
              {outcomeNames[outcome]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.hours.map((row) => (
          <tr key={row.hour}>
            <th scope="row">{localTimeLabel(row.hour)}</th>
            <td>{row.delivered}</td>
            <td>{row.deferred}</td>
            <td>{row.bounced}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
