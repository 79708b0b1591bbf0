import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';
import { rawSmtpSession } from '../../support/raw-smtp.js';
import { sampleMessage } from '../../support/mail-peers.js';

const session = (subject: string) => [
  'EHLO client.test\r\n',
  'MAIL FROM:<a@example.net>\r\n',
  'RCPT TO:<u@example.com>\r\n',
  'DATA\r\n',
  sampleMessage(subject) + '.\r\n',
  'QUIT\r\n',
];

test('free disk below queue.minFreeDiskMb: 452 4.3.1 at MAIL FROM, before any data is sent', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1 }] });
  await h.call('settings.update', { queue: { minFreeDiskMb: 1e12 } }); // more than any disk has
  const replies = await rawSmtpSession(h.smtpPort, session('disk'));
  assert.ok(replies.includes('452 4.3.1 Insufficient system storage, try again later'), replies.join(' | '));
  assert.equal(h.engine.spool.count, 0);
  assert.ok(h.logger.entries.some((entry) => entry.code === 'SPOOL_DISK_LOW'));
});

test('a storage error while receiving answers 451 4.3.0 and leaves no partial message', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1 }] });
  const tmpDir = path.join(h.dataDir, 'spool', 'tmp');
  await rm(tmpDir, { recursive: true });
  await writeFile(tmpDir, 'not a folder'); // every write into tmp/ now fails with ENOTDIR
  const replies = await rawSmtpSession(h.smtpPort, session('broken'));
  assert.ok(replies.some((line) => line.startsWith('451 4.3.0')), replies.join(' | '));
  assert.equal(h.engine.spool.count, 0);
  assert.deepEqual(await readdir(path.join(h.dataDir, 'spool', 'queue')), []);
  assert.ok(h.logger.entries.some((entry) => entry.code === 'SPOOL_WRITE_FAILED'));
});
