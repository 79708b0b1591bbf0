import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { EventHub } from '../../electron/engine/events/event-hub.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { LoginItem, STARTED_AT_LOGIN_ARG, type LoginItemPort } from '../../electron/main/login-item.js';
import { TRAY_REFRESH_MS, TrayController, type TrayEngine, type TrayPort } from '../../electron/main/tray-controller.js';
import type { TrayMenuItem, TrayMenuItemId } from '../../electron/main/tray-menu.js';
import { startEngine, type Harness } from '../support/engine-harness.js';
import { FakeClock } from '../support/fake-clock.js';
import { acceptsConnections, closedPort, sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { waitFor } from '../support/temp-dir.js';

/** A tray that records what the controller shows, as the OS would display it. */
class RecordingTray implements TrayPort {
  tooltips: string[] = [];
  badges: string[] = [];
  menus: TrayMenuItem[][] = [];
  setToolTip(text: string): void {
    this.tooltips.push(text);
  }
  setBadge(text: string): void {
    this.badges.push(text);
  }
  setMenu(items: TrayMenuItem[]): void {
    this.menus.push(items);
  }
  get tooltip(): string | undefined {
    return this.tooltips.at(-1);
  }
  item(id: TrayMenuItemId): Extract<TrayMenuItem, { id: string }> | undefined {
    return this.menus.at(-1)?.find((item): item is Extract<TrayMenuItem, { id: string }> => 'id' in item && item.id === id);
  }
  /** What the admin sees in the menu, separators as '-'. */
  labels(): string[] {
    return (this.menus.at(-1) ?? []).map((item) => ('id' in item ? item.label : '-'));
  }
}

const linuxLoginItem = new LoginItem({ getLoginItemSettings: () => assert.fail('not on Linux'), setLoginItemSettings: () => assert.fail('not on Linux') }, 'linux');

async function controllerFor(engine: TrayEngine, clock: FakeClock, extra: { loginItem?: LoginItem } = {}) {
  const tray = new RecordingTray();
  const calls = { show: 0, quit: 0 };
  const logger = createMemoryLogger();
  const controller = await TrayController.start({
    tray,
    engine,
    loginItem: extra.loginItem ?? linuxLoginItem,
    show: () => void (calls.show += 1),
    quit: () => void (calls.quit += 1),
    clock,
    logger,
  });
  return { tray, calls, controller, logger };
}

/** Lets the engine's queue.changed coalescing (250 ms on the fake clock) and the tray's throttle run. */
function tick(h: Harness): void {
  h.clock.advance(TRAY_REFRESH_MS);
}

async function engineWithDomain(t: TestContext, port: number): Promise<Harness> {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  return h;
}

test('the tooltip and the count follow real queue.changed events as real SMTP mail is spooled', async (t) => {
  const h = await engineWithDomain(t, await closedPort());
  const { tray, controller } = await controllerFor(h.engine, h.clock);
  t.after(() => controller.dispose());
  assert.equal(tray.tooltip, 'MX Spool: 0 queued');
  assert.deepEqual(tray.badges, [''], 'no count with an empty queue');
  assert.equal(tray.item('retry-all')?.enabled, false, 'nothing to retry');

  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('tray-one'));
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['b@example.com'] }, sampleMessage('tray-two'));
  await waitFor(() => {
    tick(h);
    return tray.tooltip === 'MX Spool: 2 queued';
  }, 5000, `the tooltip to show 2 queued (last: ${tray.tooltip})`);
  assert.equal(tray.badges.at(-1), '2', 'the macOS count');
  assert.equal(tray.item('retry-all')?.enabled, true);
});

test('Pause receiving really stops the SMTP listener and the label flips to Resume; Resume brings it back', async (t) => {
  const h = await engineWithDomain(t, await closedPort());
  const { tray, controller } = await controllerFor(h.engine, h.clock);
  t.after(() => controller.dispose());
  assert.deepEqual(tray.labels(), ['Open MX Spool', '-', 'Pause receiving', 'Retry all now', '-', 'Quit'], 'no Start at login on Linux');

  tray.item('receiving')!.click();
  await waitFor(() => {
    tick(h);
    return tray.item('receiving')?.label === 'Resume receiving';
  }, 5000, 'the label to flip');
  assert.equal(h.engine.listenerStatus().paused, true);
  assert.equal(await acceptsConnections(h.smtpPort), false, 'no SMTP while paused');
  assert.equal(tray.tooltip, 'MX Spool: 0 queued, receiving paused');

  tray.item('receiving')!.click();
  await waitFor(() => {
    tick(h);
    return tray.item('receiving')?.label === 'Pause receiving';
  }, 5000, 'the label to flip back');
  assert.equal(h.engine.listenerStatus().listening, true);
  assert.equal(await acceptsConnections(h.engine.listenerStatus().port ?? 0), true);
  assert.equal(tray.tooltip, 'MX Spool: 0 queued');
});

test('Retry all now makes the real queue due: held-back mail reaches the office server once it is back', async (t) => {
  const port = await closedPort();
  const h = await engineWithDomain(t, port);
  const { tray, controller, logger } = await controllerFor(h.engine, h.clock);
  t.after(() => controller.dispose());
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('retry-one'));
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['b@example.com'] }, sampleMessage('retry-two'));
  await waitFor(async () => {
    tick(h);
    const summary = await h.call('stats.summary', {});
    return summary.queued === 2 && summary.delivering === 0 && summary.domains[0]?.due === 0 && tray.item('retry-all')?.enabled;
  }, 5000, 'both deferred, none due');

  const office = await startDestination({ port });
  t.after(() => office.close());
  // The clock does not move: without Retry all the messages would wait for their next scheduled attempt.
  tray.item('retry-all')!.click();
  await waitFor(() => office.messages.length === 2, 5000, 'both delivered after Retry all');
  assert.ok(logger.entries.some((entry) => entry.code === 'DESKTOP_RETRY_ALL' && entry.fields.count === 2));
  await waitFor(() => {
    tick(h);
    return tray.tooltip === 'MX Spool: 0 queued';
  }, 5000, 'the tooltip back to 0');
});

test('a listener error shows in the tooltip; updates are throttled to one per 250 ms, the last state winning', async (t) => {
  const clock = new FakeClock();
  const events = new EventHub(clock, () => 0);
  const engine: TrayEngine = {
    events,
    handlers: {
      'stats.summary': async () => summary(0),
      'listener.pause': () => assert.fail('not called'),
      'listener.resume': () => assert.fail('not called'),
      'queue.retryAll': () => assert.fail('not called'),
    },
  };
  const { tray, controller } = await controllerFor(engine, clock);
  t.after(() => controller.dispose());
  assert.deepEqual(tray.tooltips, ['MX Spool: 0 queued']);

  clock.advance(TRAY_REFRESH_MS); // the first change after a quiet period shows at once
  for (let queued = 1; queued <= 100; queued += 1) events.emit('queue.changed', { domains: ['example.com'], queued });
  assert.deepEqual(tray.tooltips, ['MX Spool: 0 queued', 'MX Spool: 1 queued'], 'one update now, the rest held back');
  clock.advance(TRAY_REFRESH_MS - 1);
  assert.equal(tray.tooltips.length, 2, 'still inside the interval');
  clock.advance(1);
  assert.deepEqual(tray.tooltips.slice(2), ['MX Spool: 100 queued'], 'one trailing update with the latest count');

  events.emit('listener.status', { listening: false, error: 'listen EADDRINUSE: address already in use 0.0.0.0:25', paused: false, waitingForDomain: false });
  clock.advance(TRAY_REFRESH_MS);
  assert.equal(tray.tooltip, 'MX Spool: 100 queued, listener error');
  const menusBefore = tray.menus.length;
  events.emit('queue.changed', { domains: ['example.com'], queued: 99 });
  clock.advance(TRAY_REFRESH_MS);
  assert.equal(tray.tooltip, 'MX Spool: 99 queued, listener error');
  assert.equal(tray.menus.length, menusBefore, 'the native menu is not rebuilt when only the count changed');
});

test('Start at login (Windows): a checkbox that writes the Run entry with the start-hidden argument and reads it back', async (t) => {
  const stored = { openAtLogin: false, args: [] as string[] };
  const port: LoginItemPort = {
    getLoginItemSettings: (options) => ({ openAtLogin: stored.openAtLogin && JSON.stringify(options?.args ?? []) === JSON.stringify(stored.args) }),
    setLoginItemSettings: (settings) => Object.assign(stored, { openAtLogin: settings.openAtLogin, args: settings.args ?? [] }),
  };
  const clock = new FakeClock();
  const loginItem = new LoginItem(port, 'win32');
  const engine: TrayEngine = {
    events: new EventHub(clock, () => 0),
    handlers: { 'stats.summary': async () => summary(0), 'listener.pause': async () => assert.fail(), 'listener.resume': async () => assert.fail(), 'queue.retryAll': async () => assert.fail() },
  };
  const { tray, controller, calls } = await controllerFor(engine, clock, { loginItem });
  t.after(() => controller.dispose());
  assert.deepEqual(tray.labels(), ['Open MX Spool', '-', 'Pause receiving', 'Retry all now', '-', 'Start at login', '-', 'Quit']);
  assert.equal(tray.item('start-at-login')?.checked, false);

  tray.item('start-at-login')!.click();
  clock.advance(TRAY_REFRESH_MS);
  assert.deepEqual(stored, { openAtLogin: true, args: [STARTED_AT_LOGIN_ARG] });
  assert.equal(tray.item('start-at-login')?.checked, true, 'read back from the OS');
  assert.equal(loginItem.startedAtLogin(['MX Spool.exe', STARTED_AT_LOGIN_ARG]), true);
  assert.equal(loginItem.startedAtLogin(['MX Spool.exe']), false, 'started by the admin: the window shows');

  tray.item('start-at-login')!.click();
  clock.advance(TRAY_REFRESH_MS);
  assert.equal(stored.openAtLogin, false);
  assert.equal(tray.item('start-at-login')?.checked, false);

  tray.item('open')!.click();
  tray.item('quit')!.click();
  assert.deepEqual(calls, { show: 1, quit: 1 });
});

test('a failing engine call is logged, not thrown into the menu click', async (t) => {
  const clock = new FakeClock();
  const engine: TrayEngine = {
    events: new EventHub(clock, () => 0),
    handlers: {
      'stats.summary': async () => summary(3),
      'listener.pause': async () => Promise.reject(new Error('listener busy')),
      'listener.resume': async () => assert.fail(),
      'queue.retryAll': async () => assert.fail(),
    },
  };
  const { tray, controller, logger } = await controllerFor(engine, clock);
  t.after(() => controller.dispose());
  tray.item('receiving')!.click();
  await waitFor(() => logger.entries.find((entry) => entry.code === 'DESKTOP_TRAY_ACTION_FAILED'), 1000, 'the failure logged');
  assert.equal(logger.entries.find((entry) => entry.code === 'DESKTOP_TRAY_ACTION_FAILED')?.fields.method, 'listener.pause');
  assert.equal(tray.item('receiving')?.label, 'Pause receiving', 'unchanged: the pause did not happen');
});

function summary(queued: number): Awaited<ReturnType<TrayEngine['handlers']['stats.summary']>> {
  return {
    queued,
    held: 0,
    delivering: 0,
    oldestCreatedAt: null,
    domains: [],
    listener: { listening: true, address: '127.0.0.1', port: 2525, error: null, paused: false, waitingForDomain: false },
  } as never;
}
