import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import type { EventPayload } from '../../../electron/contract/events.js';
import { startEngine } from '../../support/engine-harness.js';
import { acceptsConnections, closedPort, sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

test('with waitForDomain, receiving starts with the first domain and stops when the last one goes', async (t) => {
  const port = await closedPort(); // fixed, so "not listening" can be checked on it
  const h = await startEngine(t, { waitForDomain: true, smtpPort: port });
  const statuses: EventPayload<'listener.status'>[] = [];
  h.engine.events.on('listener.status', (status) => statuses.push(status));

  assert.deepEqual(h.engine.listenerStatus(), { listening: false, address: null, port: null, error: null, paused: false, waitingForDomain: true });
  assert.equal(await acceptsConnections(port), false, 'no SMTP before a domain exists');
  assert.equal((await h.call('stats.summary', {})).listener.waitingForDomain, true);

  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1 }] });
  assert.equal(h.engine.listenerStatus().listening, true);
  assert.equal(h.engine.listenerStatus().port, port);
  assert.equal(await acceptsConnections(port), true);
  await sendRaw(port, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('first domain'));
  assert.equal(h.engine.spool.count, 1);
  assert.deepEqual(statuses.at(-1), { listening: true, error: null, paused: false, waitingForDomain: false });

  await h.call('domains.remove', { name: 'example.com' });
  assert.equal(h.engine.listenerStatus().listening, false);
  assert.equal(h.engine.listenerStatus().waitingForDomain, true);
  assert.equal(await acceptsConnections(port), false, 'the last domain removed: receiving stops again');
  assert.ok(h.logger.entries.some((entry) => entry.code === 'LISTENER_WAITING_FOR_DOMAIN'));
});

test('without waitForDomain (the service default) the listener starts at once', async (t) => {
  const h = await startEngine(t);
  assert.equal(h.engine.listenerStatus().listening, true);
  assert.equal(h.engine.listenerStatus().waitingForDomain, false);
});

test('listener.pause closes the SMTP port, queued mail still flows out, listener.resume opens it again', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const port = await closedPort();
  const h = await startEngine(t, { smtpPort: port });
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });

  const paused = await h.call('listener.pause', {});
  assert.deepEqual(paused, { listening: false, address: null, port: null, error: null, paused: true, waitingForDomain: false });
  assert.equal(await acceptsConnections(port), false);
  assert.equal((await h.call('stats.summary', {})).listener.paused, true);
  assert.deepEqual(await h.call('listener.pause', {}), paused, 'pausing twice is harmless');

  // A restart of the listener (a settings change) keeps it paused.
  await h.engine.restartListener();
  assert.equal(await acceptsConnections(port), false);

  const resumed = await h.call('listener.resume', {});
  assert.equal(resumed.listening, true);
  assert.equal(resumed.paused, false);
  assert.equal(resumed.port, port);
  await sendRaw(port, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('after resume'));
  await waitFor(() => destination.messages.length === 1, 10_000, 'delivered');
  assert.ok(h.logger.entries.some((entry) => entry.code === 'LISTENER_PAUSED'));
  assert.ok(h.logger.entries.some((entry) => entry.code === 'LISTENER_RESUMED'));
});

test('listener.resume reports a port taken meanwhile in the status instead of failing', async (t) => {
  const port = await closedPort();
  const h = await startEngine(t, { smtpPort: port });
  await h.call('listener.pause', {});
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  const status = await h.call('listener.resume', {});
  assert.equal(status.listening, false);
  assert.equal(status.paused, false);
  assert.match(status.error ?? '', /EADDRINUSE/);
});

test('queue.retryAll makes every queued message due now and leaves held ones held', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] });
  await h.call('domains.save', { name: 'example.org', destinations: [{ host: '127.0.0.1', port: 1, tls: 'none' }] });
  for (const to of ['a@example.com', 'b@example.com', 'c@example.org']) await sendRaw(h.smtpPort, { from: 's@example.net', to: [to] }, sampleMessage(to));
  // The first attempt fails (port 1) and the rest of the domain waits with it: nothing is due for minutes on the fake clock.
  const notDue = async () => (await h.call('queue.list', {})).items.every((item) => item.nextAttemptAt !== null && Date.parse(item.nextAttemptAt) > h.clock.now());
  await waitFor(notDue, 10_000, 'every message waiting for its next retry');
  const attemptsOf = async () => new Map((await h.call('queue.list', {})).items.map((item) => [item.id, item.attempts]));
  const held = (await h.call('queue.list', { domain: 'example.org' })).items[0]!;
  await h.call('queue.hold', { ids: [held.id] });
  const before = await attemptsOf();

  const { count } = await h.call('queue.retryAll', {});
  assert.equal(count, 2);
  const retried = (await h.call('queue.list', { domain: 'example.com' })).items;
  await waitFor(async () => {
    const now = await attemptsOf();
    return retried.every((item) => now.get(item.id)! === before.get(item.id)! + 1);
  }, 10_000, 'both example.com messages attempted again at once');
  const after = (await h.call('queue.list', { domain: 'example.org' })).items[0]!;
  assert.equal(after.state, 'held');
  assert.equal(after.attempts, before.get(held.id), 'held mail was not retried');
});
