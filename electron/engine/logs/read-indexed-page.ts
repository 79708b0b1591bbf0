import type { DayIndex } from './day-index.js';
import type { IndexedDayFileSource, TimedRecord } from './json-lines-log.js';
import type { Page } from './read-newest-page.js';

export interface IndexedPageQuery {
  /** Inclusive, ms since epoch. */
  startMs: number;
  /** Exclusive, ms since epoch. */
  endMs: number;
  /** Only records of this domain, compared without case; undefined = all. */
  domain?: string | undefined;
  /** Only records with this outcome; undefined = all. */
  outcome?: string | undefined;
  /** Rows to skip, counted from the newest. */
  offset: number;
  limit: number;
}

/**
 * readNewestPage's result (same order, same exact total) from the day indexes: the total is a loop over
 * typed arrays, and only the page's own lines are read and parsed. Newest day first; within a day, newest
 * time first and, for equal times, the later line first (a larger byte offset is a later append).
 */
export async function readIndexedPage<T extends TimedRecord>(source: IndexedDayFileSource<T>, query: IndexedPageQuery): Promise<Page<T> | null> {
  const pageEnd = query.offset + Math.max(0, query.limit);
  const records: T[] = [];
  let total = 0;
  for (const dayKey of (await source.listDays(query.startMs, query.endMs)).reverse()) {
    const index = await source.dayIndex(dayKey);
    if (!index || index.overflow) return null; // no usable index: the caller reads the lines instead
    const matches = matcher(index, query);
    let dayCount = 0;
    for (let position = 0; position < index.count; position++) if (matches(position)) dayCount++;

    // This day's records hold the newest-first ranks [total, total + dayCount).
    const firstRank = Math.max(query.offset, total);
    const endRank = Math.min(pageEnd, total + dayCount);
    if (firstRank < endRank) {
      const positions: number[] = [];
      for (let position = 0; position < index.count; position++) if (matches(position)) positions.push(position);
      positions.sort((a, b) => index.timeMs[b]! - index.timeMs[a]! || index.offset[b]! - index.offset[a]!);
      const picked = positions.slice(firstRank - total, endRank - total);
      records.push(...(await source.readAt(dayKey, picked.map((position) => ({ offset: index.offset[position]!, length: index.length[position]! })))));
    }
    total += dayCount;
  }
  return { total, records };
}

function matcher(index: DayIndex, query: IndexedPageQuery): (position: number) => boolean {
  const { startMs, endMs } = query;
  const domainIds = query.domain === undefined ? null : index.domainIdsMatching(query.domain);
  const outcomeId = query.outcome === undefined ? null : (index.outcomeIdOf(query.outcome) ?? -1);
  const { timeMs, domainId, outcomeId: outcomes } = index;
  return (position) => {
    const time = timeMs[position]!;
    if (time < startMs || time >= endMs) return false;
    if (domainIds !== null && !domainIds.has(domainId[position]!)) return false;
    return outcomeId === null || outcomes[position] === outcomeId;
  };
}
