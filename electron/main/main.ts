import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, nativeImage, Notification, powerMonitor, shell, Tray } from 'electron';
import { Engine } from '../engine/engine.js';
import { systemClock } from '../engine/runtime/clock.js';
import { createStreamLogger } from '../engine/runtime/logger.js';
import { serveIpc } from './ipc-host.js';
import { LoginItem } from './login-item.js';
import { electronNotifier, routeNotifications } from './notification-router.js';
import { safeStorageCipher } from './safe-storage-cipher.js';
import { createSecureWindow } from './secure-window.js';
import { electronTrayPort, TrayController, type TrayPort } from './tray-controller.js';
import { trayIconPath } from './tray-icon-path.js';
import type { TrayMenuItem } from './tray-menu.js';
import { electronAppPort, electronWindowPort, WindowLifecycle } from './window-lifecycle.js';

/**
 * Desktop entry: the engine runs in the main process with its data in the OS's per-user app data folder;
 * the window talks to it only through the preload bridge. The app lives in the tray: closing the window
 * hides it, Quit stops the engine (docs/desktop.md). The logic is in the modules wired here, tested in
 * plain Node (test/electron-main/), because this file can only run inside Electron.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const preloadPath = path.join(here, '..', 'preload', 'preload.cjs');
const logger = createStreamLogger((line) => process.stderr.write(line));

let engine: Engine | null = null;
let window: BrowserWindow | null = null;
// Module-level references: a Tray that is garbage-collected disappears from the tray area.
let tray: Tray | null = null;
let trayController: TrayController | null = null;

const lifecycle = new WindowLifecycle(electronAppPort(app), async () => {
  trayController?.dispose();
  await engine?.stop().catch((error: unknown) => logger.log('error', 'DESKTOP_STOP_FAILED', { message: (error as Error).message }));
});
const loginItem = new LoginItem(app, process.platform);

async function start(): Promise<void> {
  const opened = await Engine.open({
    // MX_SPOOL_DATA_DIR: another data folder (a second profile, or the desktop tests' temp folder).
    dataDir: process.env.MX_SPOOL_DATA_DIR ?? path.join(app.getPath('userData'), 'data'),
    logger,
    // Stored destination and relay passwords are encrypted with the OS keychain (engine/settings/secret-cipher.ts).
    secretCipher: safeStorageCipher(),
    appInfo: { host: 'desktop', version: app.getVersion(), electronVersion: process.versions.electron ?? null },
    // shell.openPath resolves to an error message, '' on success.
    openFolder: async (folder) => (await shell.openPath(folder)) === '',
    // A fresh install must not answer mail before it knows where to forward it.
    waitForDomain: true,
  });
  engine = opened;
  // Linux and macOS shutdown: quit now, so before-quit stops the engine before the OS kills the process.
  powerMonitor.on('shutdown', () => app.quit());
  // Subscribed before start(), so a listener error at start is notified too (a click before the window
  // exists only does nothing).
  routeNotifications({
    events: opened.events,
    notifier: electronNotifier(Notification),
    show: () => lifecycle.showWindow(),
    navigate: (route) => opened.events.emit('app.navigate', { route }),
  });
  await opened.start().catch((error: unknown) => {
    // The window still opens: the listener error is shown there (stats.summary) and can be fixed in settings.
    logger.log('error', 'DESKTOP_LISTENER_FAILED', { message: (error as Error).message });
  });
  const created = createSecureWindow({ appRoot, preloadPath, showWhenReady: !loginItem.startedAtLogin(process.argv) });
  window = created.window;
  lifecycle.manage(electronWindowPort(created.window));
  serveIpc({ handlers: opened.handlers, events: opened.events, logger, isTrustedUrl: created.isTrustedUrl, target: () => window?.webContents ?? null });
  // Registered in the same tick as the window is created, before its ready-to-show can fire.
  if (process.env.MX_SPOOL_SMOKE_TEST === '1') runSmokeTest(created.window);
  await createTray(opened);
}

async function createTray(opened: Engine): Promise<void> {
  const icon = trayIconPath({ platform: process.platform, isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot });
  tray = new Tray(nativeImage.createFromPath(icon));
  // Windows and Linux open the window on a click; on macOS a click opens the menu, as menu bar apps do.
  if (process.platform !== 'darwin') tray.on('click', () => lifecycle.showWindow());
  const port = electronTrayPort({ tray, buildMenu: (items) => Menu.buildFromTemplate(items), platform: process.platform, dock: app.dock });
  trayController = await TrayController.start({
    tray: process.env.MX_SPOOL_TEST_HOOKS === '1' ? exposeTrayToTests(port) : port,
    engine: opened,
    loginItem,
    show: () => lifecycle.showWindow(),
    quit: () => app.quit(),
    clock: systemClock,
    logger,
  });
  logger.log('info', 'DESKTOP_TRAY_READY', { icon });
}

/**
 * test/electron/desktop-playwright.test.ts (MX_SPOOL_TEST_HOOKS=1 only): a native tray menu cannot be
 * clicked by Playwright, so the last menu and tooltip are kept on globalThis for its main-process evaluate.
 */
function exposeTrayToTests(port: TrayPort): TrayPort {
  const seen: { tooltip: string; menu: TrayMenuItem[] } = { tooltip: '', menu: [] };
  (globalThis as { mxSpoolTestHooks?: unknown }).mxSpoolTestHooks = {
    tray: () => ({ alive: tray !== null && !tray.isDestroyed(), tooltip: seen.tooltip, items: seen.menu.map((item) => ('id' in item ? item.label : '-')) }),
    clickTrayItem: (id: string) => {
      const item = seen.menu.find((candidate) => 'id' in candidate && candidate.id === id);
      if (item && 'id' in item && item.enabled) item.click();
    },
  };
  return {
    setToolTip: (text) => port.setToolTip((seen.tooltip = text)),
    setBadge: (text) => port.setBadge(text),
    setMenu: (items) => port.setMenu((seen.menu = items)),
  };
}

/**
 * test/electron/desktop-smoke.test.ts: once the window shows, call the API through the real preload and
 * IPC path from inside the sandboxed page, print the result and quit (app.quit: the window closes for
 * real, close-to-tray only applies when no quit is under way).
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

// A second launch (the admin double-clicks the icon again) shows this instance's window: WindowLifecycle
// handles second-instance. The second process itself quits without starting an engine on the same spool.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A failure in start() (an invalid settings file, a password the keychain cannot decrypt) must reach the
  // admin: as the second argument of then() this handler saw only whenReady's own rejection, and start()'s
  // was unhandled, leaving the app running with no window.
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      logger.log('error', 'DESKTOP_START_FAILED', { message: (error as Error).message });
      dialog.showErrorBox('MX Spool cannot start', (error as Error).message);
      app.exit(1);
    });
}
