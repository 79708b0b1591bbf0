import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonLinesLog, type DayFileSource, type ReadDayOptions } from '../../../electron/engine/logs/json-lines-log.js';
import type { LineRecord } from '../../../electron/engine/logs/read-json-lines.js';
import { readNewestPage } from '../../../electron/engine/logs/read-newest-page.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { seeded } from '../../support/seeded-random.js';

interface Event {
  time: string;
  n: number;
  kind: 'a' | 'b';
}

let root: string;
let counter = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-page-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});
const newLog = (): JsonLinesLog<Event> => new JsonLinesLog<Event>({ dir: join(root, `case-${++counter}`), name: 'attempts', logger: createMemoryLogger() });

/** The reference answer: sort everything in memory, newest first, later append first on equal times. */
function expectedPage(events: Event[], startMs: number, endMs: number, offset: number, limit: number, filter?: (event: Event) => boolean): { total: number; ns: number[] } {
  const matching = events
    .map((event, index) => ({ event, index, timeMs: Date.parse(event.time) }))
    .filter(({ event, timeMs }) => timeMs >= startMs && timeMs < endMs && (!filter || filter(event)))
    .sort((a, b) => b.timeMs - a.timeMs || b.index - a.index);
  return { total: matching.length, ns: matching.slice(offset, offset + limit).map(({ event }) => event.n) };
}

describe('readNewestPage', () => {
  it('pages newest first across days, out-of-order lines and crowded seconds included', async () => {
    const log = newLog();
    const random = seeded(42);
    const base = Date.parse('2026-11-25T00:00:00Z');
    const events: Event[] = [];
    for (let n = 0; n < 3000; n++) {
      // A third of the records share a handful of seconds; the rest spread over three days.
      const timeMs = random() < 0.33 ? base + 86_400_000 + Math.floor(random() * 5) * 1000 + Math.floor(random() * 3) : base + Math.floor(random() * 3 * 86_400_000);
      const event: Event = { time: new Date(timeMs).toISOString(), n, kind: random() < 0.5 ? 'a' : 'b' };
      events.push(event);
      log.append(event);
    }
    await log.flush();
    const startMs = base + 3_600_000;
    const endMs = base + 3 * 86_400_000 - 3_600_000;
    for (const [offset, limit] of [[0, 10], [0, 5000], [7, 100], [990, 50], [1500, 1], [2900, 300], [5000, 10]] as const) {
      const page = await readNewestPage(log, { startMs, endMs, offset, limit });
      const expected = expectedPage(events, startMs, endMs, offset, limit);
      assert.equal(page.total, expected.total);
      assert.deepEqual(page.records.map((event) => event.n), expected.ns, `offset ${offset} limit ${limit}`);
    }
    const onlyB = (event: Event): boolean => event.kind === 'b';
    const page = await readNewestPage(log, { startMs, endMs, offset: 100, limit: 200, filter: onlyB });
    const expected = expectedPage(events, startMs, endMs, 100, 200, onlyB);
    assert.equal(page.total, expected.total);
    assert.deepEqual(page.records.map((event) => event.n), expected.ns);
    await log.close();
  });

  it('returns an empty page with a zero total when no day file exists', async () => {
    const log = newLog();
    assert.deepEqual(await readNewestPage(log, { startMs: 0, endMs: Date.now(), offset: 0, limit: 10 }), { total: 0, records: [] });
  });

  it('counts and pages the same lines when records are appended between its two passes', async () => {
    const log = newLog();
    const events: Event[] = [];
    for (let n = 0; n < 50; n++) {
      const event: Event = { time: new Date(Date.parse('2026-11-27T10:00:00Z') + n * 1000).toISOString(), n, kind: 'a' };
      events.push(event);
      log.append(event);
    }
    await log.flush();
    // A source that appends newer records to the same day just before the second pass reads it.
    let reads = 0;
    const racing: DayFileSource<Event> = {
      listDays: (startMs, endMs) => log.listDays(startMs, endMs),
      async *readDay(dayKey: string, options?: ReadDayOptions): AsyncGenerator<LineRecord<Event>[]> {
        if (++reads === 2) {
          // Same second as the newest counted record: without the byte limit they would enter the page.
          for (let n = 50; n < 60; n++) log.append({ time: new Date(Date.parse('2026-11-27T10:00:49.500Z') + n).toISOString(), n, kind: 'a' });
          await log.flush();
        }
        yield* log.readDay(dayKey, options);
      },
    };
    const page = await readNewestPage(racing, { startMs: 0, endMs: Number.POSITIVE_INFINITY, offset: 0, limit: 5 });
    assert.equal(reads, 2);
    assert.equal(page.total, 50);
    assert.deepEqual(page.records.map((event) => event.n), [49, 48, 47, 46, 45]);
    await log.close();
  });
});
