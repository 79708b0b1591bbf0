/** Local calendar dates ("YYYY-MM-DD") in an IANA zone, with Intl only: no Date is read in the computer's zone. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The local date of an instant in `timeZone`. en-CA writes dates as YYYY-MM-DD. */
export function localDateOf(timeMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(timeMs);
}

/** Calendar arithmetic on a YYYY-MM-DD date, done in UTC where every day has 24 hours. */
export function addDays(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The default report range: the last 7 local days of `timeZone`, today included. */
export function lastSevenDays(timeZone: string, nowMs: number): { from: string; to: string } {
  const to = localDateOf(nowMs, timeZone);
  return { from: addDays(to, -6), to };
}
