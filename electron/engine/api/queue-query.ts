import type { ApiOutput, ApiParsedInput } from '../../contract/api-contract.js';
import type { QueueItem } from '../../contract/queue-schema.js';
import { assertNever } from '../runtime/assert-never.js';
import type { QueueEntry } from '../spool/queue-entry.js';

type ListInput = ApiParsedInput<'queue.list'>;

/** Filters, sorts and pages the in-memory queue index for `queue.list`. One pass to filter, one sort of the matches. */
export function listQueue(entries: Iterable<QueueEntry>, input: ListInput, nowMs: number): ApiOutput<'queue.list'> {
  const domain = input.domain?.toLowerCase();
  const search = input.search?.toLowerCase();
  const createdBefore = input.olderThanMinutes === undefined ? Infinity : nowMs - input.olderThanMinutes * 60_000;
  const matches: QueueEntry[] = [];
  for (const entry of entries) {
    if (domain && entry.domain !== domain) continue;
    if (input.state && entry.state !== input.state) continue;
    if (createdBefore !== Infinity && Date.parse(entry.createdAt) > createdBefore) continue;
    if (search && !matchesSearch(entry, search)) continue;
    matches.push(entry);
  }
  const direction = input.order === 'desc' ? -1 : 1;
  const key = sortKey(input.sort);
  matches.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    if (left < right) return -direction;
    if (left > right) return direction;
    return a.id < b.id ? -direction : a.id > b.id ? direction : 0;
  });
  return { total: matches.length, items: matches.slice(input.offset, input.offset + input.limit).map(toQueueItem) };
}

/** The public shape of an entry: internal bookkeeping (client address, warned flag) stays inside. */
export function toQueueItem(entry: QueueEntry): QueueItem {
  return {
    id: entry.id,
    domain: entry.domain,
    from: entry.from,
    to: entry.to,
    recipients: entry.recipients,
    size: entry.size,
    state: entry.state,
    createdAt: entry.createdAt,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt,
    lastAttemptAt: entry.lastAttemptAt,
    lastResponse: entry.lastResponse,
    expiresAt: entry.expiresAt,
    messageId: entry.messageId,
    subject: entry.subject,
    kind: entry.kind,
  };
}

function matchesSearch(entry: QueueEntry, needle: string): boolean {
  return (
    entry.id.includes(needle) ||
    entry.from.toLowerCase().includes(needle) ||
    entry.to.some((address) => address.toLowerCase().includes(needle)) ||
    (entry.subject?.toLowerCase().includes(needle) ?? false)
  );
}

function sortKey(sort: ListInput['sort']): (entry: QueueEntry) => string | number {
  switch (sort) {
    case 'createdAt':
      return (entry) => entry.createdAt;
    case 'nextAttemptAt':
      return (entry) => entry.nextAttemptAt ?? '9999';
    case 'size':
      return (entry) => entry.size;
    case 'attempts':
      return (entry) => entry.attempts;
    case 'domain':
      return (entry) => entry.domain;
    default:
      return assertNever(sort);
  }
}
