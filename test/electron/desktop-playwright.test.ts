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

// The functions given to app.evaluate run in the app's main process: they may use only their arguments and globals.
type TestHooks = { tray(): { alive: boolean; tooltip: string; items: string[] }; clickTrayItem(id: string): void };

test('desktop app runs in the background: closing the window leaves it in the tray, tray Quit stops the engine and exits', { timeout: 180_000 }, async (t) => {
  const run = await prepareDesktopRun(t, 2527);
  if (!run) return;
  const app = await electron.launch({
    executablePath: run.binary,
    args: ['.'],
    cwd: repoRoot,
    // MX_SPOOL_TEST_HOOKS: main.ts keeps the tray's last menu on globalThis (a native menu cannot be clicked from here).
    env: { ...process.env, MX_SPOOL_DATA_DIR: run.dataDir, MX_SPOOL_TEST_HOOKS: '1' } as Record<string, string>,
  });
  t.after(() => app.close().catch(() => {}));
  let stderr = '';
  app.process().stderr?.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
  const window = await app.firstWindow();
  await window.getByRole('heading', { name: 'Dashboard' }).waitFor({ timeout: 30_000 });

  const trayState = async () => app.evaluate(() => (globalThis as unknown as { mxSpoolTestHooks?: TestHooks }).mxSpoolTestHooks?.tray() ?? null);
  let tray = await trayState();
  for (let tries = 0; !tray && tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    tray = await trayState();
  }
  assert.ok(tray?.alive, 'a tray icon exists');
  assert.match(tray.tooltip, /^MX Spool: 0 queued/);
  assert.deepEqual(tray.items.filter((label) => label !== '-'), ['Open MX Spool', 'Pause receiving', 'Retry all now', 'Quit'], 'Linux: no Start at login');

  // The close button: the 'close' event, as a click on the title bar's X sends it.
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
  const afterClose = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((each) => ({ visible: each.isVisible(), destroyed: each.isDestroyed() })));
  assert.deepEqual(afterClose, [{ visible: false, destroyed: false }], 'hidden, not closed');
  assert.equal((await trayState())?.alive, true, 'still running, in the tray');

  const clickTrayItem = (id: string) => app.evaluate((_electron, item) => (globalThis as unknown as { mxSpoolTestHooks?: TestHooks }).mxSpoolTestHooks?.clickTrayItem(item), id);
  await clickTrayItem('open');
  assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible()), true, 'Open MX Spool shows it again');

  await clickTrayItem('quit').catch(() => {}); // the process may go before the answer
  assert.equal(await exited, 0);
  assert.match(stderr, /ENGINE_STOPPED/, 'the engine stopped gracefully before the exit');
});
