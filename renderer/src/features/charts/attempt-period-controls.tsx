import { useMemo } from 'react';
import { timeZoneNames } from '../../ui/time-zones.js';
import { attemptPeriodProblem, type AttemptPeriod } from './attempt-period.js';

/** First day, last day and time zone of the delivery-attempt charts; the problem, if any, is read with the fields. */
export function AttemptPeriodControls(props: { period: AttemptPeriod; onChange: (period: AttemptPeriod) => void }) {
  const { period } = props;
  const zones = useMemo(() => timeZoneNames(period.timeZone), [period.timeZone]);
  const problem = attemptPeriodProblem(period);
  const described = problem ? 'attempt-period-problem' : 'attempt-period-hint';
  return (
    <fieldset className="chart-controls period-controls">
      <legend>Period of delivery attempts</legend>
      <div className="chart-control">
        <label htmlFor="attempts-from">First day</label>
        <input id="attempts-from" type="date" value={period.from} aria-describedby={described} aria-invalid={problem ? true : undefined} onChange={(event) => props.onChange({ ...period, from: event.target.value })} />
      </div>
      <div className="chart-control">
        <label htmlFor="attempts-to">Last day</label>
        <input id="attempts-to" type="date" value={period.to} aria-describedby={described} aria-invalid={problem ? true : undefined} onChange={(event) => props.onChange({ ...period, to: event.target.value })} />
      </div>
      <div className="chart-control">
        <label htmlFor="attempts-zone">Time zone</label>
        <select id="attempts-zone" value={period.timeZone} onChange={(event) => props.onChange({ ...period, timeZone: event.target.value })}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
      {problem ? (
        <p id="attempt-period-problem" className="field-error" role="alert">
          {problem}
        </p>
      ) : (
        <p id="attempt-period-hint" className="hint">
          Both days included, at most 31; hours are shown in the chosen time zone.
        </p>
      )}
    </fieldset>
  );
}
