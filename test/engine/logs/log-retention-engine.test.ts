import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { utcDayKey } from '../../../electron/engine/logs/utc-day.js';
import { startEngine } from '../../support/engine-harness.js';
import { FakeClock } from '../../support/fake-clock.js';
import { acceptsConnections } from '../../support/mail-peers.js';
import { tempDir, waitFor } from '../../support/temp-dir.js';
import { attemptRecord } from '../reports/report-fixtures.js';

const DAY_MS = 86_400_000;

function daysAgo(clock: FakeClock, days: number): string {
  return utcDayKey(clock.now() - days * DAY_MS);
}

async function writeAttempts(logs: string, day: string, queueIds: string[]): Promise<void> {
  await mkdir(logs, { recursive: true });
  const lines = queueIds.map((queueId, n) => JSON.stringify(attemptRecord(`${day}T10:00:0${n}.000Z`, { queueId })) + '\n');
  await writeFile(join(logs, `attempts-${day}.jsonl`), lines.join(''));
}

it('the engine prunes old day logs at start and daily; a lowered retention applies at the next run; reports over deleted days answer empty', async (t) => {
  const dataDir = await tempDir(t);
  const logs = join(dataDir, 'logs');
  const clock = new FakeClock(Date.now());
  const ancient = daysAgo(clock, 200);
  const lastWeek = daysAgo(clock, 7);
  await writeAttempts(logs, ancient, ['ANCIENT']);
  await writeAttempts(logs, lastWeek, ['WEEK-1', 'WEEK-2']);
  await writeFile(join(logs, 'my-notes.txt'), 'kept');
  const h = await startEngine(t, { dataDir, clock });
  const done = () => h.logger.entries.filter((entry) => entry.code === 'LOG_RETENTION_DONE');

  // At start, with the default 90 days: the 200-day-old file goes, last week's stays.
  await waitFor(() => done().length === 1, 5000, 'the run at start');
  // (The queue sampler writes today's queue-samples file meanwhile.)
  assert.deepEqual((await readdir(logs)).filter((name) => name.startsWith('attempts-') || name.endsWith('.txt')).sort(), [`attempts-${lastWeek}.jsonl`, 'my-notes.txt']);
  const report = (day: string) => h.call('reports.outbound', { from: day, to: day, timeZone: 'UTC' });
  assert.deepEqual(await report(ancient), { total: 0, rows: [] });
  // Reading last week builds its index (saved under logs/index/, and kept in memory).
  assert.equal((await report(lastWeek)).total, 2);
  assert.ok((await readdir(join(logs, 'index'))).includes(`attempts-${lastWeek}.jsonl.idx`));

  // A shorter retention applies at once (settings.update runs it), not at the next daily run.
  await h.call('settings.update', { logs: { retentionDays: 3 } });
  await waitFor(() => done().length === 2, 5000, 'the run after the change');

  assert.ok(!(await readdir(logs)).includes(`attempts-${lastWeek}.jsonl`));
  assert.ok(!(await readdir(join(logs, 'index'))).includes(`attempts-${lastWeek}.jsonl.idx`));
  assert.ok((await readdir(logs)).includes('my-notes.txt'));
  assert.equal(done()[1]?.fields.retentionDays, 3);
  assert.ok(h.logger.entries.some((entry) => entry.code === 'LOG_RETENTION_DELETED' && entry.fields.day === lastWeek));
  // The index of that day was in memory: the report must not serve it nor fail reading the deleted file.
  assert.deepEqual(await report(lastWeek), { total: 0, rows: [] });
  assert.deepEqual(await report(ancient), { total: 0, rows: [] });
  // And the daily run goes on.
  clock.advance(DAY_MS);
  await waitFor(() => done().length === 3, 5000, 'the daily run');
});

it('a day log the engine cannot delete is logged; the engine keeps receiving and the next day runs again', async (t) => {
  const dataDir = await tempDir(t);
  const logs = join(dataDir, 'logs');
  const clock = new FakeClock(Date.now());
  const old = daysAgo(clock, 400);
  // A directory named like a day file cannot be unlinked, even by root.
  await mkdir(join(logs, `inbound-${old}.jsonl`), { recursive: true });
  await writeAttempts(logs, old, ['OLD']);
  const h = await startEngine(t, { dataDir, clock });
  const codes = (code: string) => h.logger.entries.filter((entry) => entry.code === code);

  await waitFor(() => codes('LOG_RETENTION_DONE').length === 1, 5000, 'the run at start');
  const failed = codes('LOG_RETENTION_FAILED');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.level, 'warn');
  assert.equal(failed[0]?.fields.file, join(logs, `inbound-${old}.jsonl`));
  assert.deepEqual((await readdir(logs)).filter((name) => name.includes(old)), [`inbound-${old}.jsonl`], 'the attempts file of that day went anyway');

  assert.equal(h.engine.listenerStatus().listening, true);
  assert.equal(await acceptsConnections(h.smtpPort), true);
  clock.advance(DAY_MS);
  await waitFor(() => codes('LOG_RETENTION_DONE').length === 2, 5000, 'the next daily run');
  assert.equal(codes('LOG_RETENTION_FAILED').length, 2, 'tried again, failed again, still running');
});
