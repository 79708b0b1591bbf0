import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { LogRetention, type LogRetentionOptions } from '../../../electron/engine/logs/log-retention.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { onCleanup } from '../../support/cleanup.js';
import { FakeClock } from '../../support/fake-clock.js';
import { tempDir } from '../../support/temp-dir.js';
import { attemptRecord } from '../reports/report-fixtures.js';

const NAMES = ['attempts', 'inbound', 'queue-samples', 'alerts'];
const DAY_MS = 86_400_000;
// 09:00 UTC on 2026-11-27; the day keys below are counted back from it.
const NOW = Date.parse('2026-11-27T09:00:00Z');

function setup(dir: string, overrides: Partial<LogRetentionOptions> = {}) {
  const clock = new FakeClock(NOW);
  const logger = createMemoryLogger();
  let retentionDays = 90;
  const retention = new LogRetention({ dir, names: NAMES, retentionDays: () => retentionDays, clock, logger, ...overrides });
  return {
    clock,
    logger,
    retention,
    setRetentionDays: (days: number) => (retentionDays = days),
    codes: (code: string) => logger.entries.filter((entry) => entry.code === code),
  };
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function touch(dir: string, names: string[], content = '{"time":"2026-01-01T00:00:00Z"}\n'): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of names) await writeFile(join(dir, name), content);
}

/** Polls real time: runs started by a fake timer finish on real file I/O. */
async function until(t: TestContext, check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (${t.name})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LogRetention', () => {
  it('deletes the day files and index files of days before the kept window, only those, and logs each one', async (t) => {
    const dir = await tempDir(t);
    const index = join(dir, 'index');
    // 90 days before 2026-11-27 is 2026-08-29: kept; 2026-08-28 is the newest day to go.
    const old = ['attempts-2026-08-28.jsonl', 'inbound-2026-01-01.jsonl', 'queue-samples-2025-12-31.jsonl', 'alerts-2020-02-29.jsonl'];
    const kept = ['attempts-2026-08-29.jsonl', 'attempts-2026-11-26.jsonl', 'attempts-2026-11-27.jsonl', 'alerts-2026-11-27.jsonl'];
    const foreign = [
      'notes-2020-01-01.jsonl', // another log's name
      'attempts-2020-01-01.jsonl.bak', // an admin's copy
      'attempts-2020-01-01.json',
      'xattempts-2020-01-01.jsonl',
      'attempts-2026-02-30.jsonl', // not a real day (Date.parse would roll it over to March)
      'README.txt',
    ];
    await touch(dir, [...old, ...kept, ...foreign]);
    const oldIndexes = ['attempts-2026-08-28.jsonl.idx', 'inbound-2026-01-01.jsonl.idx', 'inbound-2026-01-02.jsonl.idx.tmp'];
    const keptIndexes = ['attempts-2026-08-29.jsonl.idx', 'attempts-2026-11-26.jsonl.idx'];
    await touch(index, [...oldIndexes, ...keptIndexes, 'attempts-2020-01-01.idx', 'my-notes.txt'], 'x'.repeat(10));
    const { retention, codes } = setup(dir);

    const result = await retention.runNow();

    assert.deepEqual(await files(dir), [...kept, ...foreign, 'index'].sort());
    assert.deepEqual(await files(index), [...keptIndexes, 'attempts-2020-01-01.idx', 'my-notes.txt'].sort());
    const lineBytes = '{"time":"2026-01-01T00:00:00Z"}\n'.length;
    assert.deepEqual(result, { deleted: 7, bytes: 4 * lineBytes + 3 * 10, failed: 0 });
    assert.deepEqual(
      codes('LOG_RETENTION_DELETED').map((entry) => [entry.level, entry.fields.file, entry.fields.day]),
      [
        ...['alerts-2020-02-29.jsonl', 'attempts-2026-08-28.jsonl', 'inbound-2026-01-01.jsonl', 'queue-samples-2025-12-31.jsonl'].map((name) => ['info', join(dir, name), name.slice(-16, -6)]),
        ...oldIndexes.map((name) => ['info', join(index, name), /\d{4}-\d{2}-\d{2}/.exec(name)?.[0]]),
      ],
    );
    const done = codes('LOG_RETENTION_DONE');
    assert.equal(done.length, 1);
    assert.equal(done[0]?.level, 'info');
    assert.equal(done[0]?.fields.deleted, 7);
    assert.equal(done[0]?.fields.bytes, result.bytes);
    assert.equal(codes('LOG_RETENTION_FAILED').length, 0);
  });

  it('keeps today and yesterday with retentionDays 1, even just after midnight UTC', async (t) => {
    const dir = await tempDir(t);
    await touch(dir, ['attempts-2026-11-25.jsonl', 'attempts-2026-11-26.jsonl', 'attempts-2026-11-27.jsonl']);
    const { retention, clock, setRetentionDays } = setup(dir);
    setRetentionDays(1);
    clock.advance(Date.parse('2026-11-28T00:00:01Z') - NOW);

    await retention.runNow();

    assert.deepEqual(await files(dir), ['attempts-2026-11-27.jsonl']);
  });

  it('runs at start and again each day on the clock, with the retention read at each run, until stopped', async (t) => {
    const dir = await tempDir(t);
    await touch(dir, ['inbound-2026-08-28.jsonl', 'inbound-2026-08-29.jsonl', 'inbound-2026-11-20.jsonl', 'inbound-2026-11-27.jsonl']);
    const { retention, clock, codes, setRetentionDays } = setup(dir);

    retention.start();
    await until(t, () => codes('LOG_RETENTION_DONE').length === 1, 'the run at start');
    assert.deepEqual(await files(dir), ['inbound-2026-08-29.jsonl', 'inbound-2026-11-20.jsonl', 'inbound-2026-11-27.jsonl']);

    // A day later 2026-08-29 has left the 90 days: the timer's run deletes it.
    clock.advance(DAY_MS);
    await until(t, () => codes('LOG_RETENTION_DONE').length === 2, 'the run a day later');
    assert.deepEqual(await files(dir), ['inbound-2026-11-20.jsonl', 'inbound-2026-11-27.jsonl']);

    // The setting is read at the next run, no restart: 2 days keeps 2026-11-26 and later on 2026-11-28.
    setRetentionDays(2);
    clock.advance(DAY_MS);
    await until(t, () => codes('LOG_RETENTION_DONE').length === 3, 'the run with the new setting');
    assert.deepEqual(await files(dir), ['inbound-2026-11-27.jsonl']);
    assert.equal(codes('LOG_RETENTION_DONE')[2]?.fields.retentionDays, 2);

    await retention.stop();
    await touch(dir, ['inbound-2026-01-01.jsonl']);
    clock.advance(3 * DAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(codes('LOG_RETENTION_DONE').length, 3, 'no run after stop()');
    assert.ok((await files(dir)).includes('inbound-2026-01-01.jsonl'));
  });

  it('logs a file it cannot delete, goes on with the others, and does not reject', async (t) => {
    const dir = await tempDir(t);
    // A directory named like a day file: unlink fails (EISDIR or EPERM) even for root, unlike chmod.
    await mkdir(join(dir, 'attempts-2026-01-01.jsonl'));
    await writeFile(join(dir, 'attempts-2026-01-01.jsonl', 'inside'), 'x');
    await touch(dir, ['attempts-2026-01-02.jsonl', 'inbound-2026-01-01.jsonl']);
    const { retention, codes } = setup(dir);

    const result = await retention.runNow();

    assert.deepEqual(await files(dir), ['attempts-2026-01-01.jsonl']);
    assert.equal(result.deleted, 2);
    assert.equal(result.failed, 1);
    const failed = codes('LOG_RETENTION_FAILED');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.level, 'warn');
    assert.equal(failed[0]?.fields.file, join(dir, 'attempts-2026-01-01.jsonl'));
    assert.equal(failed[0]?.fields.day, '2026-01-01');
    assert.match(String(failed[0]?.fields.error), /EISDIR|EPERM|illegal operation|not permitted/);
    assert.equal(codes('LOG_RETENTION_DONE')[0]?.fields.failed, 1);
  });

  it('does nothing and fails nothing before the logs folder exists', async (t) => {
    const dir = join(await tempDir(t), 'logs');
    const { retention, codes } = setup(dir);
    assert.deepEqual(await retention.runNow(), { deleted: 0, bytes: 0, failed: 0 });
    assert.equal(codes('LOG_RETENTION_FAILED').length, 0);
  });
});

describe('day logs after retention deleted a day', () => {
  it('appends a late record for a deleted day to a new file, not to the deleted one still open', async (t) => {
    const dir = await tempDir(t);
    const log = createAttemptLog(dir, createMemoryLogger());
    onCleanup(t, () => log.close());
    // A record stamped long ago keeps an append handle on its day (handles are per day, least recently used closed).
    log.append(attemptRecord('2026-01-01T10:00:00Z', { queueId: 'BEFORE' }));
    await log.flush();
    await new LogRetention({ dir, names: ['attempts'], retentionDays: () => 90, clock: new FakeClock(NOW), logger: createMemoryLogger() }).runNow();
    await assert.rejects(stat(log.pathFor('2026-01-01')), { code: 'ENOENT' });

    log.append(attemptRecord('2026-01-01T11:00:00Z', { queueId: 'AFTER' }));
    await log.flush();

    const lines = (await readFile(log.pathFor('2026-01-01'), 'utf8')).trim().split('\n');
    assert.deepEqual(lines.map((line) => (JSON.parse(line) as { queueId: string }).queueId), ['AFTER']);
  });

  it('answers an empty index for a deleted day it had indexed in memory, and reads no records from it', async (t) => {
    const dir = await tempDir(t);
    const log = createAttemptLog(dir, createMemoryLogger());
    onCleanup(t, () => log.close());
    log.append(attemptRecord('2026-01-01T10:00:00Z'));
    log.append(attemptRecord('2026-01-01T11:00:00Z'));
    await log.flush();
    const before = await log.dayIndex('2026-01-01');
    assert.equal(before?.count, 2);
    const spots = [{ offset: before.offset[0] ?? 0, length: before.length[0] ?? 0 }];

    await new LogRetention({ dir, names: ['attempts'], retentionDays: () => 90, clock: new FakeClock(NOW), logger: createMemoryLogger() }).runNow();
    assert.deepEqual(await readdir(join(dir, 'index')), [], 'the saved index went with its day');

    assert.equal((await log.dayIndex('2026-01-01'))?.count, 0);
    assert.deepEqual(await log.readAt('2026-01-01', spots), []);
    assert.deepEqual(await log.listDays(0, Number.POSITIVE_INFINITY), []);
  });
});
