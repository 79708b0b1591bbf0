import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { startEngine, type Harness } from '../../support/engine-harness.js';
import { closedPort, sampleMessage, sendRaw, startDestination, type TestDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

const MINUTE = 60_000;
const PROBE_MS = 2 * MINUTE; // retry.probeIntervalMinutes default

/** A server that is up but answers every connection with `421` at the banner; counts connections. */
async function refusingDestination(t: Parameters<typeof startEngine>[0]): Promise<TestDestination & { connections: () => number }> {
  let connections = 0;
  const destination = await startDestination({
    onConnect(_session, callback) {
      connections += 1;
      callback(new SmtpReply(421, '4.3.2 Service not available, closing transmission channel'));
    },
  });
  t.after(() => destination.close());
  return { ...destination, connections: () => connections };
}

async function engineWithDomains(t: Parameters<typeof startEngine>[0], domains: Record<string, number>): Promise<Harness> {
  const h = await startEngine(t);
  for (const [name, port] of Object.entries(domains)) {
    await h.call('domains.save', { name, destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  }
  return h;
}

const probing = (h: Harness, domains: string[]) => domains.some((domain) => h.engine.runner.probeState(domain)?.probing === true);

/** Moves the fake clock and waits until the deliveries and probes it started have finished. */
async function step(h: Harness, ms: number, domains = ['example.com']): Promise<void> {
  h.clock.advance(ms);
  await waitFor(() => h.engine.runner.deliveringCount === 0 && !probing(h, domains), 5000, 'deliveries and probes settled');
}

const probeLogs = (h: Harness, code: string) => h.logger.entries.filter((entry) => entry.code === code);
const domainSummary = async (h: Harness, domain = 'example.com') => (await h.call('stats.summary', {})).domains.find((row) => row.domain === domain)!;

/** Sends `count` messages to a server that is down and steps the clock until every regular retry is ≥ 60 min away. */
async function downWithLongRetries(t: Parameters<typeof startEngine>[0], count: number): Promise<{ h: Harness; port: number }> {
  const port = await closedPort();
  const h = await engineWithDomains(t, { 'example.com': port });
  for (let index = 0; index < count; index += 1) {
    await sendRaw(h.smtpPort, { from: 's@example.net', to: [`u${index}@example.com`] }, sampleMessage(`recovery-${index}`));
  }
  await waitFor(async () => {
    const { items } = await h.call('queue.list', {});
    return items.length === count && items.some((item) => item.attempts === 1) && h.engine.runner.deliveringCount === 0;
  }, 5000, 'the first deferral');
  for (let steps = 0; steps < 10; steps += 1) {
    const { items } = await h.call('queue.list', {});
    if (items.every((item) => Date.parse(item.nextAttemptAt!) - h.clock.now() >= 60 * MINUTE)) return { h, port };
    await step(h, PROBE_MS);
  }
  throw new Error('the regular retries never moved 60 min away');
}

test('destination down, then back: everything is delivered within one probe interval of its return, not at the 60-120 min retry', async (t) => {
  const { h, port } = await downWithLongRetries(t, 3);
  const nextRegular = Math.min(...(await h.call('queue.list', {})).items.map((item) => Date.parse(item.nextAttemptAt!)));
  assert.ok(nextRegular - h.clock.now() >= 60 * MINUTE, 'the next regular retry is at least an hour away');

  await step(h, 30_000); // the server comes back between two probes, not on a beat
  const destination = await startDestination({ port });
  t.after(() => destination.close());
  const returnedAt = h.clock.now();

  // Small steps, so the fake clock says when the delivery happened to within 10 s.
  while (h.engine.spool.count > 0 && h.clock.now() - returnedAt < 2 * PROBE_MS) await step(h, 10_000);
  assert.equal(h.engine.spool.count, 0, 'queue drained');
  assert.equal(destination.messages.length, 3);
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const report = await h.call('reports.outbound', { domain: 'example.com', from: day(-1), to: day(1), timeZone: 'UTC' });
  const delivered = report.rows.filter((row) => row.outcome === 'delivered');
  assert.equal(delivered.length, 3);
  // Recovery time, on the fake clock: from the moment the server is back to the first delivery.
  const firstDelivery = Math.min(...delivered.map((row) => Date.parse(row.time)));
  assert.ok(firstDelivery - returnedAt <= PROBE_MS, `delivered ${(firstDelivery - returnedAt) / 1000} s after the return`);
  assert.ok(firstDelivery < nextRegular, 'before the regular retry');
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_ANSWERED').length, 1);
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_ANSWERED')[0]?.fields.retried, 3);
  const { probe } = await domainSummary(h);
  assert.equal(probe?.lastResult, 'answered');
  assert.equal(probe?.active, false);
  assert.ok(Date.parse(probe!.recoveredAt!) - returnedAt <= PROBE_MS);
  await step(h, PROBE_MS);
  assert.equal((await domainSummary(h)).probe, null, 'nothing queued: dropped on the next beat');
});

test('while the server is down: one probe per interval, no attempt counted against any message, state on the dashboard', async (t) => {
  const { h } = await downWithLongRetries(t, 2);
  const attemptsBefore = (await h.call('queue.list', {})).items.map((item) => [item.id, item.attempts, item.nextAttemptAt]);
  const probesBefore = probeLogs(h, 'RECOVERY_PROBE_FAILED').length;
  for (let beat = 1; beat <= 5; beat += 1) {
    await step(h, PROBE_MS);
    assert.equal(probeLogs(h, 'RECOVERY_PROBE_FAILED').length, probesBefore + beat, `one probe on beat ${beat}`);
  }
  await step(h, PROBE_MS / 2);
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_FAILED').length, probesBefore + 5, 'none between beats');
  const failed = probeLogs(h, 'RECOVERY_PROBE_FAILED').at(-1)!;
  assert.equal(failed.level, 'debug');
  assert.match(String(failed.fields.response), /ECONNREFUSED|refused/i);
  const attemptsAfter = (await h.call('queue.list', {})).items.map((item) => [item.id, item.attempts, item.nextAttemptAt]);
  assert.deepEqual(attemptsAfter, attemptsBefore, 'probes change no message');
  const { probe } = await domainSummary(h);
  assert.equal(probe?.active, true);
  assert.equal(probe?.lastResult, 'failed');
  assert.match(probe?.lastResponse ?? '', /ECONNREFUSED|refused/i);
  assert.equal(Date.parse(probe!.nextProbeAt!) - Date.parse(probe!.lastProbeAt!), PROBE_MS);
});

test('a server answering 421 at the banner is not recovered', async (t) => {
  const destination = await refusingDestination(t);
  const h = await engineWithDomains(t, { 'example.com': destination.port });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('banner-421'));
  const item = await waitFor(async () => (await h.call('queue.list', {})).items.find((entry) => entry.attempts === 1), 5000, 'the 421 deferral');
  assert.equal(Date.parse(item.nextAttemptAt!) - h.clock.now(), 5 * MINUTE);
  assert.equal(destination.connections(), 1);

  await step(h, PROBE_MS);
  assert.equal(destination.connections(), 2, 'one probe connection');
  const [failed] = probeLogs(h, 'RECOVERY_PROBE_FAILED');
  assert.equal(failed?.fields.code, 421);
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_ANSWERED').length, 0);
  const [after] = (await h.call('queue.list', {})).items;
  assert.equal(after?.attempts, 1, 'still one attempt');
  assert.equal(after?.nextAttemptAt, item.nextAttemptAt, 'the regular retry is unchanged');
  const { probe } = await domainSummary(h);
  assert.equal(probe?.lastResult, 'failed');
  assert.match(probe?.lastResponse ?? '', /^421 /);
});

test('held domains and domains without queued mail are not probed', async (t) => {
  const held = await refusingDestination(t);
  const emptied = await refusingDestination(t);
  const h = await engineWithDomains(t, { 'held.example': held.port, 'emptied.example': emptied.port });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@held.example'] }, sampleMessage('held'));
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@emptied.example'] }, sampleMessage('emptied'));
  await waitFor(async () => {
    const { items } = await h.call('queue.list', {});
    return items.length === 2 && items.every((item) => item.attempts === 1);
  }, 5000, 'both deferred');
  await h.call('queue.hold', { domain: 'held.example' });
  await h.call('queue.delete', { domain: 'emptied.example' });
  const domains = ['held.example', 'emptied.example'];
  for (let beat = 0; beat < 3; beat += 1) await step(h, PROBE_MS, domains);
  assert.equal(held.connections(), 1);
  assert.equal(emptied.connections(), 1);
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_FAILED').length + probeLogs(h, 'RECOVERY_PROBE_ANSWERED').length, 0);
  for (const domain of domains) assert.equal((await domainSummary(h, domain)).probe, null, domain);
});

test('retry.probeIntervalMinutes: validated, respected, and 0 turns probing off', async (t) => {
  const destination = await refusingDestination(t);
  const h = await engineWithDomains(t, { 'example.com': destination.port });
  await assert.rejects(h.call('settings.update', { retry: { probeIntervalMinutes: 0.2 } }), /0 \(off\) or 0\.5 to 60 minutes/);
  await assert.rejects(h.call('settings.update', { retry: { probeIntervalMinutes: 61 } }));
  assert.equal((await h.call('settings.get', {})).retry.probeIntervalMinutes, 2, 'default');
  await h.call('settings.update', { retry: { probeIntervalMinutes: 10 } });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('interval'));
  await waitFor(async () => (await h.call('queue.list', {})).items.find((entry) => entry.attempts === 1), 5000, 'the first deferral');
  const connectionsAt: number[] = [];
  for (let minute = 1; minute <= 20; minute += 1) {
    await step(h, MINUTE);
    connectionsAt.push(destination.connections());
  }
  // Minute 5: the regular first retry (the next is 60-120 min later); minutes 10 and 20: probes.
  assert.deepEqual(connectionsAt, [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4]);
  const [item] = (await h.call('queue.list', {})).items;
  assert.equal(item?.attempts, 2, 'probes are not attempts');

  await h.call('settings.update', { retry: { probeIntervalMinutes: 0 } });
  for (let minute = 0; minute < 30; minute += 1) await step(h, MINUTE);
  assert.equal(destination.connections(), 4, 'off: no probe');
});

test('a server that answers probes but refuses the delivery that follows is probed less often, up to 60 min', async (t) => {
  let connections = 0;
  let flapping = true;
  const destination = await startDestination({
    onConnect(_session, callback) {
      connections += 1;
      // Every other connection gets 421: the probes get through, the delivery after each does not.
      if (flapping && connections % 2 === 1) return callback(new SmtpReply(421, '4.7.0 Try again later'));
      return callback();
    },
  });
  t.after(() => destination.close());
  const h = await engineWithDomains(t, { 'example.com': destination.port });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('flapping'));
  await waitFor(async () => (await h.call('queue.list', {})).items.find((entry) => entry.attempts === 1), 5000, 'the first deferral');
  const connectionsAt: number[] = [];
  for (let beat = 1; beat <= 7; beat += 1) {
    await step(h, PROBE_MS);
    connectionsAt.push(connections);
  }
  // Probe + failed delivery at 2 min; the interval doubles to 4 min (6 min), then to 8 min (14 min).
  assert.deepEqual(connectionsAt, [3, 3, 5, 5, 5, 5, 7]);
  assert.equal(probeLogs(h, 'RECOVERY_PROBE_ANSWERED').length, 3);
  const { probe } = await domainSummary(h);
  assert.equal(probe?.lastResult, 'answered');

  // The server is fixed: the next probe (16 min after the last, the interval having doubled again) delivers.
  flapping = false;
  while (h.engine.spool.count > 0 && connectionsAt.length < 20) {
    await step(h, PROBE_MS);
    connectionsAt.push(connections);
  }
  assert.equal(destination.messages.length, 1);
  assert.equal(connectionsAt.length, 7 + 8, 'delivered on the beat 16 min after the last probe');
});
