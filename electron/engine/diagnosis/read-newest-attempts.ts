import type { AttemptRecord } from '../../contract/report-schema.js';
import type { DayFileSource } from '../logs/json-lines-log.js';

/**
 * The newest `limit` matching records since `sinceMs`, newest first (equal times: the later appended
 * first). Day files are read newest day first and reading stops at the first day that completes the
 * count, so a busy domain costs a day or two of log, not the whole range. Memory: at most 2 × limit
 * records (trimmed while reading, as JsonLinesLog.findRecent does).
 */
export async function readNewestAttempts(
  log: DayFileSource<AttemptRecord>,
  query: { sinceMs: number; limit: number; filter: (record: AttemptRecord) => boolean },
): Promise<AttemptRecord[]> {
  const { sinceMs, limit, filter } = query;
  type Found = { record: AttemptRecord; timeMs: number; order: number };
  const newestFirst = (a: Found, b: Found): number => b.timeMs - a.timeMs || b.order - a.order;
  let found: Found[] = [];
  let order = 0;
  for (const dayKey of (await log.listDays(sinceMs, Number.POSITIVE_INFINITY)).reverse()) {
    for await (const batch of log.readDay(dayKey)) {
      for (const { record } of batch) {
        const timeMs = Date.parse(record.time);
        if (!(timeMs >= sinceMs) || !filter(record)) continue;
        found.push({ record, timeMs, order: order++ });
        if (found.length >= 2 * limit) found = found.sort(newestFirst).slice(0, limit);
      }
    }
    // Earlier days hold only older records (a record's day file is the UTC day of its time).
    if (found.length >= limit) break;
  }
  return found.sort(newestFirst).slice(0, limit).map((entry) => entry.record);
}
