/**
 * The windows of the queue-size chart and how its time axis is labelled. Ticks are placed on round
 * local times (every 10 minutes, hour, 3 hours, day...) in the browser's zone, which the caption names.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const seriesRanges = [
  { id: '1h', label: 'Last hour', ms: HOUR_MS, tick: { unit: 'minute', step: 10 } },
  { id: '6h', label: 'Last 6 hours', ms: 6 * HOUR_MS, tick: { unit: 'hour', step: 1 } },
  { id: '24h', label: 'Last 24 hours', ms: DAY_MS, tick: { unit: 'hour', step: 3 } },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY_MS, tick: { unit: 'day', step: 1 } },
  { id: '30d', label: 'Last 30 days', ms: 30 * DAY_MS, tick: { unit: 'day', step: 5 } },
] as const;

export type SeriesRange = (typeof seriesRanges)[number];
export type SeriesRangeId = SeriesRange['id'];

export const defaultSeriesRange: SeriesRangeId = '24h';

export function seriesRange(id: string | undefined): SeriesRange {
  return seriesRanges.find((range) => range.id === id) ?? seriesRanges.find((range) => range.id === defaultSeriesRange) ?? seriesRanges[0];
}

/** Ticks at round local times between since and until (ms), e.g. every 3 hours on the hour. */
export function timeTicks(range: SeriesRange, sinceMs: number, untilMs: number): number[] {
  const { unit, step } = range.tick;
  const cursor = new Date(sinceMs);
  cursor.setSeconds(0, 0);
  if (unit === 'minute') cursor.setMinutes(Math.ceil(cursor.getMinutes() / step) * step);
  else if (unit === 'hour') cursor.setHours(Math.ceil((cursor.getHours() + (cursor.getMinutes() > 0 ? 1 : 0)) / step) * step, 0);
  else cursor.setHours(24, 0); // next local midnight
  const ticks: number[] = [];
  // Date's setters step in local time, so a DST change does not shift later ticks off the hour.
  while (cursor.getTime() <= untilMs && ticks.length < 100) {
    if (cursor.getTime() >= sinceMs) ticks.push(cursor.getTime());
    if (unit === 'minute') cursor.setMinutes(cursor.getMinutes() + step);
    else if (unit === 'hour') cursor.setHours(cursor.getHours() + step);
    else cursor.setDate(cursor.getDate() + step);
  }
  return ticks;
}

/** HH:mm up to a day, a date beyond: the label a reader needs at that scale. */
export function formatTick(range: SeriesRange, ms: number): string {
  if (range.tick.unit === 'day') return new Date(ms).toLocaleDateString(undefined, { weekday: range.ms <= 7 * DAY_MS ? 'short' : undefined, day: 'numeric', month: 'short' });
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** A sample's full time for the tooltip and the summary line. */
export function formatSampleTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
