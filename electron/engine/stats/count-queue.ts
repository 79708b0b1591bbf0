import type { QueueSample } from '../../contract/stats-schema.js';
import type { QueueEntry } from '../spool/queue-entry.js';

/**
 * The queue at `nowMs` as one sample: one pass over the in-memory index, a counter per domain, no disk.
 * 100,000 entries take a few milliseconds, cheap enough once a minute. Maps, then fromEntries: a DSN's
 * domain comes from a sender address, and a plain object would treat "__proto__" specially.
 */
export function countQueue(entries: Iterable<QueueEntry>, nowMs: number): QueueSample {
  const domains = new Map<string, number>();
  const heldDomains = new Map<string, number>();
  let total = 0;
  let held = 0;
  for (const entry of entries) {
    total += 1;
    domains.set(entry.domain, (domains.get(entry.domain) ?? 0) + 1);
    if (entry.state === 'held') {
      held += 1;
      heldDomains.set(entry.domain, (heldDomains.get(entry.domain) ?? 0) + 1);
    }
  }
  return { time: new Date(nowMs).toISOString(), total, held, domains: Object.fromEntries(domains), heldDomains: Object.fromEntries(heldDomains) };
}
