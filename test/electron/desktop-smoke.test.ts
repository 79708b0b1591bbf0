import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot } from '../support/chromium.js';
import { prepareDesktopRun } from '../support/electron-binary.js';

test('desktop app: the window opens, and the sandboxed page reaches the engine through preload and IPC', { timeout: 120_000 }, async (t) => {
  const run = await prepareDesktopRun(t, 2525);
  if (!run) return;
  const child = spawn(run.binary, ['.'], { cwd: repoRoot, env: { ...process.env, MX_SPOOL_DATA_DIR: run.dataDir, MX_SPOOL_SMOKE_TEST: '1' } });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = /SMOKE_RESULT (.*)/.exec(output)?.[1];
  assert.ok(line, `no result from the window (exit ${code}): ${output}`);
  const result = JSON.parse(line) as { ok: boolean; value?: { listener: { listening: boolean } } };
  assert.equal(result.ok, true);
  assert.equal(typeof result.value?.listener.listening, 'boolean');
});
