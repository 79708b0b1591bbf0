/**
 * Calendar dates ('YYYY-MM-DD') and the local parts of the engine's ISO strings. The engine already did
 * the time-zone arithmetic (its hours and "last seen" carry the zone's offset), so labels are read from
 * the string itself: re-parsing into a Date would shift them into the browser's zone.
 */

const DAY_MS = 86_400_000;

/** Today's date in an IANA zone, e.g. '2026-11-27'. */
export function todayIn(timeZone: string, nowMs = Date.now()): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(nowMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** A calendar date moved by whole days (no zone involved: a date is not an instant). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included; NaN when either is not a date. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A real date written YYYY-MM-DD: the round trip refuses 2026-02-30, which Date.parse rolls over to March. */
export function isCalendarDate(value: string): boolean {
  const ms = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

export interface IsoLocalParts {
  /** '2026-11-27' */
  date: string;
  /** '09:00' */
  time: string;
  /** '+01:00', or 'UTC' for a Z time */
  offset: string;
}

/** The wall-clock date, time and offset written in an ISO string such as 2026-11-27T09:00:00+01:00. */
export function isoLocalParts(iso: string): IsoLocalParts {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!match) return { date: iso, time: '', offset: '' };
  const offset = match[3] ?? '';
  return { date: match[1] ?? '', time: match[2] ?? '', offset: offset === 'Z' ? 'UTC' : offset };
}

/** '27 Nov' for a calendar date, in the viewer's language. UTC both ways so no zone can shift the day. */
export function shortDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short' });
}

/** "27 Nov 09:14 (+01:00)": the wall-clock time written in the string; the offset tells apart the two 02:00 of a DST night. */
export function localTimeLabel(iso: string): string {
  const { date, time, offset } = isoLocalParts(iso);
  return `${shortDate(date)} ${time}${offset ? ` (${offset})` : ''}`;
}
