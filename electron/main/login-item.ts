/** The two calls of Electron's `app` that start-at-login needs (Electron's `app` satisfies it). */
export interface LoginItemPort {
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

/**
 * Passed on the command line when Windows starts the app at login, so it starts in the tray instead of
 * opening its window over the admin's desktop. macOS reports the same through `wasOpenedAtLogin`.
 */
export const STARTED_AT_LOGIN_ARG = '--started-at-login';

/**
 * "Start at login" for the tray menu. Electron implements login items on Windows (the Run registry key)
 * and macOS (login items) only; on Linux it is up to the desktop's autostart folder, so the menu hides
 * the checkbox there rather than offer one that does nothing.
 */
export class LoginItem {
  readonly supported: boolean;

  constructor(
    private readonly port: LoginItemPort,
    private readonly platform: NodeJS.Platform,
  ) {
    this.supported = platform === 'win32' || platform === 'darwin';
  }

  /** Read back from the OS each time: the admin can remove the item in the OS settings behind our back. */
  get enabled(): boolean {
    if (!this.supported) return false;
    // Windows matches the registry entry by its arguments too, so the query must pass the same ones.
    return this.port.getLoginItemSettings(this.platform === 'win32' ? { args: [STARTED_AT_LOGIN_ARG] } : undefined).openAtLogin;
  }

  setEnabled(openAtLogin: boolean): void {
    if (!this.supported) return;
    this.port.setLoginItemSettings(this.platform === 'win32' ? { openAtLogin, args: [STARTED_AT_LOGIN_ARG] } : { openAtLogin });
  }

  /** True when the OS started this process at login: the app then stays in the tray, its window hidden. */
  startedAtLogin(argv: readonly string[]): boolean {
    if (!this.supported) return false;
    if (this.platform === 'win32') return argv.includes(STARTED_AT_LOGIN_ARG);
    return this.port.getLoginItemSettings().wasOpenedAtLogin === true;
  }
}
