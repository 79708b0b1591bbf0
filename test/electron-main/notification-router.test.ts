import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../electron/contract/alerts-schema.js';
import { eventContract, type EventPayload } from '../../electron/contract/events.js';
import { Engine } from '../../electron/engine/engine.js';
import { EventHub } from '../../electron/engine/events/event-hub.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { alertNotice, appRoute, listenerErrorNotice, routeNotifications, type NotifierPort } from '../../electron/main/notification-router.js';
import { parseRoute } from '../../renderer/src/ui/route.js';
import { startEngine } from '../support/engine-harness.js';
import { FakeClock } from '../support/fake-clock.js';
import { closedPort, sampleMessage, sendRaw } from '../support/mail-peers.js';
import { waitFor } from '../support/temp-dir.js';

/** Notifications as the OS would show them; `click(i)` is the admin clicking the i-th one. */
class RecordingNotifier implements NotifierPort {
  supported = true;
  shown: { title: string; body: string; onClick: () => void }[] = [];
  isSupported(): boolean {
    return this.supported;
  }
  show(notice: { title: string; body: string }, onClick: () => void): void {
    this.shown.push({ ...notice, onClick });
  }
}

function alert(kind: Alert['kind'], domain = 'example.com'): Alert {
  return { id: `a-${kind}`, time: '2026-11-27T09:00:00.000Z', kind, domain, message: `${kind} message` };
}

const isValidRoute = (route: string) => eventContract['app.navigate'].safeParse({ route }).success;

test('each alert kind: its title, and a route the app.navigate schema accepts and the admin app reads', () => {
  assert.deepEqual(alertNotice(alert('stuck')), { title: 'Mail for example.com is stuck', body: 'stuck message', route: '#/queue?domain=example.com' });
  assert.deepEqual(alertNotice(alert('expiring')), { title: 'Mail for example.com will be returned soon', body: 'expiring message', route: '#/queue?domain=example.com' });
  assert.deepEqual(alertNotice(alert('recovered')), { title: 'Mail for example.com flows again', body: 'recovered message', route: '#/dashboard' });
  // An internationalised domain (RFC 6531) and characters the schema refuses are percent-encoded.
  const idn = appRoute('queue', { domain: "bücher.example (o'k)" });
  assert.equal(idn, '#/queue?domain=b%C3%BCcher.example%20%28o%27k%29');
  assert.ok(isValidRoute(idn));
  // Read back by the admin app's own route parser: the screen exists and the domain survives the trip.
  assert.deepEqual(parseRoute(idn), { screen: 'queue', params: { domain: "bücher.example (o'k)" } });
  assert.equal(parseRoute(alertNotice(alert('recovered')).route).screen, 'dashboard');
  assert.equal(parseRoute(listenerErrorNotice('port in use').route).screen, 'settings');
  for (const route of ['#/queue?domain=example.com', '#/dashboard', listenerErrorNotice('x').route]) assert.ok(isValidRoute(route), route);
});

test('a real stuck domain notifies; the click shows the window and the engine emits app.navigate to its queue', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: await closedPort(), tls: 'none' }] });
  await h.call('settings.update', { alerts: { stuckMinutes: 5 } });
  const notifier = new RecordingNotifier();
  const steps: string[] = [];
  const navigated: EventPayload<'app.navigate'>[] = [];
  h.engine.events.on('app.navigate', (payload) => navigated.push(payload));
  const stop = routeNotifications({
    events: h.engine.events,
    notifier,
    show: () => steps.push('show'),
    navigate: (route) => {
      steps.push('navigate');
      h.engine.events.emit('app.navigate', { route });
    },
  });
  t.after(stop);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('stuck-note'));
  for (let minute = 0; minute < 30 && notifier.shown.length === 0; minute += 1) {
    h.clock.advance(60_000);
    await waitFor(() => h.engine.runner.deliveringCount === 0, 5000, 'attempts settled');
  }
  assert.equal(notifier.shown.length, 1, 'one notification for the stuck domain');
  assert.equal(notifier.shown[0]!.title, 'Mail for example.com is stuck');
  assert.deepEqual(steps, [], 'nothing happens before the click');

  notifier.shown[0]!.onClick();
  assert.deepEqual(steps, ['show', 'navigate'], 'the window is shown, then told where to go');
  assert.deepEqual(navigated, [{ route: '#/queue?domain=example.com' }]);
});

test('a real listener error (port taken) notifies once, pointing at Server settings', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  // Not startEngine(): its start() would throw here. The folder goes after the engine has stopped.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-'));
  const engine = await Engine.open({ dataDir, smtpHost: '127.0.0.1', smtpPort: port, clock: new FakeClock(), logger: createMemoryLogger() });
  t.after(async () => {
    await engine.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const notifier = new RecordingNotifier();
  const routes: string[] = [];
  const stop = routeNotifications({ events: engine.events, notifier, show: () => {}, navigate: (route) => routes.push(route) });
  t.after(stop);

  await assert.rejects(engine.start(), /EADDRINUSE/);
  await assert.rejects(engine.restartListener(), /EADDRINUSE/); // the same error again: no second toast
  assert.equal(notifier.shown.length, 1);
  assert.equal(notifier.shown[0]!.title, 'MX Spool is not receiving mail');
  assert.match(notifier.shown[0]!.body, /EADDRINUSE/);
  notifier.shown[0]!.onClick();
  assert.deepEqual(routes, ['#/settings']);
});

test('listener errors: a different error, or the same one after a recovery, is news; unsupported platforms get nothing', () => {
  const events = new EventHub(new FakeClock(), () => 0);
  const notifier = new RecordingNotifier();
  routeNotifications({ events, notifier, show: () => {}, navigate: () => {} });
  const status = (error: string | null) => events.emit('listener.status', { listening: error === null, error, paused: false, waitingForDomain: false });
  status('port in use');
  status('port in use');
  status('permission denied');
  status(null);
  status('permission denied');
  assert.deepEqual(
    notifier.shown.map((shown) => shown.body.split('.')[0]),
    ['port in use', 'permission denied', 'permission denied'],
  );

  notifier.supported = false;
  events.emit('alert.raised', alert('stuck'));
  status('another error');
  assert.equal(notifier.shown.length, 3, 'no notification where the OS has none');
});
