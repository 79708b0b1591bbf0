import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { startEngine } from '../../support/engine-harness.js';
import { closedPort, sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

const MINUTE = 60_000;

test('engine: a destination answering 421 above 2 connections gets all mail, and stats.summary shows the limit found and why', async (t) => {
  const N = 2;
  const accepted = new Set<string>();
  let maxOpen = 0;
  // The office server is down while mail queues up, then comes back behind a firewall that allows 2 connections.
  const port = await closedPort();
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });

  const before = (await h.call('stats.summary', {})).domains.find((d) => d.domain === 'example.com');
  assert.deepEqual(before?.destinations, [{ destination: `127.0.0.1:${port}`, connectionLimit: 10, configuredLimit: 10, ratePerMinute: null, reason: null, since: null }]);

  const count = 30;
  // One at a time: the spool's own listener limits connections per client too.
  for (let i = 0; i < count; i += 1) await sendRaw(h.smtpPort, { from: 'sender@example.net', to: [`user${i}@example.com`] }, sampleMessage(`throttle-${i}`));
  await waitFor(() => [...h.engine.spool.all()].every((entry) => entry.state !== 'delivering'), 5000, 'first attempts made');

  const destination = await startDestination({
    port,
    onConnect(session, callback) {
      if (accepted.size >= N) return callback(new SmtpReply(421, '4.7.0 Too many connections from your address, try again later'));
      accepted.add(session.id);
      maxOpen = Math.max(maxOpen, accepted.size);
      return callback();
    },
    onClose(session) {
      accepted.delete(session.id);
    },
  });
  t.after(() => destination.close());
  // Messages deferred by the limit wait for the queue runner's next retry; move the fake clock until none is left.
  for (let step = 0; step < 40 && destination.messages.length < count; step += 1) {
    await waitFor(() => [...h.engine.spool.all()].every((entry) => entry.state !== 'delivering'), 5000, 'deliveries settled');
    if (destination.messages.length < count) h.clock.advance(5 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await waitFor(() => h.engine.spool.count === 0, 5000, 'queue drained');
  assert.equal(destination.messages.length, count);
  assert.ok(maxOpen <= N);

  const row = (await h.call('stats.summary', {})).domains.find((d) => d.domain === 'example.com');
  const limits = row?.destinations?.[0];
  assert.ok(limits, 'limits shown for the configured destination');
  assert.ok(limits.connectionLimit >= 1 && limits.connectionLimit <= N, `limit found: ${limits.connectionLimit}`);
  assert.equal(limits.configuredLimit, 10);
  assert.match(limits.reason ?? '', /^421 4\.7\.0 Too many connections/);
  assert.ok(limits.since !== null);
  assert.ok(h.logger.entries.some((e) => e.code === 'DELIVERY_LIMIT_LOWERED'));
});

test('engine: a message the destination refused for its connection limit (ETHROTTLED) is retried in a minute, not hours', async (t) => {
  const destination = await startDestination({
    onConnect(_session, callback) {
      callback(new SmtpReply(421, '4.7.0 Too many connections from your address, try again later'));
    },
  });
  t.after(() => destination.close());
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['user@example.com'] }, sampleMessage('throttled'));
  const item = await waitFor(async () => (await h.call('queue.list', {})).items.find((entry) => entry.attempts >= 1 && entry.state === 'queued'), 10_000, 'a deferral');
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const attempts = (await h.call('reports.outbound', { from: day(-1), to: day(1), timeZone: 'UTC' })).rows;
  assert.equal(attempts[0]?.errorCode, 'ETHROTTLED');
  assert.equal(Date.parse(item.nextAttemptAt!) - Date.parse(item.lastAttemptAt!), MINUTE);
});

test('engine: a destination answering 451 4.7.1 at MAIL FROM above N messages a minute gets all mail, and stats.summary shows the rate found', async (t) => {
  const N = 4;
  const count = 24;
  const h = await startEngine(t);
  // Accepted MAIL FROMs by time on the engine's (fake) clock: the server allows N in any 60 s window, as an
  // Exim ratelimit or an Exchange MessageRateLimit does. Counted at MAIL FROM, so a refused message costs nothing.
  const acceptedAt: number[] = [];
  let refusals = 0;
  const destination = await startDestination({
    onMailFrom(_address, _session, callback) {
      const now = h.clock.now();
      const inWindow = acceptedAt.filter((at) => at > now - MINUTE).length;
      if (inWindow >= N) {
        refusals += 1;
        return callback(new SmtpReply(451, '4.7.1 Too many messages, slow down'));
      }
      acceptedAt.push(now);
      return callback();
    },
  });
  t.after(() => destination.close());
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  for (let i = 0; i < count; i += 1) await sendRaw(h.smtpPort, { from: 'sender@example.net', to: [`user${i}@example.com`] }, sampleMessage(`rate-${i}`));
  await waitFor(() => refusals > 0, 5000, 'the first limit reply');
  const throttled = await waitFor(async () => {
    const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
    return (await h.call('reports.outbound', { from: day(-1), to: day(1), timeZone: 'UTC' })).rows.find((row) => row.code === 451);
  }, 5000, 'a 451 recorded');
  assert.equal(throttled.errorCode, 'ETHROTTLED', 'a limit reply after the greeting is retried in a minute too');
  assert.equal(throttled.stage, 'mail');
  assert.equal(throttled.response, '451 4.7.1 Too many messages, slow down');

  // The rate gate and the 1-minute retries wait on the fake clock: move it 10 s at a time.
  let lowest = Infinity;
  for (let step = 0; step < 400 && destination.messages.length < count; step += 1) {
    h.clock.advance(10_000);
    await new Promise((resolve) => setTimeout(resolve, 15));
    const rate = (await h.call('stats.summary', {})).domains.find((d) => d.domain === 'example.com')?.destinations?.[0]?.ratePerMinute;
    if (typeof rate === 'number') lowest = Math.min(lowest, rate);
  }
  await waitFor(() => h.engine.spool.count === 0, 5000, 'queue drained');
  assert.equal(destination.messages.length, count, 'every message delivered once');
  assert.ok(lowest <= N, `the rate gate came down to the server's ${N}/min (lowest ${lowest})`);

  const limits = (await h.call('stats.summary', {})).domains.find((d) => d.domain === 'example.com')?.destinations?.[0];
  assert.ok(limits, 'limits shown for the configured destination');
  assert.ok(limits.connectionLimit < 10, `concurrency cut too: ${limits.connectionLimit}`);
  assert.ok(limits.ratePerMinute !== null && limits.ratePerMinute <= 2 * N, `rate shown: ${String(limits.ratePerMinute)}`);
  assert.equal(limits.reason, '451 4.7.1 Too many messages, slow down');
  assert.ok(h.logger.entries.some((e) => e.code === 'DELIVERY_LIMIT_LOWERED' && e.fields.kind === 'rate'));
  // Refusals are bounded: after the first burst, at most a few per cut, not one per message per step.
  t.diagnostic(`rate limit: ${count} messages, ${refusals} refusals, lowest rate ${lowest}/min, final ${String(limits.ratePerMinute)}/min, connections ${limits.connectionLimit}`);
  assert.ok(refusals < 3 * count, `refusals bounded: ${refusals}`);
});
