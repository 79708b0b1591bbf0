import type { DayFileSource, TimedRecord } from './json-lines-log.js';
import { emptyReadStats } from './read-json-lines.js';
import { utcDayStartMs } from './utc-day.js';

export interface NewestPageQuery<T> {
  /** Inclusive, ms since epoch. */
  startMs: number;
  /** Exclusive, ms since epoch. */
  endMs: number;
  /** Must be pure: it runs twice over the same lines and both runs must agree. */
  filter?: ((record: T) => boolean) | undefined;
  /** Rows to skip, counted from the newest. */
  offset: number;
  limit: number;
}

export interface Page<T> {
  /** Every matching record in the range, not just this page. */
  total: number;
  /** Newest first; equal times: the later appended first. */
  records: T[];
}

const SECONDS_PER_DAY = 86_400;
const SECOND_MS = 1000;

/**
 * One page of matching records, newest first, with an exact total, in memory bounded by the page.
 *
 * Day files are read newest day first. A first pass over a day counts the matches per second of the day
 * (a fixed 86,400-slot table); days before or after the page only add to the total. For a day holding
 * part of the page, the table tells which seconds hold those ranks, and a second pass over the same bytes
 * keeps only the records of those seconds, which are then sorted. Memory: the table, the page, and the
 * records sharing the page's two boundary seconds. Sorting is needed at all because lines are in append
 * order, not strictly in time order.
 */
export async function readNewestPage<T extends TimedRecord>(source: DayFileSource<T>, query: NewestPageQuery<T>): Promise<Page<T>> {
  const { startMs, endMs, filter, offset, limit } = query;
  const matches = (record: T, timeMs: number): boolean => timeMs >= startMs && timeMs < endMs && (filter === undefined || filter(record));
  const countsPerSecond = new Uint32Array(SECONDS_PER_DAY);
  const pageEnd = offset + Math.max(0, limit);
  const records: T[] = [];
  let total = 0;

  for (const dayKey of (await source.listDays(startMs, endMs)).reverse()) {
    const dayStartMs = utcDayStartMs(dayKey);
    countsPerSecond.fill(0);
    const stats = emptyReadStats();
    let dayCount = 0;
    for await (const batch of source.readDay(dayKey, { stats })) {
      for (const { record } of batch) {
        const timeMs = Date.parse(record.time);
        if (!matches(record, timeMs)) continue;
        const second = secondOfDay(timeMs, dayStartMs);
        countsPerSecond[second] = (countsPerSecond[second] ?? 0) + 1;
        dayCount++;
      }
    }

    // This day's records hold the newest-first ranks [total, total + dayCount).
    const firstRank = Math.max(offset, total);
    const endRank = Math.min(pageEnd, total + dayCount);
    if (firstRank < endRank) {
      const seconds = secondsHoldingRanks(countsPerSecond, total, firstRank, endRank);
      const picked: { record: T; timeMs: number; lineIndex: number }[] = [];
      for await (const batch of source.readDay(dayKey, { byteLength: stats.bytes, quiet: true })) {
        for (const { record, lineIndex } of batch) {
          const timeMs = Date.parse(record.time);
          if (!matches(record, timeMs)) continue;
          const second = secondOfDay(timeMs, dayStartMs);
          if (second >= seconds.oldest && second <= seconds.newest) picked.push({ record, timeMs, lineIndex });
        }
      }
      picked.sort((a, b) => b.timeMs - a.timeMs || b.lineIndex - a.lineIndex);
      for (const entry of picked.slice(firstRank - seconds.rankBefore, endRank - seconds.rankBefore)) records.push(entry.record);
    }
    total += dayCount;
  }
  return { total, records };
}

/**
 * Walks the per-second counts from the end of the day and returns the span of seconds covering ranks
 * [firstRank, endRank), plus the rank of the first record in the newest second of that span.
 */
function secondsHoldingRanks(counts: Uint32Array, rankAtDayEnd: number, firstRank: number, endRank: number): { newest: number; oldest: number; rankBefore: number } {
  let rank = rankAtDayEnd;
  let newest = -1;
  let oldest = -1;
  let rankBefore = rankAtDayEnd;
  for (let second = SECONDS_PER_DAY - 1; second >= 0 && rank < endRank; second--) {
    const count = counts[second] ?? 0;
    if (count === 0) continue;
    if (rank + count > firstRank) {
      if (newest < 0) {
        newest = second;
        rankBefore = rank;
      }
      oldest = second;
    }
    rank += count;
  }
  return { newest, oldest, rankBefore };
}

/** Clamped so a record filed under the wrong day (hand edit) still counts instead of indexing out of range. */
function secondOfDay(timeMs: number, dayStartMs: number): number {
  return Math.min(SECONDS_PER_DAY - 1, Math.max(0, Math.floor((timeMs - dayStartMs) / SECOND_MS)));
}
