import type { IndexedDayFileSource, TimedRecord } from './json-lines-log.js';

/**
 * The newest record of each domain with time in [startMs, endMs), from the day indexes: a pass over typed
 * arrays per day and one read per domain, instead of parsing every line of the range (two days of a busy
 * spool are tens of thousands of attempts, read at every start). Null when the log keeps no index.
 * Equal times: the later line wins, as in the reports.
 */
export async function newestByDomain<T extends TimedRecord & { domain: string }>(source: IndexedDayFileSource<T>, startMs: number, endMs: number): Promise<Map<string, T> | null> {
  const newest = new Map<string, T>();
  // Newest day first: a record's time picks its day file, so a newer day's record is newer.
  for (const dayKey of (await source.listDays(startMs, endMs)).reverse()) {
    const index = await source.dayIndex(dayKey);
    if (!index || index.overflow) return null;
    const best = new Map<number, number>(); // domain id → position
    for (let position = 0; position < index.count; position++) {
      const time = index.timeMs[position]!;
      if (time < startMs || time >= endMs) continue;
      const id = index.domainId[position]!;
      const current = best.get(id);
      if (current === undefined || time > index.timeMs[current]! || (time === index.timeMs[current]! && index.offset[position]! > index.offset[current]!)) best.set(id, position);
    }
    const wanted = [...best.entries()].filter(([id]) => {
      const domain = index.domains[id];
      return domain !== null && domain !== undefined && !newest.has(domain);
    });
    const records = await source.readAt(
      dayKey,
      wanted.map(([, position]) => ({ offset: index.offset[position]!, length: index.length[position]! })),
    );
    for (const record of records) if (!newest.has(record.domain)) newest.set(record.domain, record);
  }
  return newest;
}
