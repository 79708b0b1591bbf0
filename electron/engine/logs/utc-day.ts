/** Length of a UTC day in ms: UTC has no DST, and JavaScript time ignores leap seconds. */
export const UTC_DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day holding `timeMs`; the day files are named after it. */
export function utcDayKey(timeMs: number): string {
  return new Date(timeMs).toISOString().slice(0, 10);
}

/** First ms of the UTC day `YYYY-MM-DD`. */
export function utcDayStartMs(dayKey: string): number {
  return Date.parse(`${dayKey}T00:00:00.000Z`);
}
