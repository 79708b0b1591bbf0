/** What the tray shows: the queue count and the listener state, plus whether start-at-login is on. */
export interface TrayState {
  queued: number;
  listening: boolean;
  error: string | null;
  paused: boolean;
  waitingForDomain: boolean;
  /** null where the OS has no login items (Linux): the checkbox is left out. */
  startAtLogin: boolean | null;
}

export interface TrayActions {
  open(): void;
  pauseReceiving(): void;
  resumeReceiving(): void;
  retryAll(): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

export type TrayMenuItemId = 'open' | 'receiving' | 'retry-all' | 'start-at-login' | 'quit';

/** A subset of Electron's MenuItemConstructorOptions, so main.ts hands it to Menu.buildFromTemplate as is. */
export type TrayMenuItem =
  | { type: 'separator' }
  | { id: TrayMenuItemId; label: string; type: 'normal' | 'checkbox'; enabled: boolean; checked?: boolean; click: () => void };

/**
 * The tray's context menu, rebuilt from the state on every change (Linux shows a menu only as it was when
 * set, so items are never mutated in place). Retry is disabled with nothing queued: a click would do nothing.
 */
export function trayMenu(state: TrayState, actions: TrayActions): TrayMenuItem[] {
  const items: TrayMenuItem[] = [
    { id: 'open', label: 'Open MX Spool', type: 'normal', enabled: true, click: () => actions.open() },
    { type: 'separator' },
    state.paused
      ? { id: 'receiving', label: 'Resume receiving', type: 'normal', enabled: true, click: () => actions.resumeReceiving() }
      : { id: 'receiving', label: 'Pause receiving', type: 'normal', enabled: true, click: () => actions.pauseReceiving() },
    { id: 'retry-all', label: 'Retry all now', type: 'normal', enabled: state.queued > 0, click: () => actions.retryAll() },
  ];
  if (state.startAtLogin !== null) {
    const on = state.startAtLogin;
    items.push({ type: 'separator' }, { id: 'start-at-login', label: 'Start at login', type: 'checkbox', enabled: true, checked: on, click: () => actions.setStartAtLogin(!on) });
  }
  items.push({ type: 'separator' }, { id: 'quit', label: 'Quit', type: 'normal', enabled: true, click: () => actions.quit() });
  return items;
}

/** The tooltip (and, on macOS, what the admin reads next to the menu bar icon): count first, then trouble. */
export function trayTooltip(state: TrayState): string {
  const notes: string[] = [];
  if (state.error) notes.push('listener error');
  else if (state.paused) notes.push('receiving paused');
  else if (state.waitingForDomain) notes.push('add a domain to start receiving');
  return [`MX Spool: ${state.queued} queued`, ...notes].join(', ');
}

/** The macOS menu bar title and dock badge: the count, or nothing when the queue is empty. */
export function trayBadge(state: TrayState): string {
  return state.queued > 0 ? String(state.queued) : '';
}
