import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeApi } from '../../../electron/contract/api-handlers.js';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { startEngine, type Harness } from '../../support/engine-harness.js';
import { closedPort, sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

const TOO_MANY = '4.7.0 Too many connections from your address, try again later';

async function setup(t: Parameters<typeof startEngine>[0], port: number): Promise<Harness> {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  return h;
}

async function attemptsLogged(h: Harness, count: number): Promise<void> {
  await waitFor(async () => {
    await h.engine.attemptLog.flush();
    return (await h.call('diagnosis.domain', { domain: 'example.com' })).attempts >= count;
  }, 8000, `${count} attempts logged`);
}

test('a destination that answers "421 4.7.0 Too many connections": counted, explained and named in the summary with our source IP', async (t) => {
  const destination = await startDestination({
    onConnect(_session, callback) {
      callback(new SmtpReply(421, TOO_MANY));
    },
  });
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  for (const name of ['one', 'two', 'three']) await sendRaw(h.smtpPort, { from: 's@example.net', to: [`${name}@example.com`] }, sampleMessage(name));
  await attemptsLogged(h, 3);

  const result = await h.call('diagnosis.domain', { domain: 'Example.COM' });
  assert.equal(result.domain, 'example.com');
  assert.equal(result.topCategory, 'rate-limited');
  const [cause] = result.causes;
  assert.equal(cause?.category, 'rate-limited');
  assert.equal(cause.count, result.attempts);
  assert.equal(cause.share, `${result.attempts} of ${result.attempts} attempts`);
  assert.deepEqual(cause.sourceAddresses, ['127.0.0.1']);
  assert.deepEqual(cause.destinations, [`127.0.0.1:${destination.port}`]);
  assert.equal(cause.example.response, `421 ${TOO_MANY}`);
  assert.equal(cause.example.localAddress, '127.0.0.1');
  assert.match(cause.explanation, /Your server limited connections or messages from 127\.0\.0\.1/);
  assert.equal(
    result.summary,
    `Your server limited connections from 127.0.0.1 on ${result.attempts} of ${result.attempts} attempts: exempt this address (127.0.0.1) from connection rate limiting on its firewall or Exchange receive connector (see "Our addresses"); MX Spool already slows down meanwhile.`,
  );
  assert.ok(result.oldest !== null && result.newest !== null && result.oldest <= result.newest);

  // The newest N only.
  const two = await h.call('diagnosis.domain', { domain: 'example.com', attempts: 2 });
  assert.equal(two.attempts, 2);
  assert.equal(two.causes[0]?.share, '2 of 2 attempts');
  assert.equal(two.newest, result.newest);

  // The same category everywhere the attempt shows: queue, message drawer, Outbound report.
  // The attempt is logged just before the queue entry is updated: wait for the entries too.
  const items = await waitFor(async () => {
    const list = (await h.call('queue.list', { domain: 'example.com' })).items;
    return list.length === 3 && list.every((item) => item.attempts > 0) ? list : undefined;
  }, 8000, 'every entry tried');
  for (const item of items) assert.equal(item.lastCategory, 'rate-limited');
  const detail = await h.call('queue.get', { id: items[0]!.id });
  assert.equal(detail.diagnoses?.length, detail.attempts.length);
  assert.equal(detail.diagnoses?.[0]?.category, 'rate-limited');
  assert.match(detail.diagnoses?.[0]?.fix ?? '', /127\.0\.0\.1/);
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const report = await h.call('reports.outbound', { domain: 'example.com', from: day(-1), to: day(1) });
  assert.ok(report.rows.length > 0);
  for (const row of report.rows) assert.equal(row.diagnosis?.category, 'rate-limited');
  assert.equal(report.rows[0]?.response, `421 ${TOO_MANY}`, 'the reply itself unchanged');
});

test('nothing listening: connection refused is the named cause, with "this machine" as no source IP is known', async (t) => {
  const port = await closedPort();
  const h = await setup(t, port);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('refused'));
  await attemptsLogged(h, 1);
  const result = await h.call('diagnosis.domain', { domain: 'example.com' });
  assert.equal(result.topCategory, 'connection-refused');
  assert.deepEqual(result.causes[0]?.sourceAddresses, []);
  assert.match(result.summary, /^Connections to the server were refused on 1 of 1 attempt: check that the office mail server is running/);
  assert.match(result.summary, /allows connections from this machine\.$/);
  const item = await waitFor(async () => (await h.call('queue.list', {})).items.find((entry) => entry.attempts > 0), 5000, 'entry tried');
  assert.equal(item.lastCategory, 'connection-refused');
});

test('delivered only, and no attempts at all: the summary says nothing is stuck / nothing was tried', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  const empty = await h.call('diagnosis.domain', { domain: 'example.com' });
  assert.deepEqual(empty, { domain: 'example.com', attempts: 0, oldest: null, newest: null, causes: [], topCategory: null, summary: 'No delivery attempts to example.com in the last 60 days.' });

  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('fine'));
  await attemptsLogged(h, 1);
  const result = await h.call('diagnosis.domain', { domain: 'example.com' });
  assert.equal(result.topCategory, null);
  assert.equal(result.causes[0]?.category, 'delivered');
  assert.equal(result.summary, 'All 1 recent attempt to example.com were delivered: nothing is stuck.');
});

test('diagnosis.sourceAddresses: the source IP used per destination, with allowlisting steps; configured destinations never reached are listed empty', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const unused = await closedPort();
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  await h.call('domains.save', { name: 'example.org', destinations: [{ host: 'mail.example.org', port: unused, tls: 'none' }] });
  await h.call('queue.hold', { domain: 'example.org' });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['a@example.com'] }, sampleMessage('one'));
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['b@example.com'] }, sampleMessage('two'));
  await waitFor(() => destination.messages.length === 2, 5000, 'both delivered');
  // The attempt is logged once the delivery returns, a moment after the destination has the message.
  const result = await waitFor(async () => {
    await h.engine.attemptLog.flush();
    const found = await h.call('diagnosis.sourceAddresses', {});
    return found.destinations.some((entry) => entry.addresses[0]?.count === 2) ? found : undefined;
  }, 5000, 'both attempts logged');
  assert.equal(result.since, new Date(h.clock.now() - 7 * 86_400_000).toISOString());
  const reached = result.destinations.find((entry) => entry.destination === `127.0.0.1:${destination.port}`);
  assert.deepEqual(reached?.domains, ['example.com']);
  assert.equal(reached?.addresses.length, 1);
  const [address] = reached!.addresses;
  assert.equal(address?.address, '127.0.0.1');
  assert.equal(address.count, 2);
  assert.deepEqual(address.instructions.map((entry) => entry.server), ['firewall', 'exchange', 'microsoft-365', 'postfix', 'hmailserver']);
  for (const entry of address.instructions) assert.match(entry.text, /127\.0\.0\.1/, entry.server);
  assert.match(address.instructions.find((entry) => entry.server === 'firewall')!.text, new RegExp(`port ${destination.port}`));
  assert.match(address.instructions.find((entry) => entry.server === 'postfix')!.text, /mynetworks = 127\.0\.0\.0\/8 \[::1\]\/128 127\.0\.0\.1\/32/);
  const never = result.destinations.find((entry) => entry.destination === `mail.example.org:${unused}`);
  assert.deepEqual(never, { destination: `mail.example.org:${unused}`, domains: ['example.org'], addresses: [] });
});

test('input validation through invokeApi', async (t) => {
  const h = await startEngine(t);
  const call = (method: string, input: unknown) => invokeApi(h.engine.handlers, method, input, h.logger);
  for (const input of [{}, { domain: '' }, { domain: 'example.com', attempts: 0 }, { domain: 'example.com', attempts: 1001 }, { domain: 'example.com', attempts: 1.5 }, { domain: 'example.com', extra: 1 }]) {
    const result = await call('diagnosis.domain', input);
    assert.equal(result.ok, false, JSON.stringify(input));
    if (!result.ok) assert.equal(result.error.code, 'INVALID_INPUT');
  }
  const unknownField = await call('diagnosis.domain', { domain: 'example.com', extra: 1 });
  assert.ok(!unknownField.ok && unknownField.error.message.includes('Unknown field "extra"'));
  const fine = await call('diagnosis.domain', { domain: 'example.com', attempts: 1000 });
  assert.equal(fine.ok, true);
  const sources = await call('diagnosis.sourceAddresses', { domain: 'example.com' });
  assert.ok(!sources.ok && sources.error.code === 'INVALID_INPUT');
  assert.equal((await call('diagnosis.sourceAddresses', {})).ok, true);
});
