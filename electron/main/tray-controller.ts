import type { Dock, Menu, Tray } from 'electron';
import type { ApiHandlers, EventSubscriber } from '../contract/api-handlers.js';
import type { EventPayload } from '../contract/events.js';
import type { Clock, TimerHandle } from '../engine/runtime/clock.js';
import type { Logger } from '../engine/runtime/logger.js';
import type { LoginItem } from './login-item.js';
import { trayBadge, trayMenu, trayTooltip, type TrayMenuItem, type TrayState } from './tray-menu.js';

/** What the controller does to the tray; main.ts backs it with an Electron Tray (see electronTrayPort). */
export interface TrayPort {
  setToolTip(text: string): void;
  /** macOS: the count beside the menu bar icon and on the dock icon. Elsewhere a no-op. */
  setBadge(text: string): void;
  setMenu(items: TrayMenuItem[]): void;
}

/** The engine as the tray sees it: four API handlers and the live events. */
export interface TrayEngine {
  handlers: Pick<ApiHandlers, 'stats.summary' | 'listener.pause' | 'listener.resume' | 'queue.retryAll'>;
  events: EventSubscriber;
}

export interface TrayControllerOptions {
  tray: TrayPort;
  engine: TrayEngine;
  loginItem: Pick<LoginItem, 'supported' | 'enabled' | 'setEnabled'>;
  /** Shows and focuses the window (window-lifecycle.ts). */
  show(): void;
  /** app.quit(): quitting goes through before-quit, where the engine stops gracefully. */
  quit(): void;
  clock: Clock;
  logger: Logger;
}

/**
 * At most 4 tray updates a second (ms between two): a queue draining 1,000 messages a second must not
 * rebuild a native menu 1,000 times, the same rate Mailpit allows its UI pushes.
 */
export const TRAY_REFRESH_MS = 250;

/**
 * Keeps the tray in step with the engine: tooltip "MX Spool: N queued", the macOS count, and a menu
 * whose Pause/Resume label follows the listener. Starts from stats.summary, then follows queue.changed
 * and listener.status; the native calls are made only when their text actually changes.
 */
export class TrayController {
  private state: TrayState;
  private timer: TimerHandle | null = null;
  private lastRenderAt = Number.NEGATIVE_INFINITY;
  private shown = { tooltip: null as string | null, badge: null as string | null, menu: null as string | null };
  private readonly unsubscribers: (() => void)[];

  private constructor(
    private readonly options: TrayControllerOptions,
    summary: Awaited<ReturnType<ApiHandlers['stats.summary']>>,
  ) {
    const listener = summary.listener;
    this.state = {
      queued: summary.queued,
      listening: listener.listening,
      error: listener.error,
      paused: listener.paused ?? false,
      waitingForDomain: listener.waitingForDomain ?? false,
      startAtLogin: this.readStartAtLogin(),
    };
    const events = options.engine.events;
    this.unsubscribers = [
      events.on('queue.changed', (payload) => this.update({ queued: payload.queued })),
      events.on('listener.status', (payload) => this.applyListener(payload)),
    ];
    this.render();
  }

  static async start(options: TrayControllerOptions): Promise<TrayController> {
    return new TrayController(options, await options.engine.handlers['stats.summary']({}));
  }

  get current(): Readonly<TrayState> {
    return this.state;
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private applyListener(status: EventPayload<'listener.status'>): void {
    this.update({
      listening: status.listening,
      error: status.error,
      paused: status.paused ?? this.state.paused,
      waitingForDomain: status.waitingForDomain ?? this.state.waitingForDomain,
    });
  }

  private update(change: Partial<TrayState>): void {
    this.state = { ...this.state, ...change };
    this.scheduleRender();
  }

  /** Leading edge now, then at most one trailing render per interval carrying the latest state. */
  private scheduleRender(): void {
    if (this.timer) return;
    const wait = this.lastRenderAt + TRAY_REFRESH_MS - this.options.clock.now();
    if (wait <= 0) {
      this.render();
      return;
    }
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.render();
    }, wait);
  }

  private render(): void {
    this.lastRenderAt = this.options.clock.now();
    const { tray } = this.options;
    const tooltip = trayTooltip(this.state);
    if (tooltip !== this.shown.tooltip) tray.setToolTip((this.shown.tooltip = tooltip));
    const badge = trayBadge(this.state);
    if (badge !== this.shown.badge) tray.setBadge((this.shown.badge = badge));
    const menu = trayMenu(this.state, this.actions);
    const menuKey = JSON.stringify(menu);
    if (menuKey !== this.shown.menu) {
      this.shown.menu = menuKey;
      tray.setMenu(menu);
    }
  }

  private readonly actions = {
    open: () => this.options.show(),
    quit: () => this.options.quit(),
    pauseReceiving: () => void this.callListener('listener.pause'),
    resumeReceiving: () => void this.callListener('listener.resume'),
    retryAll: () => void this.retryAll(),
    setStartAtLogin: (on: boolean) => {
      try {
        this.options.loginItem.setEnabled(on);
      } catch (error) {
        this.options.logger.log('error', 'DESKTOP_LOGIN_ITEM_FAILED', { message: (error as Error).message });
      }
      this.update({ startAtLogin: this.readStartAtLogin() });
    },
  };

  private async callListener(method: 'listener.pause' | 'listener.resume'): Promise<void> {
    try {
      // The engine emits listener.status too; applying the answer as well flips the label even if it did not.
      this.applyListener(await this.options.engine.handlers[method]({}));
    } catch (error) {
      this.options.logger.log('error', 'DESKTOP_TRAY_ACTION_FAILED', { method, message: (error as Error).message });
    }
  }

  private async retryAll(): Promise<void> {
    try {
      const { count } = await this.options.engine.handlers['queue.retryAll']({});
      this.options.logger.log('info', 'DESKTOP_RETRY_ALL', { count });
    } catch (error) {
      this.options.logger.log('error', 'DESKTOP_TRAY_ACTION_FAILED', { method: 'queue.retryAll', message: (error as Error).message });
    }
  }

  private readStartAtLogin(): boolean | null {
    return this.options.loginItem.supported ? this.options.loginItem.enabled : null;
  }
}

/**
 * An Electron Tray as a TrayPort. The count goes beside the menu bar icon and on the dock icon on macOS
 * only: Windows and Linux trays have no text, the tooltip carries it there.
 */
export function electronTrayPort(options: { tray: Tray; buildMenu: (items: TrayMenuItem[]) => Menu; platform: NodeJS.Platform; dock: Dock | undefined }): TrayPort {
  const { tray } = options;
  return {
    setToolTip: (text) => tray.setToolTip(text),
    setBadge: (text) => {
      if (options.platform !== 'darwin') return;
      tray.setTitle(text);
      options.dock?.setBadge(text);
    },
    setMenu: (items) => tray.setContextMenu(options.buildMenu(items)),
  };
}
