/**
 * A report row's time as the engine wrote it, e.g. `2026-11-27T10:15:00.000+01:00`: the instant already in
 * the zone the admin chose, with that moment's offset. It is taken apart as text and never turned into a
 * Date, because every Date formatting method without an explicit zone uses the computer's zone.
 */
export interface ReportTime {
  /** "2026-11-27 10:15:00", the wall-clock time in the report's zone. */
  local: string;
  /** "UTC+01:00"; tells apart the two 02:30 of a day when the clocks go back. */
  offset: string;
}

const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function splitReportTime(iso: string): ReportTime {
  const match = ISO_WITH_OFFSET.exec(iso);
  // Anything else is shown as received rather than guessed at.
  if (!match) return { local: iso, offset: '' };
  const [, date = '', time = '', zone = ''] = match;
  return { local: `${date} ${time}`, offset: zone === 'Z' ? 'UTC+00:00' : `UTC${zone}` };
}
