import type { QueueSeriesPoint } from '../../contract/stats-schema.js';

/**
 * At most `maxPoints` points from a time-ordered series: consecutive samples are merged in equal-sized
 * groups, and a merged point holds the MAXIMUM of each series in its group (total, held, and every domain
 * on its own), stamped with the group's first sample time.
 *
 * The maximum, not the mean or a pick: a queue that piled up for a few minutes and then drained is exactly
 * what the admin looks for, and on a 31-day chart (44,640 samples into 500 points) a mean over 90 samples
 * flattens such a spike to nothing, a pick misses it. Because each series is maximised on its own, a merged
 * point's total can be less than the sum of its domains.
 *
 * Groups of samples, not of time: every point of the budget is used even when the engine ran only a few
 * days of the range, and a gap (engine stopped) still shows as a gap, at most one point wide.
 */
export function downsampleMax(points: QueueSeriesPoint[], maxPoints: number): QueueSeriesPoint[] {
  if (points.length <= maxPoints) return points;
  const groupSize = Math.ceil(points.length / maxPoints);
  const merged: QueueSeriesPoint[] = [];
  for (let start = 0; start < points.length; start += groupSize) {
    const group = points.slice(start, start + groupSize);
    const first = group[0];
    if (first === undefined) continue;
    const domains = new Map<string, number>();
    let total = 0;
    let held = 0;
    for (const point of group) {
      total = Math.max(total, point.total);
      held = Math.max(held, point.held);
      for (const [domain, count] of Object.entries(point.domains)) domains.set(domain, Math.max(domains.get(domain) ?? 0, count));
    }
    merged.push({ time: first.time, total, held, domains: Object.fromEntries(domains) });
  }
  return merged;
}
