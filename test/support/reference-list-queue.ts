import type { ApiOutput, ApiParsedInput } from '../../electron/contract/api-contract.js';
import { toQueueItem } from '../../electron/engine/api/queue-query.js';
import type { QueueEntry } from '../../electron/engine/spool/queue-entry.js';

type ListInput = ApiParsedInput<'queue.list'>;

/**
 * The reference: listQueue as it was before paging was optimised (filter everything, sort every match with
 * a key function per comparison, slice). The new implementation must answer exactly as this does.
 */
export function referenceListQueue(entries: Iterable<QueueEntry>, input: ListInput, nowMs: number): ApiOutput<'queue.list'> {
  const domain = input.domain?.toLowerCase();
  const search = input.search?.toLowerCase();
  const createdBefore = input.olderThanMinutes === undefined ? Infinity : nowMs - input.olderThanMinutes * 60_000;
  const matches: QueueEntry[] = [];
  for (const entry of entries) {
    if (domain && entry.domain !== domain) continue;
    if (input.state && entry.state !== input.state) continue;
    if (createdBefore !== Infinity && Date.parse(entry.createdAt) > createdBefore) continue;
    if (search && !referenceMatchesSearch(entry, search)) continue;
    matches.push(entry);
  }
  const direction = input.order === 'desc' ? -1 : 1;
  const key = referenceSortKey(input.sort);
  matches.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    if (left < right) return -direction;
    if (left > right) return direction;
    return a.id < b.id ? -direction : a.id > b.id ? direction : 0;
  });
  return { total: matches.length, items: matches.slice(input.offset, input.offset + input.limit).map(toQueueItem) };
}

function referenceMatchesSearch(entry: QueueEntry, needle: string): boolean {
  return (
    entry.id.includes(needle) ||
    entry.from.toLowerCase().includes(needle) ||
    entry.to.some((address) => address.toLowerCase().includes(needle)) ||
    (entry.subject?.toLowerCase().includes(needle) ?? false)
  );
}

function referenceSortKey(sort: ListInput['sort']): (entry: QueueEntry) => string | number {
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
  }
}

