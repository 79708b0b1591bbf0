import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startEngine } from '../support/engine-harness.js';
import { startService } from '../support/headless-service.js';
import { configureService, TEST_DOMAIN, waitForEmptyQueue } from '../support/reliability-mail.js';
import { closedPort, sampleMessage, startDestination } from '../support/mail-peers.js';
import { SmtpDialog, type SmtpReplyLines } from '../support/smtp-dialog.js';
import { storeAllAsEarlierVersion } from '../support/spool-layout.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// Storage faults injected for real: a full file system (a small tmpfs) and a write error from the kernel
// (RLIMIT_FSIZE → EFBIG), never a stub of the spool. Already covered elsewhere, not repeated here:
// free space below queue.minFreeDiskMb → 452 at MAIL FROM, and tmp/ unusable at the start of DATA → 451
// (test/engine/intake/storage-replies.test.ts); truncated body and garbage state quarantined at load
// (test/engine/spool/spool-store.test.ts). This file adds the failures in the middle and at the end of DATA,
// and the corrupt entry end to end: quarantined, logged, and the rest of the queue delivered.

const run = promisify(execFile);
const DOMAIN = TEST_DOMAIN;

/** A message of about `bytes` bytes; lines never start with a dot. */
function message(subject: string, bytes: number): string {
  const line = `${subject} ${'x'.repeat(70)}\r\n`;
  return sampleMessage(subject, line.repeat(Math.ceil(bytes / line.length)));
}

/**
 * One transaction. The body goes first and the final dot only after a pause, so a reply sent before the
 * dot (the server answering while the client still sends: RFC 5321 4.1.1.4 says the reply comes after
 * the end of data) is seen as `early`.
 */
async function transaction(port: number, body: string): Promise<{ early: SmtpReplyLines | null; final: SmtpReplyLines | null; quit: SmtpReplyLines | null }> {
  const { dialog } = await SmtpDialog.open(port);
  try {
    assert.equal((await dialog.command('EHLO client.example.net'))?.code, 250);
    assert.equal((await dialog.command('MAIL FROM:<sender@example.net>'))?.code, 250);
    assert.equal((await dialog.command(`RCPT TO:<user@${DOMAIN}>`))?.code, 250);
    assert.equal((await dialog.command('DATA'))?.code, 354);
    dialog.write(body);
    const early = await dialog.read(700).catch(() => null);
    dialog.write('.\r\n');
    const final = early ?? (await dialog.read(15_000));
    const quit = await dialog.command('QUIT');
    assert.deepEqual(dialog.malformed, []);
    return { early, final, quit };
  } finally {
    dialog.destroy();
  }
}

/**
 * A tmpfs of `sizeKb` mounted on a new folder, or null where mounting is not allowed (not root, not Linux).
 * `unmount` detaches it (lazily: files still open stay usable) and removes the folder.
 */
async function smallFileSystem(sizeKb: number): Promise<{ dir: string; unmount: () => Promise<void> } | null> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mx-full-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  } catch {
    await rm(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount: async () => {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

test('disk full during DATA (a real ENOSPC from a full tmpfs): 452 4.3.1 after the final dot, no partial message, mail taken again once there is room', { timeout: 60_000 }, async (t) => {
  const fileSystem = await smallFileSystem(4096);
  if (!fileSystem) {
    t.skip('needs root on Linux to mount a 4 MiB tmpfs');
    return;
  }
  const dataDir = fileSystem.dir;
  const h = await startEngine(t, { dataDir }).catch(async (error: unknown) => {
    await fileSystem.unmount();
    throw error;
  });
  t.after(fileSystem.unmount); // registered after the engine's own: runs once the engine has stopped
  await h.call('domains.save', { name: DOMAIN, destinations: [{ host: '127.0.0.1', port: await closedPort() }] });
  await h.call('settings.update', { queue: { minFreeDiskMb: 0 } }); // the guard at MAIL FROM is not the subject here
  const spoolDir = path.join(dataDir, 'spool');
  const filler = path.join(dataDir, 'filler');
  const { bavail, bsize } = await statfs(dataDir);
  await writeFile(filler, Buffer.alloc(Math.max(0, Number(bavail) * Number(bsize) - 24 * 1024))); // ~24 KiB left

  // Fills the disk mid-body (the 64 KiB write buffer is flushed while the client still sends).
  const large = await transaction(h.smtpPort, message('large', 1024 * 1024));
  // Fits in the write buffer: the disk-full error comes at the final flush, inside commit.
  const small = await transaction(h.smtpPort, message('small', 40 * 1024));
  for (const [name, result] of [['mid-DATA', large], ['at commit', small]] as const) {
    assert.equal(result.early, null, `${name}: no reply before the final dot`);
    assert.equal(result.final?.code, 452, `${name}: ${JSON.stringify(result.final)}`);
    assert.match(result.final?.lines.join(' ') ?? '', /4\.3\.1/);
    assert.equal(result.quit?.code, 221, `${name}: the session goes on normally`);
  }
  assert.equal(h.engine.spool.count, 0);
  assert.deepEqual(await readdir(path.join(spoolDir, 'tmp')), [], 'no temp file left');
  assert.deepEqual(await readdir(path.join(spoolDir, 'queue')), [], 'nothing queued');
  const failures = h.logger.entries.filter((entry) => entry.code === 'SPOOL_WRITE_FAILED');
  assert.deepEqual(failures.map((entry) => entry.fields.stage), ['data', 'commit']);
  assert.ok(failures.every((entry) => String(entry.fields.message).includes('ENOSPC')));

  await rm(filler);
  const after = await transaction(h.smtpPort, message('after', 40 * 1024));
  assert.equal(after.final?.code, 250, JSON.stringify(after.final));
  assert.equal(h.engine.spool.count, 1);
});

test('a write error during DATA (EFBIG from the kernel: the service runs under a 512-block file size limit) answers 451 4.3.0 and keeps nothing; the next message flows', { skip: process.platform === 'win32' ? 'no ulimit on Windows' : false, timeout: 60_000 }, async (t) => {
  const dataDir = await tempDir(t);
  const destination = await startDestination();
  t.after(() => destination.close());
  const service = await startService(t, dataDir, { fileSizeLimitBlocks: 512 }); // 256 KiB (sh) or 512 KiB (bash)
  await configureService(service, destination.port);

  const refused = await transaction(service.smtpPort, message('too-much', 2 * 1024 * 1024));
  assert.equal(refused.early, null, 'no reply before the final dot');
  assert.equal(refused.final?.code, 451, JSON.stringify(refused.final));
  assert.match(refused.final?.lines.join(' ') ?? '', /4\.3\.0/);
  assert.deepEqual(await readdir(path.join(dataDir, 'spool', 'tmp')), [], 'no temp file left');
  assert.deepEqual(await readdir(path.join(dataDir, 'spool', 'queue')), [], 'nothing queued');
  assert.match(service.output(), /SPOOL_WRITE_FAILED stage=data .*EFBIG/);

  const next = await transaction(service.smtpPort, message('fits', 8 * 1024));
  assert.equal(next.final?.code, 250, JSON.stringify(next.final));
  await waitFor(() => destination.messages.length === 1, 20_000, 'the next message delivered');
  assert.match(destination.messages[0]!.raw.toString(), /Subject: fits/);
  service.child.kill('SIGTERM'); // stopped before its data folder is removed
  await service.exit;
});

test('a corrupt spool entry (garbage state, missing body, empty state) is quarantined with a log line and the rest of the queue is delivered', { timeout: 60_000 }, async (t) => {
  const dataDir = await tempDir(t);
  const destinationPort = await closedPort();
  let service = await startService(t, dataDir);
  await configureService(service, destinationPort);
  const subjects = ['good-1', 'garbage-state', 'good-2', 'missing-body', 'empty-state', 'good-3'];
  for (const subject of subjects) assert.equal((await transaction(service.smtpPort, message(subject, 2048))).final?.code, 250);
  const listed = await service.call('queue.list', { limit: 100 });
  const items = (listed.body.value as unknown as { items: { id: string; subject: string | null }[] }).items;
  const idOf = (subject: string) => items.find((item) => item.subject === subject)!.id;
  service.child.kill('SIGTERM');
  assert.equal(await service.exit, 0);

  const queueDir = path.join(dataDir, 'spool', 'queue');
  // A spool an earlier version left (every entry a .json state beside an .eml body): still read after an upgrade.
  await storeAllAsEarlierVersion(queueDir);
  await writeFile(path.join(queueDir, `${idOf('garbage-state')}.json`), '\u0000\u0000{"version":1,"id":"garb');
  await rm(path.join(queueDir, `${idOf('missing-body')}.eml`));
  await writeFile(path.join(queueDir, `${idOf('empty-state')}.json`), '');

  const destination = await startDestination({ port: destinationPort });
  t.after(() => destination.close());
  service = await startService(t, dataDir);
  await waitForEmptyQueue(service, 30_000);

  const delivered = destination.messages.map((received) => /Subject: (\S+)/.exec(received.raw.toString())?.[1]).sort();
  assert.deepEqual(delivered, ['good-1', 'good-2', 'good-3']);
  const quarantined = (await readdir(path.join(dataDir, 'spool', 'quarantine'))).sort();
  const expected = [`${idOf('garbage-state')}.json`, `${idOf('garbage-state')}.eml`, `${idOf('missing-body')}.json`, `${idOf('empty-state')}.json`, `${idOf('empty-state')}.eml`].sort();
  assert.deepEqual(quarantined, expected, 'each file of a bad entry is kept in spool/quarantine for the admin');
  const lines = service.output().split('\n').filter((line) => line.includes('SPOOL_ENTRY_QUARANTINED'));
  assert.equal(lines.length, 3, lines.join('\n'));
  for (const subject of ['garbage-state', 'missing-body', 'empty-state']) assert.ok(lines.some((line) => line.includes(`id=${idOf(subject)}`)), subject);
  assert.ok(lines.some((line) => line.includes('message body is missing')));
  assert.deepEqual(await readdir(queueDir), [], 'the queue is empty once the rest is delivered');
  service.child.kill('SIGTERM');
  await service.exit;
});
