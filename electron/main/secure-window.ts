import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session, shell } from 'electron';

/**
 * The admin window with every safety on: context isolation, sandbox, no Node in the renderer, navigation,
 * new windows and permission requests denied (external links open in the system browser).
 */
export function createSecureWindow(options: { appRoot: string; preloadPath: string; showWhenReady?: boolean }): { window: BrowserWindow; isTrustedUrl: (url: string) => boolean } {
  const indexFile = path.join(options.appRoot, 'renderer', 'dist', 'index.html'); // built by `npm run build` (vite)
  const indexUrl = pathToFileURL(indexFile).href;
  const isTrustedUrl = (url: string) => url.split('#')[0] === indexUrl;

  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'MX Spool',
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  // Started at login, the app stays in the tray: the page still loads so it is ready when opened.
  if (options.showWhenReady !== false) window.once('ready-to-show', () => window.show());
  void window.loadFile(indexFile);
  return { window, isTrustedUrl };
}
