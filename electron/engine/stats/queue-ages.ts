import { QUEUE_AGE_BUCKET_MINUTES, type QueueAgesResult } from '../../contract/stats-schema.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import { isoTimeMs } from '../runtime/iso-time.js';

type DomainAges = QueueAgesResult['domains'][number];

const MINUTE_MS = 60_000;

/**
 * stats.queueAges: the messages queued now by age and domain, like Postfix's qshape. Age is now minus
 * createdAt (when the spool accepted it), so retries do not make a message look young. Held messages are
 * counted in their age bucket too (they are still waiting) and once more in `held`.
 */
export function queueAges(entries: Iterable<QueueEntry>, nowMs: number): QueueAgesResult {
  const bucketCount = QUEUE_AGE_BUCKET_MINUTES.length + 1;
  const byDomain = new Map<string, DomainAges>();
  const totals = new Array<number>(bucketCount).fill(0);
  for (const entry of entries) {
    let row = byDomain.get(entry.domain);
    if (!row) {
      row = { domain: entry.domain, total: 0, held: 0, counts: new Array<number>(bucketCount).fill(0) };
      byDomain.set(entry.domain, row);
    }
    const bucket = ageBucket(nowMs - isoTimeMs(entry.createdAt));
    row.total += 1;
    if (entry.state === 'held') row.held += 1;
    row.counts[bucket] = (row.counts[bucket] ?? 0) + 1;
    totals[bucket] = (totals[bucket] ?? 0) + 1;
  }
  // Busiest domain first; equal totals by name so the order is stable between refreshes.
  const domains = [...byDomain.values()].sort((a, b) => b.total - a.total || a.domain.localeCompare(b.domain));
  return { bucketMinutes: [...QUEUE_AGE_BUCKET_MINUTES], domains, totals };
}

/**
 * The bucket of an age in ms: the first whose upper bound (inclusive) is not below it, else the last
 * ("older than 1280 minutes"). A negative age (clock set back since the message came) counts as new.
 */
export function ageBucket(ageMs: number): number {
  const index = QUEUE_AGE_BUCKET_MINUTES.findIndex((bound) => ageMs <= bound * MINUTE_MS);
  return index === -1 ? QUEUE_AGE_BUCKET_MINUTES.length : index;
}
