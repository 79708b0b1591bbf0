import type { QueueSample, QueueSeriesPoint, QueueSeriesQuery, QueueSeriesResult } from '../../contract/stats-schema.js';
import type { JsonLinesLog } from '../logs/json-lines-log.js';
import { downsampleMax } from './downsample-max.js';
import { domainFilter, instantRange } from './stats-window.js';

/** What the series needs of the sample log: its records in a time range, reading only the overlapping days. */
export type QueueSampleSource = Pick<JsonLinesLog<QueueSample>, 'readRange'>;

/**
 * stats.queueSeries: the recorded queue samples in [since, until], for one domain or all, merged down to
 * `maxPoints` by bucket maximum (see downsampleMax). Memory: one small point per sample, at most 44,640 for
 * 31 days of one sample a minute.
 */
export async function queueSeries(log: QueueSampleSource, query: QueueSeriesQuery, nowMs: number): Promise<QueueSeriesResult> {
  const { sinceMs, untilMs } = instantRange(query, nowMs);
  const domain = domainFilter(query.domain);
  const timed: { timeMs: number; point: QueueSeriesPoint }[] = [];
  const seen = new Set<string>();
  // readRange's end is exclusive; until is inclusive so a sample taken at exactly "now" is shown.
  for await (const sample of log.readRange(sinceMs, untilMs + 1)) {
    const point = toPoint(sample, domain);
    for (const name of Object.keys(point.domains)) seen.add(name);
    timed.push({ timeMs: Date.parse(sample.time), point });
  }
  // Lines are appended in time order while the clock is steady; sorting (stable) makes a clock set back harmless.
  timed.sort((a, b) => a.timeMs - b.timeMs);
  return { points: downsampleMax(timed.map(({ point }) => point), query.maxPoints), domains: [...seen].sort() };
}

/** One sample as a point: all domains, or only `domain`, whose counts then become the point's totals. */
function toPoint(sample: QueueSample, domain: string | undefined): QueueSeriesPoint {
  const time = new Date(Date.parse(sample.time)).toISOString();
  if (domain === undefined) return { time, total: sample.total, held: sample.held, domains: { ...sample.domains } };
  const total = Object.hasOwn(sample.domains, domain) ? (sample.domains[domain] ?? 0) : 0;
  const held = Object.hasOwn(sample.heldDomains, domain) ? (sample.heldDomains[domain] ?? 0) : 0;
  return { time, total, held, domains: total > 0 ? { [domain]: total } : {} };
}
