import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/chromium.js';
import { electronBinary, electronSkipReason } from '../support/electron-binary.js';
import { tempDir } from '../support/temp-dir.js';

test('desktop app: the window opens, and the sandboxed page reaches the engine through preload and IPC', { timeout: 120_000 }, async (t) => {
  const reason = electronSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(build.status, 0, build.stderr);
  const dataDir = await tempDir(t);
  // A high port on loopback: port 25 needs administrator rights (a busy port only shows in the summary).
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 2525 } }));
  const electronPath = electronBinary()!;
  const child = spawn(electronPath, ['.'], { cwd: repoRoot, env: { ...process.env, MX_SPOOL_DATA_DIR: dataDir, MX_SPOOL_SMOKE_TEST: '1' } });
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
