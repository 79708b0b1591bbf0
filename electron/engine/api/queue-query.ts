import type { ApiOutput, ApiParsedInput } from '../../contract/api-contract.js';
import type { QueueItem } from '../../contract/queue-schema.js';
import { queueItemCategory } from '../diagnosis/queue-item-category.js';
import { assertNever } from '../runtime/assert-never.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import { QueueListIndex } from './queue-list-index.js';
import { NO_NEXT_ATTEMPT, stringRanks } from './queue-sort-keys.js';
import { selectWindow, type Before } from './select-window.js';

type ListInput = ApiParsedInput<'queue.list'>;

/**
 * Filters, sorts and pages the in-memory queue index for `queue.list`. The order is the sort field (strings
 * compared with `<`; `nextAttemptAt: null` as '9999'), then the id, both reversed by `order: 'desc'`, then
 * the order of `entries` for entries equal in both.
 *
 * Pass the same `index` on every call (one per spool) and a request reads only the entries that changed
 * since the last one; without it every entry is read. Either way the page is chosen with number
 * comparisons (selectWindow), without sorting every match.
 */
export function listQueue(entries: Iterable<QueueEntry>, input: ListInput, nowMs: number, index?: QueueListIndex): ApiOutput<'queue.list'> {
  const rows = index ?? new QueueListIndex();
  const count = rows.sync(entries);
  const matches = filterRows(rows, count, input, nowMs);
  const page = selectPage(rows, matches, input);
  return { total: matches.length, items: page.map((match) => toQueueItem(rows.entry(matches[match]!))) };
}

/** The public shape of an entry: internal bookkeeping (client address, warned flag) stays inside. */
export function toQueueItem(entry: QueueEntry): QueueItem {
  const item: QueueItem = {
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
  // From the copy, not the entry: queue.list reads each entry's fields once (see queue-query.test.ts).
  item.lastCategory = queueItemCategory(item);
  return item;
}

/** The rows the filters select, in iteration order. */
function filterRows(index: QueueListIndex, count: number, input: ListInput, nowMs: number): Int32Array {
  const domain = input.domain?.toLowerCase();
  const state = input.state;
  const search = input.search?.toLowerCase();
  const createdBefore = input.olderThanMinutes === undefined ? Infinity : nowMs - input.olderThanMinutes * 60_000;
  // Every row's code first, then the code of the value asked for: -1 if no entry has it.
  if (domain) for (let row = 0; row < count; row += 1) index.domainCode(row);
  if (state) for (let row = 0; row < count; row += 1) index.stateCode(row);
  const domainCode = domain ? (index.findDomain(domain) ?? -1) : -1;
  const stateCode = state ? (index.findState(state) ?? -1) : -1;
  const rows = new Int32Array(count);
  let matched = 0;
  for (let row = 0; row < count; row += 1) {
    if (domain && index.domainCode(row) !== domainCode) continue;
    if (state && index.stateCode(row) !== stateCode) continue;
    if (createdBefore !== Infinity && index.createdMs(row) > createdBefore) continue;
    if (search && !index.matchesSearch(row, search)) continue;
    rows[matched++] = row;
  }
  return rows.subarray(0, matched);
}

/** Thrown by the comparator that reads ids as numbers when two ids it must compare cannot be. */
class IdsNotEncoded extends Error {}

/**
 * The match numbers of the requested page, in the order of `queue.list`: the sort key, then the id, both
 * reversed for `order: 'desc'`, then the match number (iteration order), as the stable sort of the former
 * comparator had it. Ids are read only when two sort keys are equal, as two numbers each when both are
 * queue-id shaped; should two not be, the page is chosen again on the ids' string ranks.
 */
function selectPage(index: QueueListIndex, matches: Int32Array, input: ListInput): number[] {
  const descending = input.order === 'desc';
  const key = sortKeys(index, matches, input.sort);
  if (descending) for (let match = 0; match < key.length; match += 1) key[match] = -key[match]!;
  const end = input.offset + input.limit;
  // As the former comparator: neither smaller nor larger (NaN included) falls through to the id.
  const byEncodedId: Before = (a, b) => {
    const keyA = key[a]!;
    const keyB = key[b]!;
    if (keyA < keyB) return true;
    if (keyA > keyB) return false;
    const rowA = matches[a]!;
    const rowB = matches[b]!;
    const highA = index.idHigh(rowA);
    const highB = index.idHigh(rowB);
    const lowA = index.idLow(rowA);
    const lowB = index.idLow(rowB);
    if (index.idLength(rowA) !== index.idLength(rowB) || Number.isNaN(highA + highB + lowA + lowB)) throw new IdsNotEncoded();
    if (highA !== highB) return (highA < highB) !== descending;
    if (lowA !== lowB) return (lowA < lowB) !== descending;
    return a < b;
  };
  try {
    return selectWindow(matches.length, input.offset, end, byEncodedId);
  } catch (error) {
    if (!(error instanceof IdsNotEncoded)) throw error;
  }
  const idRank = stringRanks(Array.from(matches, (row) => index.entry(row).id));
  if (descending) for (let match = 0; match < idRank.length; match += 1) idRank[match] = -idRank[match]!;
  return selectWindow(matches.length, input.offset, end, (a, b) => {
    const keyA = key[a]!;
    const keyB = key[b]!;
    if (keyA < keyB) return true;
    if (keyA > keyB) return false;
    const rankA = idRank[a]!;
    const rankB = idRank[b]!;
    return rankA !== rankB ? rankA < rankB : a < b;
  });
}

/** One number per match, ordered as the sort field compares. */
function sortKeys(index: QueueListIndex, matches: Int32Array, sort: ListInput['sort']): Float64Array {
  const keys = new Float64Array(matches.length);
  switch (sort) {
    case 'createdAt':
      for (let match = 0; match < matches.length; match += 1) keys[match] = index.createdKey(matches[match]!);
      return orStringRanks(keys, index, matches, (entry) => entry.createdAt);
    case 'nextAttemptAt':
      for (let match = 0; match < matches.length; match += 1) keys[match] = index.nextKey(matches[match]!);
      return orStringRanks(keys, index, matches, (entry) => entry.nextAttemptAt ?? NO_NEXT_ATTEMPT);
    case 'size':
      for (let match = 0; match < matches.length; match += 1) keys[match] = index.size(matches[match]!);
      return keys;
    case 'attempts':
      for (let match = 0; match < matches.length; match += 1) keys[match] = index.attempts(matches[match]!);
      return keys;
    case 'domain': {
      for (let match = 0; match < matches.length; match += 1) keys[match] = index.domainCode(matches[match]!);
      const rankOfCode = index.domainRanks(); // a few domains: a cheap sort
      for (let match = 0; match < matches.length; match += 1) keys[match] = rankOfCode[keys[match]!]!;
      return keys;
    }
    default:
      return assertNever(sort);
  }
}

/** The timestamp keys, or if any is NaN (not a toISOString timestamp) ranks of the strings instead. */
function orStringRanks(keys: Float64Array, index: QueueListIndex, matches: Int32Array, field: (entry: QueueEntry) => string): Float64Array {
  for (let match = 0; match < keys.length; match += 1) {
    if (Number.isNaN(keys[match])) return stringRanks(Array.from(matches, (row) => field(index.entry(row))));
  }
  return keys;
}
