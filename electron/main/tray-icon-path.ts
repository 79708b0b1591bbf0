import path from 'node:path';

/**
 * Where the tray image is at runtime. Packaged, resources/tray is copied beside app.asar as an
 * extraResource (process.resourcesPath/tray), because the OS tray reads the file from disk and a path
 * inside the asar archive is not one; in development it is <appRoot>/resources/tray. macOS gets the
 * "Template" image (black with alpha), which the menu bar recolours for light and dark mode; Electron picks
 * the @2x file beside either one on high-density screens by itself.
 */
export function trayIconPath(options: { platform: NodeJS.Platform; isPackaged: boolean; resourcesPath: string; appRoot: string }): string {
  const folder = options.isPackaged ? path.join(options.resourcesPath, 'tray') : path.join(options.appRoot, 'resources', 'tray');
  return path.join(folder, options.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png');
}
