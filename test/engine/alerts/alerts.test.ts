import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../../electron/contract/alerts-schema.js';
import { startEngine, type Harness } from '../../support/engine-harness.js';
import { closedPort, sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

const MINUTE = 60_000;

const probing = (h: Harness) => h.engine.runner.probeState('example.com')?.probing === true;

/** Moves the fake clock minute by minute, waiting each time for the deliveries and probes it started. */
async function minutes(h: Harness, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    h.clock.advance(MINUTE);
    await waitFor(() => h.engine.runner.deliveringCount === 0 && !probing(h), 5000, 'deliveries and probes settled');
  }
}

/** An engine whose one domain points at a closed port, with `count` messages queued and deferred once. */
async function stuckDomain(t: Parameters<typeof startEngine>[0], count: number, domain: Record<string, unknown> = {}) {
  const port = await closedPort();
  const h = await startEngine(t);
  const raised: Alert[] = [];
  h.engine.events.on('alert.raised', (alert) => raised.push(alert));
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }], ...domain });
  for (let index = 0; index < count; index += 1) {
    await sendRaw(h.smtpPort, { from: 's@example.net', to: [`u${index}@example.com`] }, sampleMessage(`alert-${index}`));
  }
  await waitFor(async () => {
    const { items } = await h.call('queue.list', {});
    return items.length === count && items.some((item) => item.attempts >= 1) && h.engine.runner.deliveringCount === 0;
  }, 5000, 'the first deferral');
  return { h, port, raised };
}

test('a domain stuck past alerts.stuckMinutes raises one alert, with an event, and one "recovered" once mail is delivered again', async (t) => {
  const { h, port, raised } = await stuckDomain(t, 2);
  await minutes(h, 55);
  assert.deepEqual(raised.filter((alert) => alert.kind === 'stuck'), [], 'not before the threshold (60 min)');

  await minutes(h, 10);
  const stuck = raised.filter((alert) => alert.kind === 'stuck');
  assert.equal(stuck.length, 1, 'raised once');
  assert.equal(stuck[0]!.domain, 'example.com');
  assert.equal(stuck[0]!.count, 2);
  assert.ok(stuck[0]!.oldestCreatedAt);
  assert.match(stuck[0]!.message, /Why is mail stuck/);
  assert.ok(h.logger.entries.some((entry) => entry.code === 'ALERT_RAISED'));

  await minutes(h, 30);
  assert.equal(raised.filter((alert) => alert.kind === 'stuck').length, 1, 'not again every minute');

  const destination = await startDestination({ port });
  t.after(() => destination.close());
  for (let index = 0; index < 30 && !raised.some((alert) => alert.kind === 'recovered'); index += 1) await minutes(h, 1);
  assert.equal(destination.messages.length, 2, 'the mail was delivered');
  const recovered = raised.filter((alert) => alert.kind === 'recovered');
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0]!.domain, 'example.com');

  const { items } = await h.call('alerts.list', {});
  assert.deepEqual(items.map((alert) => alert.kind), ['recovered', 'stuck'], 'newest first');
});

test('a domain\'s own alertStuckMinutes replaces alerts.stuckMinutes for that domain', async (t) => {
  const { h, raised } = await stuckDomain(t, 1, { alertStuckMinutes: 15 });
  await minutes(h, 12);
  assert.equal(raised.filter((alert) => alert.kind === 'stuck').length, 0, 'not before its own 15 minutes');
  await minutes(h, 5);
  assert.equal(raised.filter((alert) => alert.kind === 'stuck').length, 1, 'after 15 minutes, long before the server-wide 60');
});

test('messages about to reach their lifetime raise one "expiring" alert with their count', async (t) => {
  const { h, raised } = await stuckDomain(t, 3, { lifetimeDays: 1 });
  await h.call('settings.update', { alerts: { lifetimeWarningHours: 23, stuckMinutes: 600 } });
  await minutes(h, 55);
  assert.equal(raised.length, 0, 'more than 23 h of lifetime left');
  await minutes(h, 10);
  assert.equal(raised.length, 1);
  assert.equal(raised[0]!.kind, 'expiring');
  assert.equal(raised[0]!.count, 3);
  assert.match(raised[0]!.message, /3 messages for example\.com will be returned/);
  await minutes(h, 20);
  assert.equal(raised.length, 1, 'once per episode');
});

test('alerts.list survives a restart, and the stuck episode with it', async (t) => {
  const { h, raised } = await stuckDomain(t, 1);
  await minutes(h, 62);
  assert.equal(raised.length, 1);
  const before = await h.call('alerts.list', {});
  assert.equal(before.items.length, 1);

  const again = await h.restart();
  const after = await again.call('alerts.list', {});
  assert.deepEqual(after.items, before.items);
  const raisedAgain: Alert[] = [];
  again.engine.events.on('alert.raised', (alert) => raisedAgain.push(alert));
  await minutes(again, 5);
  assert.deepEqual(raisedAgain, [], 'still the same stuck episode: no second alert');
});

test('settings.update changes the alerts section alone and keeps it', async (t) => {
  const h = await startEngine(t);
  const settings = await h.call('settings.update', { alerts: { stuckMinutes: 30 } });
  assert.deepEqual(settings.alerts, { stuckMinutes: 30, lifetimeWarningHours: 24, email: '' });
  await assert.rejects(h.call('settings.update', { alerts: { email: 'not an address' } }), /INVALID_INPUT/);
  const again = await h.restart();
  assert.equal((await again.call('settings.get', {})).alerts.stuckMinutes, 30);
});

test('with alerts.email set, each alert is e-mailed in plain text through the bounce relay', async (t) => {
  const relay = await startDestination();
  t.after(() => relay.close());
  const { h, raised } = await stuckDomain(t, 1);
  await h.call('settings.update', {
    alerts: { email: 'admin@example.org' },
    bounceRelay: { enabled: true, host: '127.0.0.1', port: relay.port, tls: 'none', verifyCertificate: false },
  });
  await minutes(h, 62);
  assert.equal(raised.length, 1);
  await waitFor(() => relay.messages.length === 1, 5000, 'the alert e-mail at the relay');
  const mail = relay.messages[0]!;
  assert.deepEqual(mail.to, ['admin@example.org']);
  assert.equal(mail.from, '', 'null sender: a failed alert never bounces');
  const text = mail.raw.toString('utf8');
  assert.match(text, /Subject: MX Spool alert: example\.com stuck/);
  assert.match(text, /Content-Type: text\/plain/);
  assert.match(text, /Mail for example\.com is stuck/);
  assert.ok(h.logger.entries.some((entry) => entry.code === 'ALERT_EMAIL_QUEUED'));
});
