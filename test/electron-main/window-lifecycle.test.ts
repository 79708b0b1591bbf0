import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { LoginItem } from '../../electron/main/login-item.js';
import { TrayController } from '../../electron/main/tray-controller.js';
import type { TrayMenuItem } from '../../electron/main/tray-menu.js';
import { WindowLifecycle, type AppPort, type WindowPort } from '../../electron/main/window-lifecycle.js';
import { startEngine } from '../support/engine-harness.js';
import { waitFor } from '../support/temp-dir.js';

type Cancelable = { prevented: boolean; preventDefault(): void };
const cancelable = (): Cancelable => ({
  prevented: false,
  preventDefault() {
    this.prevented = true;
  },
});

/**
 * Electron's app as far as the lifecycle sees it. quit() behaves as Electron's does: it emits before-quit,
 * and only when no listener prevents it do the windows close and the process end (`exited`).
 */
class FakeApp implements AppPort {
  beforeQuit: ((event: Cancelable) => void)[] = [];
  windowAllClosed: (() => void)[] = [];
  secondInstance: (() => void)[] = [];
  activate: (() => void)[] = [];
  quitCalls = 0;
  exited = false;
  constructor(private readonly windows: FakeWindow[] = []) {}
  onBeforeQuit(listener: (event: Cancelable) => void): void {
    this.beforeQuit.push(listener);
  }
  onWindowAllClosed(listener: () => void): void {
    this.windowAllClosed.push(listener);
  }
  onSecondInstance(listener: () => void): void {
    this.secondInstance.push(listener);
  }
  onActivate(listener: () => void): void {
    this.activate.push(listener);
  }
  quit(): void {
    this.quitCalls += 1;
    const event = cancelable();
    for (const listener of this.beforeQuit) listener(event);
    if (event.prevented) return;
    for (const window of this.windows) window.close();
    this.exited = this.windows.every((window) => window.destroyed);
  }
}

class FakeWindow implements WindowPort {
  visible = true;
  minimized = false;
  focused = 0;
  destroyed = false;
  private closeListeners: ((event: Cancelable) => void)[] = [];
  private sessionEndListeners: (() => void)[] = [];
  onClose(listener: (event: Cancelable) => void): void {
    this.closeListeners.push(listener);
  }
  onSessionEnd(listener: () => void): void {
    this.sessionEndListeners.push(listener);
  }
  /** What the close button (or app.quit) does: the close event, then destruction unless prevented. */
  close(): void {
    const event = cancelable();
    for (const listener of this.closeListeners) listener(event);
    if (!event.prevented) this.destroyed = true;
  }
  endSession(): void {
    for (const listener of this.sessionEndListeners) listener();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused += 1;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function setup(stopEngine: () => Promise<void> = async () => {}) {
  const window = new FakeWindow();
  const app = new FakeApp([window]);
  const lifecycle = new WindowLifecycle(app, stopEngine);
  lifecycle.manage(window);
  return { window, app, lifecycle };
}

test('closing the window hides it and keeps the app running; all windows closed does not quit', () => {
  const { window, app } = setup();
  window.close();
  assert.equal(window.destroyed, false, 'the close was prevented');
  assert.equal(window.visible, false, 'hidden instead');
  assert.equal(app.windowAllClosed.length, 1, "a listener replaces Electron's quit-on-last-window");
  for (const listener of app.windowAllClosed) listener();
  assert.equal(app.quitCalls, 0);
});

test('macOS: the dock icon goes with the hidden window and comes back with it; elsewhere there is no dock to touch', () => {
  const window = new FakeWindow();
  const dock: boolean[] = [];
  const app = Object.assign(new FakeApp([window]), { setDockVisible: (visible: boolean) => void dock.push(visible) });
  const lifecycle = new WindowLifecycle(app, async () => {});
  lifecycle.manage(window);
  window.close();
  assert.deepEqual(dock, [false]);
  lifecycle.showWindow();
  assert.deepEqual(dock, [false, true]);
  assert.equal(window.visible, true);
  // FakeApp without setDockVisible (Windows, Linux): closing and showing work the same.
  const { window: plain, lifecycle: plainLifecycle } = setup();
  plain.close();
  plainLifecycle.showWindow();
  assert.equal(plain.visible, true);
});

test('a second launch and the dock icon bring the hidden or minimised window back to the front', () => {
  const { window, app } = setup();
  window.close();
  for (const listener of app.secondInstance) listener();
  assert.equal(window.visible, true);
  assert.equal(window.focused, 1);
  window.minimized = true;
  for (const listener of app.activate) listener();
  assert.equal(window.minimized, false, 'restored');
  assert.equal(window.focused, 2);
});

test('Quit stops the engine first (once), then quits for real and the window closes', async () => {
  let stops = 0;
  let finishStop: () => void = () => {};
  const { window, app, lifecycle } = setup(() => {
    stops += 1;
    return new Promise<void>((resolve) => (finishStop = resolve));
  });
  app.quit();
  assert.equal(lifecycle.quitting, true);
  assert.equal(app.exited, false, 'held while the engine stops');
  assert.equal(window.destroyed, false);
  app.quit(); // Cmd+Q pressed twice
  assert.equal(stops, 1, 'one stop');
  finishStop();
  await waitFor(() => app.exited, 1000, 'the app to exit');
  assert.equal(window.destroyed, true, 'the close was not turned into a hide');
});

test('a failing engine stop does not keep the app from quitting', async () => {
  const { app } = setup(async () => Promise.reject(new Error('disk gone')));
  app.quit();
  await waitFor(() => app.exited, 1000, 'the app to exit');
});

test('Windows log-off: the window may close (a prevented close would hold up the session end)', () => {
  const { window } = setup();
  window.endSession();
  window.close();
  assert.equal(window.destroyed, true);
});

test('tray Quit with a real engine: the SMTP listener is closed and the engine stopped before the app exits', async (t) => {
  const h = await startEngine(t);
  const port = h.smtpPort;
  const { app } = setup(() => h.stop());
  let menu: TrayMenuItem[] = [];
  const controller = await TrayController.start({
    tray: { setToolTip: () => {}, setBadge: () => {}, setMenu: (items) => (menu = items) },
    engine: h.engine,
    loginItem: new LoginItem({ getLoginItemSettings: () => ({ openAtLogin: false }), setLoginItemSettings: () => {} }, 'linux'),
    show: () => {},
    quit: () => app.quit(),
    clock: h.clock,
    logger: createMemoryLogger(),
  });
  t.after(() => controller.dispose());
  const quit = menu.find((item) => 'id' in item && item.id === 'quit');
  assert.ok(quit && 'id' in quit);
  quit.click();
  await waitFor(() => app.exited, 15_000, 'the app to exit');
  assert.ok(h.logger.entries.some((entry) => entry.code === 'ENGINE_STOPPED'), 'the engine stopped gracefully');
  const refused = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
  assert.equal(refused, true, 'no SMTP after quitting');
});
