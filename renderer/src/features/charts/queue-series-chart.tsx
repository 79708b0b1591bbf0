import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApiInput, ApiOutput } from '../../../../electron/contract/api-contract.js';
import { callApi } from '../../api/api-client.js';
import { systemTimeZone } from '../../ui/time-zones.js';
import { ChartError } from './chart-error.js';
import { ChartFrame } from './chart-frame.js';
import { chartMargin, gridLines, legendInSeriesOrder, tooltipInSeriesOrder, xAxisTitle, yAxisTitle } from './chart-layout.js';
import { domainColour, totalColour } from './domain-colours.js';
import { formatSampleTime, formatTick, seriesRanges, timeTicks, type SeriesRange, type SeriesRangeId } from './queue-series-range.js';
import { queueSeriesRows, seriesSummary } from './queue-series-rows.js';
import { useMinuteClock } from './use-minute-clock.js';

type SeriesInput = ApiInput<'stats.queueSeries'>;

/**
 * Messages queued over the chosen window, one line per domain plus the total. The window slides with a
 * minute clock: the engine writes one sample a minute, so a new query once a minute is all there is to see.
 */
export function QueueSeriesChart(props: { range: SeriesRange; onRangeChange: (id: SeriesRangeId) => void; domain: string; knownDomains: readonly string[] }) {
  const { range, domain } = props;
  const nowMs = useMinuteClock();
  const sinceMs = nowMs - range.ms;
  const input: SeriesInput = { since: new Date(sinceMs).toISOString(), ...(domain ? { domain } : {}) };
  const series = useQuery({
    queryKey: ['stats.queueSeries', input],
    queryFn: () => callApi('stats.queueSeries', input),
    // Keep the old lines while the next minute loads, but not when the window or domain changed: old data
    // under a new axis would be read as the new answer.
    placeholderData: (previous, previousQuery) => (isSameWindow(previousQuery?.queryKey[1], input) ? keepPreviousData(previous) : undefined),
  });
  const zone = systemTimeZone();

  return (
    <section className="chart-section" aria-labelledby="queue-series-title">
      <h2 id="queue-series-title">Queue size over time</h2>
      <div className="chart-controls">
        <div className="chart-control">
          <label htmlFor="queue-series-range">Range</label>
          <select id="queue-series-range" value={range.id} onChange={(event) => props.onRangeChange(event.target.value as SeriesRangeId)}>
            {seriesRanges.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {series.isPending ? (
        <p role="status">Loading the queue size…</p>
      ) : series.isError ? (
        <ChartError error={series.error} action="Loading the queue size" onRetry={() => void series.refetch()} />
      ) : series.data.points.length === 0 ? (
        <p className="chart-empty">No samples yet: the engine records the queue size every minute.</p>
      ) : (
        <SeriesFigure data={series.data} range={range} sinceMs={sinceMs} untilMs={nowMs} domain={domain} knownDomains={props.knownDomains} zone={zone} />
      )}
    </section>
  );
}

function SeriesFigure(props: {
  data: ApiOutput<'stats.queueSeries'>;
  range: SeriesRange;
  sinceMs: number;
  untilMs: number;
  domain: string;
  knownDomains: readonly string[];
  zone: string;
}) {
  const { data, range, domain, zone } = props;
  // Filtered to one domain, the engine's total is that domain's count: one line, named after it.
  const domains = domain ? [] : data.domains;
  const rows = queueSeriesRows(data.points, domains);
  const summary = seriesSummary(data.points);
  return (
    <figure className="chart-figure">
      <ChartFrame testId="queue-series-chart">
        <LineChart data={rows} margin={chartMargin}>
          <CartesianGrid {...gridLines} />
          <XAxis
            dataKey="timeMs"
            type="number"
            scale="time"
            domain={[props.sinceMs, props.untilMs]}
            ticks={timeTicks(range, props.sinceMs, props.untilMs)}
            tickFormatter={(value: number) => formatTick(range, value)}
            label={xAxisTitle(`Time (${zone})`)}
          />
          <YAxis allowDecimals={false} label={yAxisTitle('Messages queued')} />
          <Tooltip {...tooltipInSeriesOrder} labelFormatter={(value) => (typeof value === 'number' ? formatSampleTime(value) : value)} />
          <Legend {...legendInSeriesOrder} />
          {/* No animation: the chart redraws every minute, and replaying it each time would distract. */}
          <Line dataKey="total" name={domain || 'All domains'} stroke={domain ? domainColour(domain, props.knownDomains) : totalColour} strokeWidth={2} strokeDasharray={domain ? undefined : '6 3'} dot={false} isAnimationActive={false} />
          {domains.map((name, index) => (
            <Line key={name} dataKey={`d${index}`} name={name} stroke={domainColour(name, props.knownDomains)} strokeWidth={2} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ChartFrame>
      <figcaption className="hint">
        Messages waiting in the spool (held ones included), sampled every minute; over long ranges each point is the highest count of the minutes it stands for.
        Times in your computer&apos;s time zone ({zone}).
        {summary
          ? ` Latest ${formatSampleTime(summary.latest.timeMs)}: ${summary.latest.total} queued. Peak: ${summary.peak.total} at ${formatSampleTime(summary.peak.timeMs)}.`
          : ''}
      </figcaption>
    </figure>
  );
}

/** Same domain, and since moved by less than 5 minutes: the same window one clock tick later. */
function isSameWindow(previous: unknown, next: SeriesInput): boolean {
  if (typeof previous !== 'object' || previous === null) return false;
  const before = previous as SeriesInput;
  return before.domain === next.domain && Math.abs(Date.parse(before.since) - Date.parse(next.since)) < 5 * 60_000;
}
