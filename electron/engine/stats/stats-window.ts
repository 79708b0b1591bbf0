import { DateTime } from 'luxon';
import { AppError } from '../../contract/app-error.js';
import { STATS_MAX_RANGE_DAYS } from '../../contract/stats-schema.js';
import { UTC_DAY_MS } from '../logs/utc-day.js';
import { reportWindow, type ReportWindow } from '../reports/report-window.js';

/**
 * The reports' window (local dates from..to in an IANA zone, validated by reportWindow) limited to
 * STATS_MAX_RANGE_DAYS local days: a chart reads every record in its range, unlike a report page.
 * Days are counted on the calendar, so a range holding a 25-hour DST day is still 31 days.
 */
export function statsWindow(query: { from: string; to: string; timeZone: string }): ReportWindow {
  const window = reportWindow(query);
  const days = DateTime.fromISO(query.to, { zone: 'UTC' }).diff(DateTime.fromISO(query.from, { zone: 'UTC' }), 'days').days + 1;
  if (days > STATS_MAX_RANGE_DAYS) {
    throw new AppError('INVALID_INPUT', `${query.from} to ${query.to} is ${days} days: choose at most ${STATS_MAX_RANGE_DAYS}`, {
      issues: [{ path: 'to', message: `At most ${STATS_MAX_RANGE_DAYS} days after "from", inclusive` }],
    });
  }
  return window;
}

/** [since, until] as instants, until defaulting to now; since after until or a range over 31 days is refused. */
export function instantRange(query: { since: string; until?: string | undefined }, nowMs: number): { sinceMs: number; untilMs: number } {
  const sinceMs = Date.parse(query.since);
  const untilMs = query.until === undefined ? nowMs : Date.parse(query.until);
  if (sinceMs > untilMs) {
    throw new AppError('INVALID_INPUT', `"since" (${query.since}) is after "until" (${query.until ?? new Date(nowMs).toISOString()}): swap them`, {
      issues: [{ path: 'since', message: 'Must not be after "until"' }],
    });
  }
  if (untilMs - sinceMs > STATS_MAX_RANGE_DAYS * UTC_DAY_MS) {
    throw new AppError('INVALID_INPUT', `The range from ${query.since} is longer than ${STATS_MAX_RANGE_DAYS} days: choose a later "since" or an earlier "until"`, {
      issues: [{ path: 'since', message: `At most ${STATS_MAX_RANGE_DAYS} days before "until"` }],
    });
  }
  return { sinceMs, untilMs };
}

/** A domain filter as the queue stores domains: lower case, no trailing dot; empty means none. */
export function domainFilter(domain: string | undefined): string | undefined {
  return domain?.trim().toLowerCase().replace(/\.$/, '') || undefined;
}
