import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { repoRoot } from '../support/chromium.js';
import { electronBinary, electronSkipReason } from '../support/electron-binary.js';
import { tempDir } from '../support/temp-dir.js';

test('desktop app under Playwright: the window shows the admin app, sandboxed, with the engine behind IPC', { timeout: 180_000 }, async (t) => {
  const reason = electronSkipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(build.status, 0, build.stderr);
  const dataDir = await tempDir(t);
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ listener: { host: '127.0.0.1', port: 2526 } })); // a high port: 25 needs administrator rights
  const app = await electron.launch({
    executablePath: electronBinary()!,
    args: ['.'],
    cwd: repoRoot,
    env: { ...process.env, MX_SPOOL_DATA_DIR: dataDir } as Record<string, string>,
  });
  t.after(() => app.close());
  const window = await app.firstWindow();
  await window.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: 30_000 });
  assert.equal(await window.title(), 'MX Spool');
  // The page has the named bridge and nothing of Node.
  const globals = await window.evaluate(() => ({
    bridge: typeof (globalThis as { mxSpool?: unknown }).mxSpool,
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
  }));
  assert.deepEqual(globals, { bridge: 'object', require: 'undefined', process: 'undefined' });
  await window.getByRole('link', { name: 'Domains' }).click();
  await window.getByRole('heading', { name: 'Domains' }).waitFor({ timeout: 10_000 });
  await window.screenshot({ path: path.join(repoRoot, 'test-results', 'electron-domains.png') });
});
