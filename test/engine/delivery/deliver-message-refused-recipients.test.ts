import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { startEngine, type Harness } from '../../support/engine-harness.js';
import { sampleMessage, sendRaw, startDestination } from '../../support/mail-peers.js';
import { waitFor } from '../../support/temp-dir.js';

// What a Postfix office server answers at RCPT TO, with its text as the test server sends it after the code.
const UNKNOWN = '5.1.1 <bob@example.com>: Recipient address rejected: User unknown';
const BUSY = '4.2.1 <carol@example.com>: Mailbox busy, try again later';

async function setup(t: Parameters<typeof startEngine>[0]) {
  const destination = await startDestination({
    onRcptTo(address, _session, callback) {
      if (address.address === 'bob@example.com') return callback(new SmtpReply(550, UNKNOWN));
      if (address.address === 'carol@example.com') return callback(new SmtpReply(450, BUSY));
      return callback();
    },
  });
  t.after(() => destination.close());
  // The 550 makes a DSN to the sender; a local relay takes it instead of the sender's real MX.
  const relay = await startDestination();
  t.after(() => relay.close());
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: relay.port, tls: 'none' } });
  return { h, destination };
}

function outbound(h: Harness) {
  const day = (offset: number) => new Date(h.clock.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return h.call('reports.outbound', { domain: 'example.com', from: day(-1), to: day(1), timeZone: 'UTC' });
}

test('recipients refused at RCPT TO while the others are taken: the attempt in reports.outbound carries each exact reply', async (t) => {
  const { h, destination } = await setup(t);
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['alice@example.com', 'bob@example.com', 'carol@example.com'] }, sampleMessage('partly-refused'));

  const [row] = await waitFor(async () => {
    const { rows } = await outbound(h);
    return rows.length > 0 ? rows : null;
  }, 5000, 'the attempt in the report');
  // The delivered recipient really got the message, and only it was in the transaction's envelope.
  assert.equal(destination.messages.length, 1);
  assert.deepEqual(destination.messages[0]!.to, ['alice@example.com']);
  assert.match(destination.messages[0]!.raw.toString(), /Subject: partly-refused/);

  // The attempt's own reply is still the one to DATA; the refusals come beside it, in RCPT TO order.
  assert.equal(row?.stage, 'done');
  assert.equal(row?.code, 250);
  assert.equal(row?.outcome, 'deferred', 'carol@ is left for a later run');
  assert.deepEqual(row?.refusedRecipients, [
    { address: 'bob@example.com', code: 550, enhancedCode: '5.1.1', response: `550 ${UNKNOWN}`, outcome: 'bounced' },
    { address: 'carol@example.com', code: 450, enhancedCode: '4.2.1', response: `450 ${BUSY}`, outcome: 'deferred' },
  ]);

  // The message drawer (queue.get) reads the same attempt log.
  const [item] = (await h.call('queue.list', { domain: 'example.com' })).items;
  const detail = await h.call('queue.get', { id: item!.id });
  assert.deepEqual(detail.attempts.at(-1)?.refusedRecipients?.map((refused) => refused.response), [`550 ${UNKNOWN}`, `450 ${BUSY}`]);
});

test('every recipient refused at RCPT TO: nothing is sent, and the attempt carries each recipient\'s own reply', async (t) => {
  const { h, destination } = await setup(t);
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['bob@example.com', 'carol@example.com'] }, sampleMessage('all-refused'));

  const [row] = await waitFor(async () => {
    const { rows } = await outbound(h);
    return rows.length > 0 ? rows : null;
  }, 5000, 'the attempt in the report');
  assert.equal(destination.messages.length, 0, 'no DATA without a recipient');
  assert.notEqual(row?.stage, 'done');
  assert.equal(row?.outcome, 'deferred', 'carol@ (450) is left for a later run; bob@ (550) bounced');
  assert.deepEqual(row?.refusedRecipients, [
    { address: 'bob@example.com', code: 550, enhancedCode: '5.1.1', response: `550 ${UNKNOWN}`, outcome: 'bounced' },
    { address: 'carol@example.com', code: 450, enhancedCode: '4.2.1', response: `450 ${BUSY}`, outcome: 'deferred' },
  ]);
});

test('an attempt where every recipient is taken has no refusedRecipients, in the report nor on disk', async (t) => {
  const { h, destination } = await setup(t);
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['alice@example.com', 'dave@example.com'] }, sampleMessage('all-taken'));
  await waitFor(() => h.engine.spool.count === 0, 5000, 'the message delivered');
  assert.deepEqual(destination.messages[0]?.to, ['alice@example.com', 'dave@example.com']);

  const [row] = await waitFor(async () => {
    const { rows } = await outbound(h);
    return rows.length > 0 ? rows : null;
  }, 5000, 'the attempt in the report');
  assert.equal(row?.outcome, 'delivered');
  assert.equal(row !== undefined && 'refusedRecipients' in row, false, 'left out, not an empty list');

  // The day log line itself stays as small as before the field existed.
  const logDir = await waitFor(async () => findAttemptLog(h.dataDir), 5000, 'the attempt log');
  const lines = (await readFile(logDir, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.includes('refusedRecipients'), false);
});

/** The attempts day file, wherever the engine keeps it under its data folder. */
async function findAttemptLog(dir: string): Promise<string | null> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /^attempts-\d{4}-\d{2}-\d{2}\.jsonl$/.test(entry.name)) return path.join(entry.parentPath, entry.name);
  }
  return null;
}
