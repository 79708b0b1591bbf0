import type { QueueSample } from '../../../electron/contract/stats-schema.js';
import type { QueueEntry } from '../../../electron/engine/spool/queue-entry.js';

export const MINUTE_MS = 60_000;

/** A queue entry with only what the stats read (domain, state, createdAt) set to something meaningful. */
export function queueEntry(id: string, domain: string, createdAt: string, state: QueueEntry['state'] = 'queued'): QueueEntry {
  return {
    version: 1,
    id,
    domain,
    from: 'sender@example.org',
    to: [`user@${domain}`],
    recipients: [{ address: `user@${domain}`, status: 'pending', code: null, response: null }],
    size: 100,
    state,
    createdAt,
    attempts: 0,
    nextAttemptAt: state === 'held' ? null : createdAt,
    lastAttemptAt: null,
    lastResponse: null,
    expiresAt: '2099-01-01T00:00:00.000Z',
    messageId: null,
    subject: null,
    kind: 'inbound',
    clientAddress: null,
    heloName: null,
    warned: false,
  };
}

/** A sample as the sampler writes it; `held` per domain defaults to none. */
export function queueSample(time: string, domains: Record<string, number>, heldDomains: Record<string, number> = {}): QueueSample {
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
  return { time, total: sum(domains), held: sum(heldDomains), domains, heldDomains };
}
