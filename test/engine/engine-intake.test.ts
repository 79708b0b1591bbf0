import assert from 'node:assert/strict';
import net from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startEngine, type Harness } from '../support/engine-harness.js';
import { rawSmtpSession } from '../support/raw-smtp.js';
import { sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { waitFor } from '../support/temp-dir.js';

/** An engine whose domain points at a closed port, so accepted mail stays queued for inspection. */
async function engineWithDomain(t: Parameters<typeof startEngine>[0], extra: Record<string, unknown> = {}): Promise<Harness> {
  const harness = await startEngine(t);
  await harness.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1 }], ...extra });
  return harness;
}

test('relay attempts for other domains are refused with 550 5.7.1 and nothing is stored', async (t) => {
  const h = await engineWithDomain(t);
  const replies = await rawSmtpSession(h.smtpPort, [
    'EHLO client.test\r\n',
    'MAIL FROM:<spammer@evil.test>\r\n',
    'RCPT TO:<victim@other.test>\r\n',
    'RCPT TO:<user@example.com.evil.test>\r\n',
    'RCPT TO:<user%victim@example.com>\r\n',
    'DATA\r\n',
    'QUIT\r\n',
  ]);
  assert.deepEqual(replies.filter((line) => line.startsWith('550')), ['550 5.7.1 Relaying denied', '550 5.7.1 Relaying denied', '550 5.7.1 Relaying denied']);
  assert.ok(replies.some((line) => /^503 /.test(line)), 'DATA without a valid recipient is refused');
  assert.equal(h.engine.spool.count, 0);
  assert.deepEqual(await readdir(path.join(h.dataDir, 'spool', 'queue')), []);
  const inbound = await h.call('reports.inbound', { from: today(h), to: today(h), timeZone: 'UTC' });
  assert.equal(inbound.rows.filter((row) => row.outcome === 'refused').length >= 3, true);
});

test('accepted mail (over STARTTLS) is queued with a Received: header prepended and the bytes otherwise unchanged', async (t) => {
  const h = await engineWithDomain(t);
  const raw = sampleMessage('keep-bytes', 'line one\r\nline two with trailing spaces   \r\n');
  const info = await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['User@Example.com'] }, raw);
  assert.match(info.response, /^250 2\.0\.0 Ok: queued as [0-9a-z]{19}$/);
  const { items } = await h.call('queue.list', {});
  assert.equal(items.length, 1);
  const item = items[0]!;
  assert.equal(item.domain, 'example.com');
  assert.deepEqual(item.to, ['User@example.com'], 'local part case kept (RFC 5321 2.4)');
  assert.equal(item.messageId, '<keepbytes@example.net>');
  // The message is the file's first `size` bytes (a packed spool file holds the entry's state after them).
  const stored = (await readFile(h.engine.spool.bodyPath(item.id))).subarray(0, item.size).toString('utf8');
  assert.match(stored, /^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby \S+ \(MX Spool\) with ESMTPS id \S+\r\n\tfor <User@example\.com>;\r\n\t\w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000\r\n/);
  assert.ok(stored.endsWith(raw), 'original bytes kept after the Received: header');
});

test('SIZE is advertised and enforced with 552 5.3.4 without storing anything', async (t) => {
  const h = await engineWithDomain(t);
  await h.call('settings.update', { listener: { maxMessageBytes: 10_000 } });
  const smtpPort = h.engine.listenerStatus().port!;
  const big = sampleMessage('big', 'x'.repeat(200) + '\r\n'.repeat(1) + ('y'.repeat(998) + '\r\n').repeat(30));
  const replies = await rawSmtpSession(smtpPort, ['EHLO client.test\r\n', 'MAIL FROM:<a@example.net>\r\n', 'RCPT TO:<u@example.com>\r\n', 'DATA\r\n', big + '.\r\n', 'QUIT\r\n']);
  assert.ok(replies.some((line) => /^250[- ]SIZE 10000$/.test(line)), `SIZE advertised: ${replies.join(' | ')}`);
  assert.ok(replies.some((line) => line.startsWith('552 5.3.4')), replies.join(' | '));
  assert.equal(h.engine.spool.count, 0);
  assert.deepEqual(await readdir(path.join(h.dataDir, 'spool', 'tmp')), []);
});

test('recipients over the limit get 452 4.5.3; EHLO offers STARTTLS, 8BITMIME, SMTPUTF8, PIPELINING and no AUTH', async (t) => {
  const h = await engineWithDomain(t);
  await h.call('settings.update', { listener: { maxRecipients: 2 } });
  const port = h.engine.listenerStatus().port!;
  const replies = await rawSmtpSession(port, ['EHLO client.test\r\n', 'MAIL FROM:<a@example.net>\r\n', 'RCPT TO:<u1@example.com>\r\n', 'RCPT TO:<u2@example.com>\r\n', 'RCPT TO:<u3@example.com>\r\n', 'QUIT\r\n']);
  for (const capability of ['STARTTLS', '8BITMIME', 'SMTPUTF8', 'PIPELINING']) assert.ok(replies.some((line) => line.slice(4) === capability), capability);
  assert.ok(!replies.some((line) => line.includes('AUTH')), 'no AUTH offered');
  assert.ok(replies.includes('452 4.5.3 Too many recipients'));
});

test('a recipient list refuses unknown users with 550 5.1.1 at RCPT time', async (t) => {
  const h = await engineWithDomain(t, { acceptAllRecipients: false, recipients: ['alice'] });
  const replies = await rawSmtpSession(h.smtpPort, ['EHLO c\r\n', 'MAIL FROM:<a@example.net>\r\n', 'RCPT TO:<alice@example.com>\r\n', 'RCPT TO:<mallory@example.com>\r\n', 'QUIT\r\n']);
  assert.ok(replies.some((line) => line.startsWith('550 5.1.1 <mallory@example.com>')));
  assert.equal(replies.filter((line) => line.startsWith('250 Accepted')).length, 2, 'MAIL FROM and alice accepted');
});

test('connections per client IP are limited with 421 4.7.0', async (t) => {
  const h = await engineWithDomain(t);
  await h.call('settings.update', { listener: { maxConnectionsPerIp: 2 } });
  const port = h.engine.listenerStatus().port!;
  const sockets = await Promise.all([0, 1, 2].map(() => openAndReadGreeting(port)));
  t.after(() => sockets.forEach((socket) => socket.socket.destroy()));
  const greetings = sockets.map((socket) => socket.greeting.slice(0, 3)).sort();
  assert.deepEqual(greetings, ['220', '220', '421']);
});

test('bare LF and bare CR around a dot never split DATA into two messages (SMTP smuggling)', async (t) => {
  const destination = await startDestination();
  t.after(() => destination.close());
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: destination.port, tls: 'none' }] });
  const smuggled =
    'Subject: first\r\n\r\nbody\n.\nMAIL FROM:<evil@example.net>\nRCPT TO:<user@example.com>\nDATA\nSubject: smuggled\n\nsecond\r.\rmore\r\n.\n\r\n';
  const replies = await rawSmtpSession(h.smtpPort, ['EHLO c\r\n', 'MAIL FROM:<a@example.net>\r\n', 'RCPT TO:<user@example.com>\r\n', 'DATA\r\n', smuggled + '\r\n.\r\n', 'QUIT\r\n']);
  assert.equal(replies.filter((line) => line.startsWith('250 2.0.0 Ok: queued')).length, 1, replies.join(' | '));
  await waitFor(() => destination.messages.length === 1 && h.engine.spool.count === 0, 5000, 'delivery');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(destination.messages.length, 1, 'exactly one message downstream');
  assert.match(destination.messages[0]!.raw.toString(), /Subject: smuggled/, 'the smuggled text stayed inside the one message');
});

async function openAndReadGreeting(port: number): Promise<{ socket: net.Socket; greeting: string }> {
  const socket = net.connect(port, '127.0.0.1');
  const greeting = await new Promise<string>((resolve, reject) => {
    socket.once('data', (data) => resolve(data.toString()));
    socket.once('error', reject);
  });
  return { socket, greeting };
}

function today(h: Harness): string {
  return new Date(h.clock.now()).toISOString().slice(0, 10);
}
