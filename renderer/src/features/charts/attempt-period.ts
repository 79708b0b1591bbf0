import { addDays, daysInclusive, isCalendarDate, localDateOf } from '../../ui/calendar-dates.js';
import { checkTimeZone, systemTimeZone } from '../../ui/time-zones.js';

/** Local dates from..to (inclusive) in an IANA zone: the window of the outcome chart and the deferral table. */
export interface AttemptPeriod {
  from: string;
  to: string;
  timeZone: string;
}

/** The engine refuses longer ranges of the stats.* methods (STATS_MAX_RANGE_DAYS in the contract). */
export const MAX_PERIOD_DAYS = 31;

/** Yesterday and today in the computer's zone: the last 24 hours at least, whatever the time of day. */
export function defaultAttemptPeriod(params: Record<string, string>, nowMs = Date.now()): AttemptPeriod {
  const zone = checkTimeZone(params.tz ?? '');
  const timeZone = zone.ok ? zone.timeZone : systemTimeZone();
  const today = localDateOf(nowMs, timeZone);
  return {
    from: params.from && isCalendarDate(params.from) ? params.from : addDays(today, -1),
    to: params.to && isCalendarDate(params.to) ? params.to : today,
    timeZone,
  };
}

/** Why the period cannot be asked for, in words, or null when it can. Checked here to say it next to the fields. */
export function attemptPeriodProblem(period: AttemptPeriod): string | null {
  if (!isCalendarDate(period.from) || !isCalendarDate(period.to)) return 'Choose both a first and a last day.';
  const days = daysInclusive(period.from, period.to);
  if (days < 1) return 'The first day is after the last day: swap them.';
  if (days > MAX_PERIOD_DAYS) return `That is ${days} days: choose at most ${MAX_PERIOD_DAYS}.`;
  return null;
}
