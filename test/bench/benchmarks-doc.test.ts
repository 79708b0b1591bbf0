import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/temp-dir.js';
import { median, spread } from './bench-stats.js';
import { END_MARKER, START_MARKER, updateBenchmarksDoc } from './benchmarks-doc.js';

test('median of odd and even counts; spread gives median, min and max', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual(spread([5, 1, 3]), { median: 3, min: 1, max: 5 });
  assert.throws(() => median([]));
});

test('the generated section is replaced between the markers; hand-written text around it is kept', async (t) => {
  const file = path.join(await tempDir(t), 'benchmarks.md');
  await writeFile(file, `# Intro\n\nhand-written\n\n${START_MARKER}\nold figures\n${END_MARKER}\n\n## After\n`);
  await updateBenchmarksDoc(file, `${START_MARKER}\nnew figures\n${END_MARKER}`);
  assert.equal(await readFile(file, 'utf8'), `# Intro\n\nhand-written\n\n${START_MARKER}\nnew figures\n${END_MARKER}\n\n## After\n`);
});

test('a file without markers gets the section appended; a missing file is created', async (t) => {
  const dir = await tempDir(t);
  const existing = path.join(dir, 'existing.md');
  await writeFile(existing, '# Benchmarks\n\nintro\n');
  await updateBenchmarksDoc(existing, `${START_MARKER}\nx\n${END_MARKER}`);
  assert.equal(await readFile(existing, 'utf8'), `# Benchmarks\n\nintro\n\n${START_MARKER}\nx\n${END_MARKER}\n`);

  const missing = path.join(dir, 'missing.md');
  await updateBenchmarksDoc(missing, `${START_MARKER}\ny\n${END_MARKER}`);
  const created = await readFile(missing, 'utf8');
  assert.match(created, /^# Benchmarks\n/);
  assert.ok(created.endsWith(`${START_MARKER}\ny\n${END_MARKER}\n`));
});

test('bench options: --size and --sessions take one value or a list; phases and Postfix can be chosen', async () => {
  const { parseBenchArgs } = await import('./bench-options.js');
  const full = parseBenchArgs([]);
  assert.deepEqual([full.sizes, full.sessions, full.messages, full.runs], [[4096, 51_200], [10, 50], 10_000, 3], 'the issue\'s rows by default');
  assert.deepEqual([full.scaleQueued, full.scaleAttempts, full.postfix, full.phases], [100_000, 1_000_000, true, ['intake', 'restart', 'recovery', 'scale']]);
  const picked = parseBenchArgs(['--size', '4096', '--sessions', '10,50,10', '--phases', 'scale,intake', '--no-postfix']);
  assert.deepEqual([picked.sizes, picked.sessions, picked.phases, picked.postfix], [[4096], [10, 50], ['intake', 'scale'], false]);
  assert.deepEqual(parseBenchArgs(['--phases', 'scale,restart']).phases, ['restart', 'scale']);
  assert.throws(() => parseBenchArgs(['--phases', 'drain']), /--phases takes intake, restart, recovery, scale/);
  assert.throws(() => parseBenchArgs(['--sessions', '10,x']), /--sessions must be a whole number/);
  assert.equal(parseBenchArgs(['--quick']).probeIntervalMinutes, 0.5);
});

test('the generated section compares each load with Postfix and says whether the 1.5× target is met', async () => {
  const { renderResults } = await import('./benchmarks-doc.js');
  const spoolRun = (intake: number, drain: number, restartSeconds: number | null = null) => ({ intakeSeconds: 1, intakeMsgPerSec: intake, deferralsSettledSeconds: 0, drainSeconds: 1, drainMsgPerSec: drain, restartSeconds, firstDeliverySeconds: 0.1, intakeCpu: null, drainCpu: null });
  const postfixRun = (intake: number, drain: number, restartSeconds: number | null = null) => ({ intakeSeconds: 1, intakeMsgPerSec: intake, drainSeconds: 2, drainMsgPerSec: drain, restartSeconds, firstDeliverySeconds: 0.2, scheduledFirstRetrySeconds: 298, scheduledLastRetrySeconds: 299 });
  const report = {
    date: '2026-11-28T00:00:00.000Z',
    source: 'abc1234',
    machine: { cpuModel: 'CPU', cpuCount: 2, ramGiB: 4, os: 'Linux', node: 'v20', disk: '/tmp', createMs: 0.1, fsyncMs: 0.5 },
    messages: 100,
    runs: 3,
    reuseSessions: false,
    destinationConnections: 20,
    postfixSkipped: null,
    postfixVersion: '3.7.11',
    rows: [{ sizeBytes: 4096, sessions: 10, spool: [spoolRun(900, 1600), spoolRun(1000, 1500), spoolRun(950, 1700)], postfix: [postfixRun(500, 1000), postfixRun(400, 1100), postfixRun(600, 900)] }],
    restart: { sizeBytes: 51_200, sessions: 10, spool: [spoolRun(0, 1300, 1.5), spoolRun(0, 1100, 1.25)], postfix: [postfixRun(0, 800, 2), postfixRun(0, 900, 3)] },
    recovery: { messages: 100, sizeBytes: 4096, sessions: 10, spool: [{ firstDeliverySeconds: 30, lastDeliverySeconds: 35, probeIntervalMinutes: 2 }], postfix: [postfixRun(500, 1000)] },
    scale: null,
  };
  const text = renderResults(report as never);
  assert.match(text, /\| 4 KiB, 10 sessions \| 950 \(900–1,000\) \| 500 \(400–600\) \| 1\.90× \| meets \|/);
  assert.match(text, /\| 4 KiB, 10 sessions \| 1,600 \(1,500–1,700\) \| 1,000 \(900–1,100\) \| 1\.60× \| meets \|/);
  assert.match(text, /### Drain after a restart: [^\n]*\n\n[^\n]*\n[^\n]*\n\| 50 KiB, 10 sessions \| 1,200 \(1,100–1,300\) \| 850 \(800–900\) \| 1\.41× \| \*\*misses\*\* \|/);
  assert.match(text, /MX Spool 1\.38 \(1\.25–1\.50\), Postfix 2\.50 \(2\.00–3\.00\)\./);
  assert.doesNotMatch(renderResults({ ...report, restart: null } as never), /Drain after a restart/);
  assert.match(text, /\| first delivery, s \| 30\.0 \(30\.0–30\.0\) \| ≥ 298 \| within one probe interval \(120 s\): meets \|/);
  assert.match(text, /\| last delivery, s \| 35\.0 \(35\.0–35\.0\) \| ≥ 301 \| before Postfix's: meets \|/);
});
