/**
 * Labels read from the engine's ISO strings. The engine already did the time-zone arithmetic (its hours
 * and "last seen" carry the chosen zone's offset), so labels are taken from the string itself:
 * re-parsing into a Date would shift them into the browser's zone.
 */

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
