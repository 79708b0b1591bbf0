import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';

interface Event {
  time: string;
  n: number;
  text?: string;
}

let root: string;
let counter = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-logs-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});
const freshDir = (): string => join(root, `case-${++counter}`);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function attempt(time: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    time,
    queueId: 'Q1',
    messageId: null,
    domain: 'example.com',
    from: 'a@example.org',
    recipients: ['b@example.com'],
    destination: 'mail.example.com:25',
    remoteAddress: '192.0.2.1',
    localAddress: null,
    stage: 'done',
    code: 250,
    enhancedCode: '2.0.0',
    response: '250 2.0.0 Ok',
    errorCode: null,
    durationMs: 12,
    outcome: 'delivered',
    ...overrides,
  };
}

describe('JsonLinesLog', () => {
  it('writes one file per UTC day, picked by the record time, and reads [start, end)', async () => {
    const dir = freshDir();
    const log = new JsonLinesLog<Event>({ dir, name: 'attempts', logger: createMemoryLogger() });
    log.append({ time: '2026-11-26T23:59:59.999Z', n: 1 });
    log.append({ time: '2026-11-27T00:00:00.000Z', n: 2 });
    // An offset time lands on its UTC day: 00:30+01:00 is 23:30 UTC the day before.
    log.append({ time: '2026-11-28T00:30:00.000+01:00', n: 3 });
    log.append({ time: '2026-11-28T10:00:00.000Z', n: 4 });
    await log.flush();

    assert.deepEqual((await readdir(dir)).sort(), ['attempts-2026-11-26.jsonl', 'attempts-2026-11-27.jsonl', 'attempts-2026-11-28.jsonl']);
    const day27 = (await readFile(join(dir, 'attempts-2026-11-27.jsonl'), 'utf8')).split('\n');
    assert.deepEqual(day27.map((line) => (line ? (JSON.parse(line) as Event).n : null)), [2, 3, null]);

    const start = Date.parse('2026-11-27T00:00:00Z');
    const end = Date.parse('2026-11-28T10:00:00Z');
    assert.deepEqual((await collect(log.readRange(start, end))).map((event) => event.n), [2, 3]);
    assert.deepEqual((await collect(log.readRange(0, Number.POSITIVE_INFINITY, (event) => event.n % 2 === 0))).map((event) => event.n), [2, 4]);
    assert.deepEqual(await log.listDays(start, end), ['2026-11-27', '2026-11-28']);
    assert.deepEqual(await log.listDays(start, start + 1), ['2026-11-27']);
    await log.close();
  });

  it('batches a burst of appends, keeps at most two day files open, and reads them back in order', async () => {
    const dir = freshDir();
    const log = new JsonLinesLog<Event>({ dir, name: 'attempts', logger: createMemoryLogger() });
    const base = Date.parse('2026-11-20T00:00:00Z');
    const count = 20_000;
    // Spread over 5 days, appended in time order.
    for (let n = 0; n < count; n++) log.append({ time: new Date(base + Math.floor((n * 5 * 86_400_000) / count)).toISOString(), n });
    await log.flush();
    assert.ok(log.openFileCount <= 2, `open files: ${log.openFileCount}`);
    assert.equal((await readdir(dir)).length, 5);
    const all = await collect(log.readRange(base, base + 5 * 86_400_000));
    assert.equal(all.length, count);
    assert.ok(all.every((event, index) => event.n === index));
    await log.close();
    assert.equal(log.openFileCount, 0);
  });

  it('reads records appended just before without an explicit flush', async () => {
    const log = new JsonLinesLog<Event>({ dir: freshDir(), name: 'inbound', logger: createMemoryLogger() });
    log.append({ time: '2026-11-27T09:00:00Z', n: 1 });
    assert.deepEqual((await collect(log.readRange(0, Number.POSITIVE_INFINITY))).map((event) => event.n), [1]);
    await log.close();
  });

  it('skips a partial last line left by a crash, and ends it before appending', async () => {
    const dir = freshDir();
    const logger = createMemoryLogger();
    const path = join(dir, 'attempts-2026-11-27.jsonl');
    const good = (n: number): string => JSON.stringify({ time: `2026-11-27T09:00:0${n}.000Z`, n }) + '\n';
    const log = new JsonLinesLog<Event>({ dir, name: 'attempts', logger });
    log.append({ time: '2026-11-27T08:00:00.000Z', n: 0 }); // creates the directory
    await log.close();
    await writeFile(path, good(1) + good(2) + '{"time":"2026-11-27T09:00:03.000Z","n":3,"te');

    const reopened = new JsonLinesLog<Event>({ dir, name: 'attempts', logger });
    assert.deepEqual((await collect(reopened.readRange(0, Number.POSITIVE_INFINITY))).map((event) => event.n), [1, 2]);
    assert.ok(logger.entries.some((entry) => entry.code === 'LOG_LINES_SKIPPED' && entry.fields.skipped === 1));

    // The next record must not be glued to the broken line.
    reopened.append({ time: '2026-11-27T09:00:04.000Z', n: 4 });
    await reopened.flush();
    assert.ok(logger.entries.some((entry) => entry.code === 'LOG_PARTIAL_LINE_ENDED'));
    assert.deepEqual((await collect(reopened.readRange(0, Number.POSITIVE_INFINITY))).map((event) => event.n), [1, 2, 4]);
    await reopened.close();
  });

  it('reads a file of several batches ending in a partial line, and stops cleanly when the reader breaks off', async () => {
    const dir = freshDir();
    const log = new JsonLinesLog<Event>({ dir, name: 'attempts', logger: createMemoryLogger() });
    const base = Date.parse('2026-11-27T00:00:00Z');
    for (let n = 0; n < 2500; n++) log.append({ time: new Date(base + n).toISOString(), n, text: 'ü'.repeat(n % 50) });
    await log.close();
    await appendFile(join(dir, 'attempts-2026-11-27.jsonl'), '{"time":"2026-11-27T12:00:00.000Z","n":99');

    const reader = new JsonLinesLog<Event>({ dir, name: 'attempts', logger: createMemoryLogger() });
    const all = await collect(reader.readRange(0, Number.POSITIVE_INFINITY));
    assert.equal(all.length, 2500);
    assert.ok(all.every((event, index) => event.n === index && event.text === 'ü'.repeat(index % 50)));
    let seen = 0;
    for await (const event of reader.readRange(0, Number.POSITIVE_INFINITY)) {
      if (++seen === 1200 || event.n < 0) break;
    }
    assert.equal((await collect(reader.readRange(base, base + 10))).length, 10);
    await reader.close();
  });

  it('skips corrupt lines in the middle and lines the schema refuses', async () => {
    const dir = freshDir();
    const log = createAttemptLog(dir, createMemoryLogger());
    log.append(attempt('2026-11-27T09:00:00.000Z', { queueId: 'A' }));
    await log.flush();
    const path = join(dir, 'attempts-2026-11-27.jsonl');
    await appendFile(path, 'not json at all\n' + JSON.stringify({ time: '2026-11-27T09:00:01.000Z', queueId: 'no other fields' }) + '\n\n');
    log.append(attempt('2026-11-27T09:00:02.000Z', { queueId: 'B' }));
    const read = await collect(log.readRange(0, Number.POSITIVE_INFINITY));
    assert.deepEqual(read.map((record) => record.queueId), ['A', 'B']);
    await log.close();
  });

  it('keeps strings exactly, line breaks and non-ASCII included', async () => {
    const log = createAttemptLog(freshDir(), createMemoryLogger());
    const response = '550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1  Größe “quoted”  \t';
    log.append(attempt('2026-11-27T09:00:00.000Z', { response }));
    const [record] = await collect(log.readRange(0, Number.POSITIVE_INFINITY));
    assert.equal(record?.response, response);
    await log.close();
  });

  it('finds the newest matching records since a time, oldest first', async () => {
    const log = createAttemptLog(freshDir(), createMemoryLogger());
    const base = Date.parse('2026-11-01T12:00:00Z');
    for (let day = 0; day < 10; day++) {
      log.append(attempt(new Date(base + day * 86_400_000).toISOString(), { queueId: day % 2 === 0 ? 'EVEN' : 'ODD', durationMs: day }));
    }
    const since = base + 3 * 86_400_000;
    const even = await log.findRecent((record) => record.queueId === 'EVEN', since);
    assert.deepEqual(even.map((record) => record.durationMs), [4, 6, 8]);
    const newestTwo = await log.findRecent(() => true, 0, 2);
    assert.deepEqual(newestTwo.map((record) => record.durationMs), [8, 9]);
    await log.close();
  });

  it('with lineContains parses only the lines holding that text, and finds the same records', async () => {
    const dir = freshDir();
    const logger = createMemoryLogger();
    let parsed = 0;
    const log = new JsonLinesLog<AttemptRecord>({ dir, name: 'attempts', logger, parse: (value) => (parsed++, value as AttemptRecord) });
    const day = '2026-11-27';
    for (let n = 0; n < 50; n++) log.append(attempt(`${day}T09:00:${String(n).padStart(2, '0')}.000Z`, { queueId: n % 10 === 0 ? 'wanted1' : `other${n}`, durationMs: n }));
    await log.flush();
    // A line no parser would accept, without the text: passed over, not reported as skipped.
    await appendFile(log.pathFor(day), '{not json\n');
    parsed = 0;
    const found = await log.findRecent((record) => record.queueId === 'wanted1', 0, 1000, '"queueId":"wanted1"');
    assert.deepEqual(found.map((record) => record.durationMs), [0, 10, 20, 30, 40]);
    assert.equal(parsed, 5, 'only the five lines holding the text were parsed');
    assert.equal(logger.entries.filter((entry) => entry.code === 'LOG_LINES_SKIPPED').length, 0);
    await log.close();
  });

  it('with lineContains finds every hit across read chunks, at the start of a file and in a last line still being written', async () => {
    const dir = freshDir();
    const log = createAttemptLog(dir, createMemoryLogger());
    const base = Date.parse('2026-11-25T00:00:00Z');
    // Over 3 MiB a day, so lines straddle the 1 MiB reads; line lengths vary so the straddling point moves.
    for (let n = 0; n < 24_000; n++) {
      const queueId = n % 997 === 0 || n === 1 ? 'needle42' : `q${n}`;
      log.append(attempt(new Date(base + n * 10_000).toISOString(), { queueId, durationMs: n, response: `250 ok ${'x'.repeat(n % 300)}` }));
    }
    await log.flush();
    // A record whose line has no LF yet, as in the middle of an append.
    const lastDay = '2026-11-27';
    await appendFile(log.pathFor(lastDay), JSON.stringify(attempt('2026-11-27T23:59:59.000Z', { queueId: 'needle42', durationMs: -1 })));
    const since = base + 5_000;
    const wanted = (record: AttemptRecord) => record.queueId === 'needle42';
    const searched = await log.findRecent(wanted, since, 1000, '"queueId":"needle42"');
    const read = await log.findRecent(wanted, since, 1000);
    assert.deepEqual(searched, read, 'the same records as reading every line');
    // n = 997, 1994, … 23,928 (24), n = 1, and the unfinished line; n = 0 is before "since".
    assert.equal(searched.length, 24 + 1 + 1);
    assert.equal(searched.at(-1)?.durationMs, -1);
    await log.close();
  });

  it('refuses a record without a valid time and appends after close', async () => {
    const log = new JsonLinesLog<Event>({ dir: freshDir(), name: 'attempts', logger: createMemoryLogger() });
    assert.throws(() => log.append({ time: 'yesterday', n: 1 }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
    await log.close();
    assert.throws(() => log.append({ time: '2026-11-27T09:00:00Z', n: 1 }), AppError);
  });

  it('reports a write failure once, through flush, and logs it', async () => {
    const blocker = join(root, `blocker-${++counter}`);
    await writeFile(blocker, 'a file where the log directory should be');
    const logger = createMemoryLogger();
    const log = new JsonLinesLog<Event>({ dir: join(blocker, 'logs'), name: 'attempts', logger });
    log.append({ time: '2026-11-27T09:00:00Z', n: 1 });
    await assert.rejects(log.flush(), (error: unknown) => error instanceof AppError && error.code === 'STORAGE_ERROR' && error.retryable);
    assert.ok(logger.entries.some((entry) => entry.code === 'LOG_APPEND_FAILED' && entry.fields.records === 1));
    await log.flush();
    await log.close();
  });

  it('refuses a log name that could escape the directory', () => {
    assert.throws(() => new JsonLinesLog<Event>({ dir: root, name: '../x', logger: createMemoryLogger() }), AppError);
  });
});
