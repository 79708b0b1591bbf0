import { addDays, daysInclusive, isCalendarDate, todayIn } from './local-date.js';

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
  const timeZone = params.tz && isTimeZone(params.tz) ? params.tz : Intl.DateTimeFormat().resolvedOptions().timeZone;
  const today = todayIn(timeZone, nowMs);
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

/** An IANA name the browser knows. Bare offsets ("+01:00") are refused: browsers accept them, the engine does not. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Every zone the browser knows, with UTC (which supportedValuesOf leaves out) and the current one. */
export function timeZoneOptions(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}
