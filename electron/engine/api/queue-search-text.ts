import type { QueueEntry } from '../spool/queue-entry.js';

/** Between the fields of a search text: a needle without it can only match within one field. */
const SEPARATOR = '\u0000';

/**
 * Search texts by entry object, kept while the entry lives: lower-casing sender, recipients and subject of
 * 100,000 entries costs tens of ms, which every search request without it would pay again. Entries are
 * replaced, not changed in place (see QueueListIndex), so an entry's text never goes stale.
 */
const texts = new WeakMap<QueueEntry, string>();

/**
 * The fields `queue.list` searches, as one string: the id as it is, sender, recipients and subject in lower
 * case, each field lower-cased on its own (toLowerCase depends on context: a final sigma).
 */
export function searchText(entry: QueueEntry): string {
  let text = texts.get(entry);
  if (text === undefined) {
    text = `${entry.id}${SEPARATOR}${entry.from.toLowerCase()}`;
    for (const address of entry.to) text += SEPARATOR + address.toLowerCase();
    if (entry.subject) text += SEPARATOR + entry.subject.toLowerCase();
    texts.set(entry, text);
  }
  return text;
}

/** Whether `searchText(entry).includes(needle)` answers as matchesSearch does: when the needle has no separator. */
export function searchTextApplies(needle: string): boolean {
  return !needle.includes(SEPARATOR);
}

/** Whether the id, sender, a recipient or the subject contains `needle` (already lower case), ignoring case. */
export function matchesSearch(entry: QueueEntry, needle: string): boolean {
  return (
    entry.id.includes(needle) ||
    entry.from.toLowerCase().includes(needle) ||
    entry.to.some((address) => address.toLowerCase().includes(needle)) ||
    (entry.subject?.toLowerCase().includes(needle) ?? false)
  );
}
