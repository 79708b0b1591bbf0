import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';
import { sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

test('stats.summary per domain: unreachable server, suspension, and the due backlog that Retry now drains', async (t) => {
  const down = await startDestination();
  const port = down.port;
  await down.close();
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  const domainSummary = async () => (await h.call('stats.summary', {})).domains.find((domain) => domain.domain === 'example.com')!;

  const fresh = await domainSummary();
  assert.equal(fresh.reachable, null, 'not tried yet');
  assert.equal(fresh.suspendedUntil, null);
  assert.equal(fresh.due, 0);

  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('one'));
  await waitFor(async () => (await domainSummary()).lastAttempt, 5000, 'an attempt');
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['b@example.com'] }, sampleMessage('two'));
  const afterFailure = await waitFor(async () => {
    const summary = await domainSummary();
    return summary.queued === 2 && summary.due === 0 ? summary : null;
  }, 5000, 'both queued, none due');
  assert.equal(afterFailure.reachable, false);
  assert.ok(afterFailure.suspendedUntil && Date.parse(afterFailure.suspendedUntil) > h.clock.now(), 'new mail waits for the suspension to end');

  const up = await startDestination({ port });
  t.after(() => up.close());
  const { count } = await h.call('queue.retry', { domain: 'example.com' });
  assert.equal(count, 2);
  const retried = await domainSummary();
  assert.equal(retried.suspendedUntil, null, 'Retry now lifts the suspension');
  assert.ok(retried.due + (2 - retried.queued) === 2, `every retried message is due or already gone (due ${retried.due}, queued ${retried.queued})`);
  const drained = await waitFor(async () => {
    const summary = await domainSummary();
    return summary.queued === 0 ? summary : null;
  }, 5000, 'drained');
  assert.equal(drained.due, 0);
  assert.equal(drained.reachable, true);
  assert.equal(up.messages.length, 2);
});
