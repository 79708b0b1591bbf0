import { addDays, localDateOf } from '../../ui/calendar-dates.js';

/** The default report range: the last 7 local days of `timeZone`, today included. */
export function lastSevenDays(timeZone: string, nowMs: number): { from: string; to: string } {
  const to = localDateOf(nowMs, timeZone);
  return { from: addDays(to, -6), to };
}
