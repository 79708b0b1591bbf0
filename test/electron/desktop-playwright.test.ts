import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { repoRoot } from '../support/chromium.js';
import { prepareDesktopRun } from '../support/electron-binary.js';

test('desktop app under Playwright: the window shows the admin app, sandboxed, with the engine behind IPC', { timeout: 180_000 }, async (t) => {
  const run = await prepareDesktopRun(t, 2526);
  if (!run) return;
  const app = await electron.launch({
    executablePath: run.binary,
    args: ['.'],
    cwd: repoRoot,
    env: { ...process.env, MX_SPOOL_DATA_DIR: run.dataDir } as Record<string, string>,
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
