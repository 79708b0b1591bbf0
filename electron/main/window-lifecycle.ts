import type { App, BrowserWindow } from 'electron';

/** The window calls the lifecycle needs; electronWindowPort adapts a BrowserWindow. */
export interface WindowPort {
  onClose(listener: (event: { preventDefault(): void }) => void): void;
  /** Windows: the user logs off or shuts down; the window must be let close. */
  onSessionEnd(listener: () => void): void;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

/** The app events and calls the lifecycle needs; electronAppPort adapts Electron's `app`. */
export interface AppPort {
  onBeforeQuit(listener: (event: { preventDefault(): void }) => void): void;
  onWindowAllClosed(listener: () => void): void;
  onSecondInstance(listener: () => void): void;
  /** macOS: the dock icon was clicked (or the app re-opened from Finder). */
  onActivate(listener: () => void): void;
  quit(): void;
  /** macOS only (absent elsewhere): the dock icon shows while the window does, as menu bar apps do. */
  setDockVisible?(visible: boolean): void;
}

/**
 * The desktop app runs in the background: closing the window hides it (the tray stays), and only Quit
 * (tray menu, Cmd+Q, the OS logging off) ends the process. Quitting first stops the engine gracefully
 * (before-quit is held until `stopEngine` settles), then quits for real, letting the window close.
 */
export class WindowLifecycle {
  private window: WindowPort | null = null;
  private quitRequested = false;
  private engineStopped = false;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly app: AppPort,
    private readonly stopEngine: () => Promise<void>,
  ) {
    app.onBeforeQuit((event) => this.beforeQuit(event));
    // Without a listener Electron quits when the last window closes; with close-to-tray the window only
    // hides, but on Linux a window manager can still destroy it, and the tray must stay regardless.
    app.onWindowAllClosed(() => {});
    app.onSecondInstance(() => this.showWindow());
    app.onActivate(() => this.showWindow());
  }

  /** True once a quit is under way: the window may close for real. */
  get quitting(): boolean {
    return this.quitRequested;
  }

  manage(window: WindowPort): void {
    this.window = window;
    window.onSessionEnd(() => (this.quitRequested = true));
    window.onClose((event) => {
      if (this.quitRequested) return;
      event.preventDefault();
      window.hide();
      // Running in the menu bar only: a dock icon with no window would look like a hung app.
      this.app.setDockVisible?.(false);
    });
  }

  /** Tray "Open", a notification click, a second launch, the dock icon: bring the window to the front. */
  showWindow(): void {
    const window = this.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    this.app.setDockVisible?.(true);
    window.show();
    window.focus();
  }

  private beforeQuit(event: { preventDefault(): void }): void {
    this.quitRequested = true;
    if (this.engineStopped) return;
    event.preventDefault();
    if (this.stopping) return;
    this.stopping = this.stopEngine()
      .catch(() => {}) // main.ts's stopEngine logs its failure; quitting must not hang on it
      .finally(() => {
        this.engineStopped = true;
        this.app.quit();
      });
  }
}

export function electronWindowPort(window: BrowserWindow): WindowPort {
  return {
    onClose: (listener) => void window.on('close', listener),
    onSessionEnd: (listener) => void window.on('session-end', listener),
    show: () => window.show(),
    hide: () => window.hide(),
    focus: () => window.focus(),
    restore: () => window.restore(),
    isMinimized: () => window.isMinimized(),
    isDestroyed: () => window.isDestroyed(),
  };
}

export function electronAppPort(app: App): AppPort {
  return {
    onBeforeQuit: (listener) => void app.on('before-quit', listener),
    onWindowAllClosed: (listener) => void app.on('window-all-closed', listener),
    onSecondInstance: (listener) => void app.on('second-instance', listener),
    onActivate: (listener) => void app.on('activate', listener),
    quit: () => app.quit(),
    ...(process.platform === 'darwin' && app.dock ? { setDockVisible: (visible: boolean) => void (visible ? app.dock?.show() : app.dock?.hide()) } : {}),
  };
}
