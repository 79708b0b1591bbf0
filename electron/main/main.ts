import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog } from 'electron';
import { Engine } from '../engine/engine.js';
import { createStreamLogger } from '../engine/runtime/logger.js';
import { notifyAlerts } from './alert-notifications.js';
import { serveIpc } from './ipc-host.js';
import { safeStorageCipher } from './safe-storage-cipher.js';
import { createSecureWindow } from './secure-window.js';

/**
 * Desktop entry: the engine runs in the main process with its data in the OS's per-user app data folder;
 * the window talks to it only through the preload bridge. (Tray, first-run setup and installers: later issues.)
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const preloadPath = path.join(here, '..', 'preload', 'preload.cjs');
const logger = createStreamLogger((line) => process.stderr.write(line));

if (!app.requestSingleInstanceLock()) app.quit();

let engine: Engine | null = null;
let window: BrowserWindow | null = null;

async function start(): Promise<void> {
  // MX_SPOOL_DATA_DIR: another data folder (a second profile, or the smoke test's temp folder).
  engine = await Engine.open({
    dataDir: process.env.MX_SPOOL_DATA_DIR ?? path.join(app.getPath('userData'), 'data'),
    logger,
    // Stored destination and relay passwords are encrypted with the OS keychain (engine/settings/secret-cipher.ts).
    secretCipher: safeStorageCipher(),
  });
  await engine.start().catch((error: unknown) => {
    // The window still opens: the listener error is shown there (stats.summary) and can be fixed in settings.
    logger.log('error', 'DESKTOP_LISTENER_FAILED', { message: (error as Error).message });
  });
  const created = createSecureWindow({ appRoot, preloadPath });
  window = created.window;
  serveIpc({ handlers: engine.handlers, events: engine.events, logger, isTrustedUrl: created.isTrustedUrl, target: () => window?.webContents ?? null });
  notifyAlerts(engine.events, () => {
    if (window?.isMinimized()) window.restore();
    window?.show();
    window?.focus();
  });
  if (process.env.MX_SPOOL_SMOKE_TEST === '1') runSmokeTest(created.window);
}

/**
 * test/electron/desktop-smoke.test.ts: once the window shows, call the API through the real preload and
 * IPC path from inside the sandboxed page, print the result and quit.
 */
function runSmokeTest(target: BrowserWindow): void {
  target.once('ready-to-show', () => {
    void target.webContents
      .executeJavaScript("window.mxSpool.api['stats.summary']({}).then((result) => JSON.stringify(result))")
      .then((json: string) => process.stdout.write(`SMOKE_RESULT ${json}\n`))
      .catch((error: unknown) => process.stdout.write(`SMOKE_ERROR ${(error as Error).message}\n`))
      .finally(() => app.quit());
  });
}

app.on('second-instance', () => {
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

// A failure in start() (an invalid settings file, a password the keychain cannot decrypt) must reach the
// admin: as the second argument of then() this handler saw only whenReady's own rejection, and start()'s was
// unhandled, leaving the app running with no window.
app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    logger.log('error', 'DESKTOP_START_FAILED', { message: (error as Error).message });
    dialog.showErrorBox('MX Spool cannot start', (error as Error).message);
    app.exit(1);
  });

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !engine) return;
  event.preventDefault();
  quitting = true;
  void engine.stop().finally(() => app.quit());
});
