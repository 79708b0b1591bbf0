import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonLinesLog, type IndexedDayFileSource } from '../../../electron/engine/logs/json-lines-log.js';
import { newestByDomain } from '../../../electron/engine/logs/newest-by-domain.js';
import { readIndexedPage } from '../../../electron/engine/logs/read-indexed-page.js';
import { readNewestPage } from '../../../electron/engine/logs/read-newest-page.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { seeded } from '../../support/seeded-random.js';

interface Event {
  time: string;
  n: number;
  domain: string | null;
  outcome: 'delivered' | 'deferred' | 'bounced';
}

const DAY_MS = 86_400_000;
const BASE = Date.parse('2026-11-01T00:00:00Z'); // past days: their indexes are written to disk
let root: string;
let counter = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-indexed-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const parse = (value: unknown): Event | undefined => {
  const event = value as Partial<Event>;
  return typeof event.time === 'string' && typeof event.n === 'number' && typeof event.outcome === 'string' ? (value as Event) : undefined;
};
const openLog = (dir: string, logger = createMemoryLogger()): JsonLinesLog<Event> =>
  new JsonLinesLog<Event>({ dir, name: 'attempts', logger, parse, indexKeys: { domainOf: (event) => event.domain, outcomeOf: (event) => event.outcome } });
const newDir = (): string => join(root, `case-${++counter}`);

function randomEvents(count: number, days: number, seed: number): Event[] {
  const random = seeded(seed);
  const domains = ['example.com', 'Example.COM', 'other.example', null];
  const outcomes = ['delivered', 'deferred', 'bounced'] as const;
  return Array.from({ length: count }, (_, n) => {
    // A quarter share a few crowded seconds, so equal times (ordered by append) are common.
    const timeMs = random() < 0.25 ? BASE + DAY_MS + Math.floor(random() * 4) * 1000 : BASE + Math.floor(random() * days * DAY_MS);
    return { time: new Date(timeMs).toISOString(), n, domain: domains[Math.floor(random() * domains.length)]!, outcome: outcomes[Math.floor(random() * outcomes.length)]! };
  });
}

describe('readIndexedPage', () => {
  it('gives exactly readNewestPage\'s pages and totals, for every window, filter and page', async () => {
    const log = openLog(newDir());
    for (const event of randomEvents(4000, 4, 7)) log.append(event);
    await log.flush();
    const random = seeded(11);
    for (let round = 0; round < 60; round++) {
      const startMs = BASE - DAY_MS + Math.floor(random() * 3 * DAY_MS);
      const endMs = startMs + Math.floor(random() * 3 * DAY_MS) + 1;
      const domain = [undefined, 'example.com', 'EXAMPLE.com', 'other.example', 'nobody.example'][Math.floor(random() * 5)];
      const outcome = [undefined, 'deferred', 'bounced', 'unknown'][Math.floor(random() * 4)];
      const offset = Math.floor(random() * 1500);
      const limit = 1 + Math.floor(random() * 300);
      const indexed = await readIndexedPage(log, { startMs, endMs, domain, outcome, offset, limit });
      const reference = await readNewestPage(log, {
        startMs,
        endMs,
        offset,
        limit,
        filter: (event) => (domain === undefined || event.domain?.toLowerCase() === domain.toLowerCase()) && (outcome === undefined || event.outcome === outcome),
      });
      const what = JSON.stringify({ startMs, endMs, domain, outcome, offset, limit });
      assert.ok(indexed, 'an indexed log answers from its indexes');
      assert.equal(indexed.total, reference.total, what);
      assert.deepEqual(indexed.records.map((event) => event.n), reference.records.map((event) => event.n), what);
    }
    await log.close();
  });

  it('writes past days\' indexes to disk, reuses them after a restart and reads only lines appended since', async () => {
    const dir = newDir();
    const events = randomEvents(1200, 3, 3);
    const first = openLog(dir);
    for (const event of events) first.append(event);
    await first.close();
    const query = { startMs: BASE, endMs: BASE + 3 * DAY_MS, offset: 0, limit: 20 };
    const built = await readIndexedPage(first, query);
    assert.equal(built?.total, 1200);
    assert.equal(first.indexedLinesRead, 1200, 'the first report reads every line once');
    assert.deepEqual((await readdir(join(dir, 'index'))).sort(), ['attempts-2026-11-01.jsonl.idx', 'attempts-2026-11-02.jsonl.idx', 'attempts-2026-11-03.jsonl.idx']);

    const restarted = openLog(dir);
    const again = await readIndexedPage(restarted, query);
    assert.deepEqual(again, built, 'same answer from the index files');
    assert.equal(restarted.indexedLinesRead, 0, 'no line re-read after a restart');

    const late: Event = { time: new Date(BASE + DAY_MS + 5).toISOString(), n: 5000, domain: 'example.com', outcome: 'bounced' };
    restarted.append(late);
    const withLate = await readIndexedPage(restarted, { ...query, outcome: 'bounced', limit: 5000 });
    assert.equal(restarted.indexedLinesRead, 1, 'only the appended line is read');
    assert.ok(withLate?.records.some((event) => event.n === 5000));
    assert.equal(withLate?.total, events.filter((event) => event.outcome === 'bounced').length + 1);
    await restarted.close();
  });

  it('rebuilds from the log when an index file is garbage or its log file was replaced', async () => {
    const dir = newDir();
    const log = openLog(dir);
    const events = randomEvents(300, 1, 5);
    for (const event of events) log.append(event);
    await log.close();
    const query = { startMs: BASE, endMs: BASE + DAY_MS, offset: 0, limit: 5 };
    const firstDay = events.filter((event) => Date.parse(event.time) < BASE + DAY_MS).length;
    assert.equal((await readIndexedPage(log, query))?.total, firstDay);

    await writeFile(join(dir, 'index', 'attempts-2026-11-01.jsonl.idx'), 'not an index');
    const afterGarbage = openLog(dir);
    assert.equal((await readIndexedPage(afterGarbage, query))?.total, firstDay);
    assert.equal(afterGarbage.indexedLinesRead, firstDay, 'rebuilt from the log');

    // Another (shorter) file in its place: the old index must not be used for it.
    const file = join(dir, 'attempts-2026-11-01.jsonl');
    await rm(file);
    await writeFile(file, `${JSON.stringify({ time: new Date(BASE + 10).toISOString(), n: 1, domain: 'example.com', outcome: 'delivered' })}\n`);
    const replaced = openLog(dir);
    const page = await readIndexedPage(replaced, query);
    assert.equal(page?.total, 1);
    assert.deepEqual(page?.records.map((event) => event.n), [1]);
  });

  it('skips damaged lines and leaves a last line without its newline until it is complete', async () => {
    const dir = newDir();
    const logger = createMemoryLogger();
    const log = openLog(dir, logger);
    log.append({ time: new Date(BASE + 1000).toISOString(), n: 1, domain: 'example.com', outcome: 'delivered' });
    await log.close();
    const file = join(dir, 'attempts-2026-11-01.jsonl');
    await appendFile(file, 'not json\n\n{"time":"2026-11-01T00:00:03.000Z","n":3,"domain":null,"outcome":"deferred"}\n{"time":"2026-11-01T00:00:04.000Z","n":4,');
    const query = { startMs: BASE, endMs: BASE + DAY_MS, offset: 0, limit: 10 };
    const page = await readIndexedPage(log, query);
    assert.deepEqual(page?.records.map((event) => event.n), [3, 1]);
    assert.ok(logger.entries.some((entry) => entry.code === 'LOG_LINES_SKIPPED'), 'the damaged line is reported');

    // The writer ends the torn line before appending, so it becomes one skipped line and the new record counts.
    const reopened = openLog(dir, logger);
    reopened.append({ time: new Date(BASE + 5000).toISOString(), n: 5, domain: 'example.com', outcome: 'delivered' });
    await reopened.flush();
    assert.deepEqual((await readIndexedPage(reopened, query))?.records.map((event) => event.n), [5, 3, 1]);
    await reopened.close();
  });

  it('newestByDomain finds each domain\'s newest record in a window, as a full read would', async () => {
    const log = openLog(newDir());
    const events = randomEvents(3000, 4, 21);
    for (const event of events) log.append(event);
    await log.flush();
    for (const [startMs, endMs] of [[BASE, BASE + 4 * DAY_MS], [BASE + DAY_MS / 2, BASE + 2 * DAY_MS], [BASE + DAY_MS, BASE + DAY_MS + 3000]] as const) {
      const expected = new Map<string, number>();
      events.forEach((event, order) => {
        const time = Date.parse(event.time);
        if (event.domain === null || time < startMs || time >= endMs) return;
        const previous = expected.get(event.domain);
        // Later append wins on equal times: `order` is append order.
        if (previous === undefined || time >= Date.parse(events[previous]!.time)) expected.set(event.domain, order);
      });
      const found = await newestByDomain(log as unknown as IndexedDayFileSource<Event & { domain: string }>, startMs, endMs);
      assert.deepEqual(
        new Map([...(found ?? new Map<string, Event>())].map(([domain, event]) => [domain, event.n])),
        new Map([...expected].map(([domain, order]) => [domain, events[order]!.n])),
        `${startMs}..${endMs}`,
      );
    }
    await log.close();
  });

  it('answers null for a log without index keys, so the report reads the lines', async () => {
    const log = new JsonLinesLog<Event>({ dir: newDir(), name: 'attempts', logger: createMemoryLogger(), parse });
    log.append({ time: new Date(BASE).toISOString(), n: 1, domain: null, outcome: 'delivered' });
    await log.flush();
    assert.equal(await readIndexedPage(log, { startMs: BASE, endMs: BASE + DAY_MS, offset: 0, limit: 10 }), null);
    await log.close();
  });
});
