import { DateTime, Info } from 'luxon';
import { AppError } from '../../contract/app-error.js';

/** The instants a report covers: [startMs, endMs), ms since epoch. */
export interface ReportWindow {
  startMs: number;
  endMs: number;
  timeZone: string;
}

/**
 * Turns the local dates `from`..`to` (inclusive) in an IANA zone into instants. Local days are not
 * 24 hours: the DST change days have 23 or 25 (2026-10-25 in Europe/Berlin has 25), so the end is the
 * start of the day after `to` as luxon computes it, never start + n × 24 h.
 */
export function reportWindow(query: { from: string; to: string; timeZone: string }): ReportWindow {
  const { timeZone } = query;
  if (!Info.isValidIANAZone(timeZone)) {
    throw new AppError('INVALID_INPUT', `Unknown time zone "${timeZone}": use an IANA name like Europe/Berlin`, {
      issues: [{ path: 'timeZone', message: 'Use an IANA name like Europe/Berlin' }],
    });
  }
  const first = localDay(query.from, timeZone, 'from');
  const last = localDay(query.to, timeZone, 'to');
  if (first > last) {
    throw new AppError('INVALID_INPUT', `The report starts (${query.from}) after it ends (${query.to}): swap the dates`, {
      issues: [{ path: 'from', message: 'Must not be after "to"' }],
    });
  }
  // startOf('day') also copes with zones whose midnight is skipped by DST: luxon moves to the first valid time.
  return { startMs: first.startOf('day').toMillis(), endMs: last.plus({ days: 1 }).startOf('day').toMillis(), timeZone };
}

/** `2026-11-27T10:15:00.000+01:00`: the instant in the report's zone, with that moment's offset. */
export function formatReportTime(timeMs: number, timeZone: string): string {
  // toISO() is null only for an invalid DateTime; the zone was validated by reportWindow.
  return DateTime.fromMillis(timeMs, { zone: timeZone }).toISO() ?? new Date(timeMs).toISOString();
}

function localDay(date: string, timeZone: string, field: 'from' | 'to'): DateTime {
  const day = DateTime.fromISO(date, { zone: timeZone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !day.isValid) {
    throw new AppError('INVALID_INPUT', `"${date}" is not a date: use a date like 2026-11-27`, { issues: [{ path: field, message: 'Use a date like 2026-11-27' }] });
  }
  return day;
}
