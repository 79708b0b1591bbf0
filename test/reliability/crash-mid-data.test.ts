import assert from 'node:assert/strict';
import { open, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { readPackedTrailer } from '../../electron/engine/spool/packed-entry.js';
import { startService, type RunningService } from '../support/headless-service.js';
import { RecordingDestination } from '../support/recording-destination.js';
import { configureService, isOriginalWithReceived, TEST_DOMAIN, testMessage, waitForEmptyQueue } from '../support/reliability-mail.js';
import { seeded } from '../support/seeded-random.js';
import { SmtpDialog } from '../support/smtp-dialog.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

/** Sends one message over a fresh session and returns the reply code to the final dot. */
async function send(port: number, raw: Buffer): Promise<number | undefined> {
  const { dialog } = await SmtpDialog.open(port);
  try {
    for (const command of ['EHLO client.example.net', 'MAIL FROM:<sender@example.net>', `RCPT TO:<user@${TEST_DOMAIN}>`]) {
      assert.equal((await dialog.command(command))?.code, 250, command);
    }
    assert.equal((await dialog.command('DATA'))?.code, 354);
    dialog.write(Buffer.concat([raw, Buffer.from('.\r\n')]));
    return (await dialog.read(15_000))?.code;
  } finally {
    await dialog.quit();
  }
}

/**
 * Entries on disk by Message-ID (id = file name, size of the message), from the state packed in each `.mxmsg`
 * file; `changed` when a later state file is beside it (the attempt that found the destination down).
 */
async function packedEntries(dataDir: string): Promise<Map<string, { id: string; size: number; changed: boolean }>> {
  const queueDir = path.join(dataDir, 'spool', 'queue');
  const names = await readdir(queueDir);
  const entries = new Map<string, { id: string; size: number; changed: boolean }>();
  for (const name of names) {
    if (name.endsWith('.json')) continue;
    assert.ok(name.endsWith('.mxmsg'), `mail for one domain is stored packed: ${name}`);
    const read = readPackedTrailer(path.join(queueDir, name));
    assert.ok(read.ok);
    const entry = JSON.parse(read.json) as { id: string; messageId: string; size: number };
    entries.set(entry.messageId, { id: entry.id, size: entry.size, changed: names.includes(`${entry.id}.json`) });
  }
  return entries;
}

test('the destination dies mid-DATA: the message stays queued and is delivered later, exactly once and whole', { timeout: 90_000 }, async (t) => {
  const random = seeded(5);
  const messages = Array.from({ length: 9 }, (_, index) => {
    const id = `<mid-data-${index}@example.net>`;
    return { id, raw: testMessage(id, 150, random) }; // ~11 KB: the cut lands well inside the body
  });
  const toCut = new Set(messages.filter((_, index) => index % 3 === 1).map((message) => message.id));
  const destination = await RecordingDestination.create({
    // Its socket is destroyed after 4 KB of the body, on the first attempt only: a server that crashes.
    cutDuring: (messageId, bytes) => messageId !== null && bytes >= 4096 && toCut.delete(messageId),
  });
  t.after(() => destination.stop());
  await destination.start();
  const dataDir = await tempDir(t);
  const service = await startService(t, dataDir);
  await configureService(service, destination.port);

  for (const message of messages) assert.equal(await send(service.smtpPort, message.raw), 250);
  await waitFor(() => toCut.size === 0 && destination.delivered.length === 6, 20_000, 'the intact ones delivered and the others cut');
  const cutIds = messages.filter((_, index) => index % 3 === 1).map((message) => message.id);
  const queued = await waitFor(
    async () => {
      const list = (await service.call('queue.list', { limit: 100 })).body.value as unknown as { items: { messageId: string; state: string; attempts: number; lastResponse: string | null }[] };
      return list.items.length === 3 && list.items.every((item) => item.attempts >= 1) ? list.items : null;
    },
    10_000,
    'the cut messages back in the queue with their attempt recorded',
  );
  assert.deepEqual(queued.map((item) => item.messageId).sort(), [...cutIds].sort(), 'exactly the cut messages stay queued');
  for (const item of queued) assert.equal(item.state, 'queued');

  await waitForEmptyQueue(service);
  const cuts = destination.attempts.filter((attempt) => !attempt.completed);
  assert.deepEqual(cuts.map((attempt) => attempt.messageId).sort(), [...cutIds].sort(), 'one cut DATA per chosen message');
  for (const message of messages) {
    const copies = destination.delivered.filter((received) => received.messageId === message.id);
    assert.equal(copies.length, 1, `${message.id} delivered exactly once`);
    assert.ok(isOriginalWithReceived(copies[0]!.raw, message.raw), `${message.id} delivered whole`);
  }
  service.child.kill('SIGTERM'); // stopped before its data folder is removed
  await service.exit;
  t.diagnostic(`mid-DATA figures: ${JSON.stringify({ messages: messages.length, cutMidData: cuts.length, delivered: destination.delivered.length, duplicates: destination.delivered.length - messages.length })}`);
});

test('power-loss damage to the newest spool files is detected at restart: nothing partial is delivered, the damaged entries are quarantined, the rest flows', { timeout: 90_000 }, async (t) => {
  const random = seeded(7);
  const destination = await RecordingDestination.create(); // down while the mail arrives: everything stays queued
  t.after(() => destination.stop());
  const dataDir = await tempDir(t);
  let service: RunningService = await startService(t, dataDir);
  await configureService(service, destination.port);
  const names = ['intact-1', 'intact-2', 'intact-3', 'no-state', 'torn-state', 'empty-file', 'zeroed-body', 'short-body'];
  const sent = new Map<string, Buffer>();
  for (const name of names) {
    const id = `<${name}@example.net>`;
    const raw = testMessage(id, 80, random);
    sent.set(name, raw);
    assert.equal(await send(service.smtpPort, raw), 250, name);
  }
  service.child.kill('SIGKILL'); // the power goes
  await service.exit;

  const spoolDir = path.join(dataDir, 'spool');
  const queueDir = path.join(spoolDir, 'queue');
  const entries = await packedEntries(dataDir);
  const entryOf = (name: string) => entries.get(`<${name}@example.net>`)!;
  const idOf = (name: string) => entryOf(name).id;
  const file = (name: string, suffix: '.mxmsg' | '.eml' = '.mxmsg') => path.join(queueDir, idOf(name) + suffix);
  for (const name of names.slice(3)) assert.equal(entryOf(name).changed, false, `${name} has only its packed file (sent after the first attempt found the destination down)`);
  // The newest entries take the damage, as after a cut on a disk that acknowledged fsync too early.
  await truncate(file('short-body'), Math.floor(entryOf('short-body').size / 2)); // cut short: the state after the message gone too
  const zeroed = await open(file('zeroed-body'), 'r+'); // right size, the message's last 2 KB never reached the disk
  await zeroed.write(Buffer.alloc(2048), 0, 2048, entryOf('zeroed-body').size - 2048);
  await zeroed.close();
  await writeFile(file('empty-file'), ''); // zero-length file
  const torn = await open(file('torn-state'), 'r+'); // the state after the message garbled, its footer intact
  await torn.write(Buffer.alloc(16), 0, 16, entryOf('torn-state').size + 4);
  await torn.close();
  // As an earlier version (or mail for several domains) left it: a body whose state never reached the disk.
  await writeFile(file('no-state', '.eml'), (await readFile(file('no-state'))).subarray(0, entryOf('no-state').size));
  await rm(file('no-state'));
  // Leftovers of writes the cut interrupted before their rename: a half-received message and a state update.
  await writeFile(path.join(spoolDir, 'tmp', '0mwzzzzzz0123456789.incoming'), sent.get('intact-1')!.subarray(0, 300));
  await writeFile(path.join(spoolDir, 'tmp', `${idOf('intact-2')}.4242.abcdefgh.tmp`), '{"version":1,');

  await destination.start();
  service = await startService(t, dataDir);
  await waitForEmptyQueue(service);

  const delivered = destination.delivered.map((message) => message.messageId).sort();
  assert.deepEqual(delivered, ['<intact-1@example.net>', '<intact-2@example.net>', '<intact-3@example.net>'], 'only the intact entries are delivered, once each');
  for (const message of destination.delivered) {
    const name = /<([^@]+)@/.exec(message.messageId ?? '')?.[1] ?? '';
    assert.ok(isOriginalWithReceived(message.raw, sent.get(name)!), `${name} delivered whole`);
  }
  const quarantined = (await readdir(path.join(spoolDir, 'quarantine'))).sort();
  const damaged = ['torn-state', 'empty-file', 'zeroed-body', 'short-body'];
  assert.deepEqual(quarantined, damaged.map((name) => `${idOf(name)}.mxmsg`).sort(), 'the file of each damaged entry kept for the admin');
  const output = service.output();
  const reasons = new Map(
    output
      .split('\n')
      .filter((line) => line.includes('SPOOL_ENTRY_QUARANTINED'))
      .map((line) => [/ id=(\S+)/.exec(line)?.[1], /reason=("(?:[^"\\]|\\.)*"|\S+)/.exec(line)?.[1] ?? ''] as const),
  );
  assert.equal(reasons.size, 4, output);
  assert.match(reasons.get(idOf('short-body')) ?? '', /no valid footer/);
  assert.match(reasons.get(idOf('zeroed-body')) ?? '', /checksum/);
  assert.match(reasons.get(idOf('empty-file')) ?? '', /too short for its footer/);
  assert.match(reasons.get(idOf('torn-state')) ?? '', /unreadable/);
  assert.match(output, /SPOOL_ORPHANS_REMOVED files=1/);
  assert.match(output, /SPOOL_TMP_CLEANED files=2/);
  assert.deepEqual(await readdir(queueDir), [], 'nothing left in the queue');
  assert.deepEqual(await readdir(path.join(spoolDir, 'tmp')), []);
  service.child.kill('SIGTERM');
  await service.exit;
  t.diagnostic(`power-loss figures: ${JSON.stringify({ entries: names.length, delivered: delivered.length, quarantined: reasons.size, orphansRemoved: 1, tmpCleaned: 2 })}`);
});
