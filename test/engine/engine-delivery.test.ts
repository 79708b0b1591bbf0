import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SmtpReply } from '../../electron/engine/intake/smtp-reply.js';
import { startEngine, type Harness } from '../support/engine-harness.js';
import { closedPort, sampleMessage, sendRaw, startDestination, type TestDestination } from '../support/mail-peers.js';
import { waitFor } from '../support/temp-dir.js';

const MINUTE = 60_000;

async function setup(t: Parameters<typeof startEngine>[0], port: number): Promise<Harness> {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  return h;
}

/** Yesterday to tomorrow: the Berlin day differs from the UTC day near midnight, and the fake clock moves. */
async function outbound(h: Harness) {
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return h.call('reports.outbound', { domain: 'example.com', from: day(-1), to: day(1), timeZone: 'Europe/Berlin' });
}

test('destination down, then up: deferred with the error recorded, delivered at the first retry with the envelope intact', async (t) => {
  const port = await closedPort();
  const h = await setup(t, port);
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['a@example.com', 'b@example.com'] }, sampleMessage('down-up'));
  const deferred = await waitFor(async () => (await outbound(h)).rows.find((row) => row.outcome === 'deferred'), 5000, 'a deferred attempt');
  assert.equal(deferred.destination, `127.0.0.1:${port}`);
  assert.equal(deferred.stage, 'connect');
  assert.match(deferred.response ?? '', /ECONNREFUSED|refused/i);
  assert.match(deferred.time, /\+01:00$/, 'time rendered in Europe/Berlin (CET in November)');
  const [item] = (await h.call('queue.list', {})).items;
  assert.equal(item?.attempts, 1);
  assert.equal(Date.parse(item!.nextAttemptAt!) - Date.parse(item!.lastAttemptAt!), 5 * MINUTE, 'first retry after 5 minutes');

  const destination = await startDestination({ port });
  t.after(() => destination.close());
  h.clock.advance(5 * MINUTE);
  await waitFor(() => h.engine.spool.count === 0, 5000, 'queue drained');
  assert.equal(destination.messages.length, 1);
  assert.equal(destination.messages[0]!.from, 'sender@example.net');
  assert.deepEqual(destination.messages[0]!.to, ['a@example.com', 'b@example.com']);
  const rows = (await outbound(h)).rows;
  assert.equal(rows[0]?.outcome, 'delivered', 'newest row first');
  assert.match(rows[0]?.response ?? '', /^250 /);
});

test('per-recipient outcomes: 250, 450 and 550 in one attempt; only the deferred one stays queued, the 550 is bounced', async (t) => {
  const sink = await startDestination(); // the bounce relay
  t.after(() => sink.close());
  const destination = await startDestination({
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('busy')) return callback(new SmtpReply(450, '4.2.1 Mailbox busy, try later'));
      if (address.address.startsWith('gone')) return callback(new SmtpReply(550, '5.1.1 <gone@example.com>: user unknown here'));
      return callback();
    },
  });
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: sink.port, tls: 'none' } });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['ok@example.com', 'busy@example.com', 'gone@example.com'] }, sampleMessage('mixed'));
  await waitFor(() => destination.messages.length === 1, 5000, 'delivery of the accepted recipient');
  assert.deepEqual(destination.messages[0]!.to, ['ok@example.com']);
  const item = await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items.find((i) => i.attempts === 1), 5000, 'entry updated');
  assert.deepEqual(item.to, ['busy@example.com']);
  assert.deepEqual(
    item.recipients.map((r) => [r.address, r.status, r.code]),
    [
      ['ok@example.com', 'delivered', 250],
      ['busy@example.com', 'deferred', 450],
      ['gone@example.com', 'bounced', 550],
    ],
  );
  // The bounce for gone@ reaches the relay as an RFC 3464 report quoting the server's exact reply.
  const bounce = await waitFor(() => sink.messages[0], 5000, 'bounce at the relay');
  assert.equal(bounce.from, '', 'DSN sent with the null sender');
  assert.deepEqual(bounce.to, ['sender@example.net']);
  const text = bounce.raw.toString();
  assert.match(text, /Content-Type: multipart\/report; report-type=delivery-status;/i);
  assert.match(text, /Content-Type: message\/delivery-status/i);
  assert.match(text, /Final-Recipient: rfc822; ?gone@example\.com/i);
  assert.match(text, /Action: failed/);
  assert.match(text, /Status: 5\.1\.1/);
  assert.ok(text.includes('550 5.1.1 <gone@example.com>: user unknown here'), 'remote reply quoted');
  assert.match(text, /Content-Type: text\/rfc822-headers/i);
  assert.match(text, /Subject: mixed/);
});

test('421 greeting, 552 at end of DATA and a connection cut mid-DATA: deferred, bounced, deferred, each reply recorded', async (t) => {
  let mode: 'greet421' | 'reject552' | 'cut' = 'greet421';
  const destination = await startDestination({
    onConnect(_session, callback) {
      if (mode === 'greet421') return callback(new SmtpReply(421, '4.7.0 Too many connections, slow down'));
      return callback();
    },
    onData(stream, _session, callback) {
      stream.on('data', () => {
        // Cut every open connection in the middle of the message, as a crashing server or firewall would.
        if (mode === 'cut') for (const connection of destination.server.connections as Set<{ _socket: { destroy(): void } }>) connection._socket.destroy();
      });
      stream.on('end', () => {
        if (mode === 'reject552') return callback(new SmtpReply(552, '5.3.4 Message too big for this mailbox'));
        return callback(null, 'ok');
      });
    },
  });
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: 1, tls: 'none' } });

  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('greeting'));
  const greet = await waitFor(async () => (await outbound(h)).rows.find((row) => row.code === 421), 5000, '421 recorded');
  assert.equal(greet.outcome, 'deferred');
  assert.equal(greet.response, '421 4.7.0 Too many connections, slow down');
  assert.equal(greet.enhancedCode, '4.7.0');

  mode = 'reject552';
  await h.call('queue.retry', { domain: 'example.com' });
  const rejected = await waitFor(async () => (await outbound(h)).rows.find((row) => row.code === 552), 5000, '552 recorded');
  assert.equal(rejected.outcome, 'bounced');
  assert.equal(rejected.stage, 'data');
  assert.equal(rejected.response, '552 5.3.4 Message too big for this mailbox');
  // The original left the queue; the DSN to s@example.net is queued (its relay is down).
  await waitFor(async () => {
    const { items } = await h.call('queue.list', {});
    return items.length === 1 && items[0]!.kind === 'bounce';
  }, 5000, 'only the DSN queued');

  mode = 'cut';
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('cut', 'x'.repeat(200_000)));
  const cut = await waitFor(async () => (await outbound(h)).rows.find((row) => row.outcome === 'deferred' && row.stage === 'data'), 8000, 'cut recorded');
  assert.equal(cut.code, null);
  assert.ok(cut.errorCode, 'nodemailer error code kept');
  assert.equal((await h.call('queue.list', { domain: 'example.com' })).total, 1, 'still queued');
});

test('restart keeps the queue, schedules and history, and delivery resumes', async (t) => {
  const port = await closedPort();
  const h = await setup(t, port);
  // The first message is tried and fails; the domain is then suspended, so the others are scheduled for
  // the end of the suspension without a connection attempt of their own. They are sent once the first
  // attempt is on record: one arriving while it is still under way would be tried too.
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u0@example.com'] }, sampleMessage('restart-0'));
  await waitFor(async () => (await h.call('queue.list', {})).items[0]?.attempts === 1, 5000, 'first attempt');
  for (let index = 1; index < 3; index += 1) {
    await sendRaw(h.smtpPort, { from: 's@example.net', to: [`u${index}@example.com`] }, sampleMessage(`restart-${index}`));
  }
  await waitFor(async () => {
    const { items } = await h.call('queue.list', {});
    return items.length === 3 && items.every((item) => Date.parse(item.nextAttemptAt!) > h.clock.now());
  }, 5000, 'all scheduled');
  const before = await h.call('queue.list', {});
  assert.deepEqual(before.items.map((item) => item.attempts).sort(), [0, 0, 1]);
  assert.equal(new Set(before.items.map((item) => item.nextAttemptAt)).size, 1, 'all due when the suspension ends');
  const restarted = await h.restart();
  const after = await restarted.call('queue.list', {});
  assert.deepEqual(
    after.items.map((item) => [item.id, item.nextAttemptAt, item.attempts]),
    before.items.map((item) => [item.id, item.nextAttemptAt, item.attempts]),
  );
  assert.equal((await outbound(restarted)).total, 1, 'history kept');
  const destination = await startDestination({ port });
  t.after(() => destination.close());
  restarted.clock.advance(5 * MINUTE);
  await waitFor(() => destination.messages.length === 3, 5000, 'delivered after restart');
});

test('lines starting with a dot and bare line ends reach the office server as sent, at once and after a restart', async (t) => {
  // The stored message is escaped for DATA on its way out (dot-stuffing, CRLF): a dot stuffed twice, or not
  // at all, would change what the office server stores. After a restart the body is read once for both its
  // checksum and its delivery.
  const body = 'From: s@example.net\r\nTo: u@example.com\r\nSubject: dots\r\n\r\n.one\r\n..two\r\n.\r\nbare\nLF\r\n';
  const expected = body.replace(/\r?\n/g, '\r\n');
  const afterTrace = (raw: Buffer) => raw.toString('latin1').replace(/^Received:[^]*?\r\n(?=From: )/, ''); // our Received header comes first
  const destination = await startDestination();
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, body);
  await waitFor(() => destination.messages.length === 1, 5000, 'delivered at once');
  assert.equal(afterTrace(destination.messages[0]!.raw), expected);

  // Queued while the office server is down, then a restart: the first delivery also checks the checksum.
  const port = await closedPort();
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, body);
  await waitFor(async () => (await h.call('queue.list', {})).items[0]?.attempts === 1, 5000, 'deferred');
  const restarted = await h.restart();
  await restarted.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  await waitFor(() => destination.messages.length === 2, 5000, 'delivered after the restart');
  assert.equal(afterTrace(destination.messages[1]!.raw), expected);
  assert.ok(restarted.logger.entries.every((entry) => entry.code !== 'SPOOL_ENTRY_QUARANTINED'), 'its checksum matched');
});

test('hold, release, delete and "retry now"; saving new Mail Server Settings retries at once', async (t) => {
  const port = await closedPort();
  const h = await setup(t, port);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('held'));
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['v@example.com'] }, sampleMessage('deleted'));
  const items = await waitFor(async () => {
    const list = await h.call('queue.list', {});
    return list.items.length === 2 && list.items.every((item) => Date.parse(item.nextAttemptAt!) > h.clock.now()) ? list.items : null;
  }, 5000, 'deferred');
  const [held, deleted] = [items.find((i) => i.subject === 'held')!, items.find((i) => i.subject === 'deleted')!];
  assert.deepEqual(await h.call('queue.hold', { ids: [held.id] }), { count: 1 });
  assert.deepEqual(await h.call('queue.delete', { ids: [deleted.id] }), { count: 1 });
  assert.equal((await h.call('queue.list', { state: 'held' })).total, 1);

  const destination = await startDestination();
  t.after(() => destination.close());
  const saved = await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  assert.equal(saved.created, false);
  assert.equal(saved.retried, 0, 'the held message is not retried');
  await h.call('queue.release', { ids: [held.id] });
  await waitFor(() => destination.messages.length === 1, 5000, 'released message delivered');
  await waitFor(() => h.engine.spool.count === 0, 5000, 'removed from the spool after the 250'); // the server has the message before our side reads its reply

  // New destination while mail is queued: retried at once, no waiting for the schedule.
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['w@example.com'] }, sampleMessage('moved'));
  await waitFor(async () => (await h.call('queue.list', {})).items[0]?.attempts === 1, 5000, 'deferred at old destination');
  const moved = await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  assert.equal(moved.retried, 1);
  await waitFor(() => destination.messages.length === 2, 5000, 'delivered to the new destination without advancing the clock');
});

test('queue lifetime: a message still undeliverable after its lifetime is returned to its sender', async (t) => {
  const sink = await startDestination();
  t.after(() => sink.close());
  const port = await closedPort();
  const h = await setup(t, port);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }], lifetimeDays: 1 });
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: sink.port, tls: 'none' } });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['u@example.com'] }, sampleMessage('expires'));
  await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items[0]?.attempts === 1, 5000, 'first attempt');
  for (let step = 0; step < 30 && h.engine.spool.get((await h.call('queue.list', { domain: 'example.com' })).items[0]?.id ?? '') !== undefined; step += 1) {
    h.clock.advance(2 * 60 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  const bounce = await waitFor(() => sink.messages[0], 5000, 'expiry bounce');
  assert.match(bounce.raw.toString(), /Status: 4\.4\.7/);
  assert.equal((await h.call('queue.list', { domain: 'example.com' })).total, 0);
});

test('a bounce for a sender in an office domain goes to that domain\'s mail server; none is sent to the null sender', async (t) => {
  const destination = await startDestination({
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone')) return callback(new SmtpReply(550, '5.1.1 no such user'));
      return callback();
    },
  });
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  await sendRaw(h.smtpPort, { from: 'boss@example.com', to: ['gone@example.com'] }, sampleMessage('own-domain'));
  const dsn = await waitFor(() => destination.messages.find((message) => message.from === ''), 5000, 'DSN at the office server');
  assert.deepEqual(dsn.to, ['boss@example.com']);
  assert.match(dsn.raw.toString(), /Diagnostic-Code: smtp; ?550 5\.1\.1 no such user/);

  await sendRaw(h.smtpPort, { from: '', to: ['gone@example.com'] }, sampleMessage('null-sender'));
  await waitFor(() => h.logger.entries.find((entry) => entry.code === 'BOUNCE_NOT_SENT_NULL_SENDER'), 5000, 'null sender logged');
  await waitFor(() => h.engine.spool.count === 0, 5000, 'nothing left queued');
  assert.equal(destination.messages.filter((message) => message.from === '').length, 1, 'no DSN for the null sender');
});

test('delay warning: off by default; when set, the sender gets one RFC 3464 "delayed" notice and the message stays queued', async (t) => {
  const sink = await startDestination();
  t.after(() => sink.close());
  const port = await closedPort();
  const h = await setup(t, port);
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: sink.port, tls: 'none' }, queue: { delayWarningHours: 1 } });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['u@example.com'] }, sampleMessage('slow'));
  await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items[0]?.attempts === 1, 5000, 'first attempt');
  h.clock.advance(5 * MINUTE); // second attempt: under an hour, no warning yet
  await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items[0]?.attempts === 2, 5000, 'second attempt');
  assert.equal(sink.messages.length, 0);
  h.clock.advance(90 * MINUTE); // third attempt, past one hour
  const warning = await waitFor(() => sink.messages[0], 5000, 'delay warning');
  assert.match(warning.raw.toString(), /Action: delayed/);
  assert.match(warning.raw.toString(), /Subject: Delayed Mail/);
  assert.equal((await h.call('queue.list', { domain: 'example.com' })).total, 1, 'still queued');
  h.clock.advance(120 * MINUTE);
  await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items[0]?.attempts === 4, 5000, 'fourth attempt');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(sink.messages.length, 1, 'warned once only');
});

test('holding a domain holds its queued mail and the mail that arrives later; releasing delivers it all', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  assert.deepEqual(await h.call('queue.hold', { domain: 'example.com' }), { count: 0 });
  assert.equal((await h.call('domains.list', {})).items[0]?.held, true);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('arrives-held'));
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  assert.equal((await h.call('domains.list', {})).items[0]?.held, true, 'saving the domain form keeps the hold');
  const [item] = (await h.call('queue.list', {})).items;
  assert.equal(item?.state, 'held');
  assert.equal(item?.nextAttemptAt, null);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(destination.messages.length, 0, 'nothing delivered while held');
  assert.deepEqual(await h.call('queue.release', { domain: 'example.com' }), { count: 1 });
  assert.equal((await h.call('domains.list', {})).items[0]?.held, false);
  await waitFor(() => destination.messages.length === 1, 5000, 'delivered after release');
});

test('stopping with a delivery stuck at a silent server ends it as deferred after the grace period; nothing is lost', async (t) => {
  const destination = await startDestination({
    onData(stream) {
      stream.resume(); // takes the message and never answers the final dot
    },
  });
  t.after(() => destination.close());
  const h = await setup(t, destination.port);
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('stuck'));
  await waitFor(() => h.engine.runner.deliveringCount === 1, 5000, 'delivery in flight');
  await h.stop(300);
  const restarted = await h.restart();
  const { items } = await restarted.call('queue.list', {});
  assert.equal(items.length, 1, 'still queued after the restart');
  const rows = (await outbound(restarted)).rows;
  assert.equal(rows[0]?.outcome, 'deferred');
  assert.equal(rows[0]?.stage, 'data');
});

test('"bounce now" returns a queued message to its sender with a DSN and removes it; "retry" by id', async (t) => {
  const sink = await startDestination();
  t.after(() => sink.close());
  const port = await closedPort();
  const h = await setup(t, port);
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: sink.port, tls: 'none' } });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['u@example.com'] }, sampleMessage('give-up'));
  const item = await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items.find((i) => i.attempts === 1), 5000, 'deferred');
  assert.deepEqual(await h.call('queue.retry', { ids: [item.id, 'nonexistent'] }), { count: 1 });
  await waitFor(async () => (await h.call('queue.list', { domain: 'example.com' })).items[0]?.attempts === 2, 5000, 'retried by id');
  assert.deepEqual(await h.call('queue.bounce', { ids: [item.id] }), { count: 1 });
  const dsn = await waitFor(() => sink.messages[0], 5000, 'DSN at the relay');
  assert.deepEqual(dsn.to, ['sender@example.net']);
  assert.match(dsn.raw.toString(), /Action: failed/);
  assert.match(dsn.raw.toString(), /ECONNREFUSED|Delivery temporarily suspended/, 'the last reply is quoted');
  assert.equal((await h.call('queue.list', { domain: 'example.com' })).total, 0);
});

export type { TestDestination };
