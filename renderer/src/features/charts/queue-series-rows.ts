import type { ApiOutput } from '../../../../electron/contract/api-contract.js';

type QueueSeries = ApiOutput<'stats.queueSeries'>;

/**
 * One chart row per point: `timeMs`, `total`, and `d0`, `d1`... per domain in `domains` order. Domains are
 * not used as keys because recharts reads a string dataKey as a path: "example.com" would mean
 * row.example.com. Null values mark a gap (the engine was not running), so the line breaks there
 * instead of drawing a straight line across hours with no sample.
 */
export type SeriesRow = { timeMs: number; total: number | null } & Record<`d${number}`, number | null>;

const MINUTE_MS = 60_000;

export function queueSeriesRows(points: QueueSeries['points'], domains: readonly string[]): SeriesRow[] {
  const rows: SeriesRow[] = [];
  const gap = gapThresholdMs(points);
  let previousMs: number | null = null;
  for (const point of points) {
    const timeMs = Date.parse(point.time);
    if (previousMs !== null && timeMs - previousMs > gap) rows.push(emptyRow(previousMs + (timeMs - previousMs) / 2, domains));
    const row: SeriesRow = { timeMs, total: point.total };
    domains.forEach((domain, index) => {
      // A domain left out of a point had no message then (see the contract), which is 0, not a gap.
      row[`d${index}`] = Object.hasOwn(point.domains, domain) ? (point.domains[domain] ?? 0) : 0;
    });
    rows.push(row);
    previousMs = timeMs;
  }
  return rows;
}

/**
 * Samples come once a minute, or once per group of samples when the engine merged them (downsampleMax),
 * so the median step is the normal one even when a long gap is in the window. A step more than three
 * normal steps (and more than 5 minutes) long means the engine was stopped in between.
 */
function gapThresholdMs(points: QueueSeries['points']): number {
  const steps: number[] = [];
  for (let index = 1; index < points.length; index += 1) steps.push(Date.parse(points[index]?.time ?? '') - Date.parse(points[index - 1]?.time ?? ''));
  steps.sort((a, b) => a - b);
  const median = steps[Math.floor(steps.length / 2)];
  if (median === undefined || Number.isNaN(median)) return Number.POSITIVE_INFINITY;
  return Math.max(5 * MINUTE_MS, 3 * median);
}

function emptyRow(timeMs: number, domains: readonly string[]): SeriesRow {
  const row: SeriesRow = { timeMs, total: null };
  domains.forEach((_domain, index) => (row[`d${index}`] = null));
  return row;
}

/** The newest sample and the highest total of the window, for the sentence under the chart. */
export function seriesSummary(points: QueueSeries['points']): { latest: { timeMs: number; total: number }; peak: { timeMs: number; total: number } } | null {
  const last = points[points.length - 1];
  if (!last) return null;
  let peak = last;
  for (const point of points) if (point.total > peak.total) peak = point;
  return { latest: { timeMs: Date.parse(last.time), total: last.total }, peak: { timeMs: Date.parse(peak.time), total: peak.total } };
}
