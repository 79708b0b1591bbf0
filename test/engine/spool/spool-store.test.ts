import assert from 'node:assert/strict';
import { open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { SpoolStore, type EntryMeta } from '../../../electron/engine/spool/spool-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { storeAsEarlierVersion } from '../../support/spool-layout.js';
import { tempDir } from '../../support/temp-dir.js';

const meta: EntryMeta = {
  from: 'sender@example.net',
  kind: 'inbound',
  messageId: '<m1@example.net>',
  subject: 'Hello',
  clientAddress: '127.0.0.1',
  heloName: 'client.example.net',
  expiresAtMs: Date.parse('2026-12-04T09:00:00Z'),
};

async function openStore(dir: string) {
  const logger = createMemoryLogger();
  const store = await SpoolStore.open({ dir, clock: new FakeClock(), logger });
  return { store, logger };
}

test('a committed message survives a restart with its envelope and exact bytes', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const incoming = await store.beginIncoming();
  const body = Buffer.from('Subject: Hello\r\n\r\nBody with bare \n LF and \r CR kept as is\r\n');
  await incoming.write(body);
  const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com', 'b@example.com'] }], meta);
  assert.ok(entry);
  assert.equal(entry.size, body.length);

  const { store: reopened } = await openStore(dir);
  const loaded = reopened.get(entry.id);
  assert.ok(loaded, 'entry reloaded');
  assert.deepEqual(loaded.to, ['a@example.com', 'b@example.com']);
  assert.equal(loaded.from, 'sender@example.net');
  assert.equal(loaded.packed, true);
  assert.deepEqual(await readdir(reopened.queueDir), [`${entry.id}.mxmsg`], 'one file per message: the message, then its state');
  assert.deepEqual((await readFile(reopened.bodyPath(entry.id))).subarray(0, entry.size), body);
  assert.equal(await reopened.readHeaders(entry.id), 'Subject: Hello');
});

test('a packed entry changed after it was received keeps its later state; removing it leaves no file', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const [id] = await queueSome(store, 1);
  await store.update(id!, (entry) => void (entry.attempts = 2));
  assert.deepEqual((await readdir(store.queueDir)).sort(), [`${id}.json`, `${id}.mxmsg`]);
  const { store: reopened } = await openStore(dir); // no snapshot: both files are read
  assert.equal(reopened.get(id!)?.attempts, 2, 'the state file wins over the first state in the packed file');
  assert.equal(await reopened.verifyBody(id!), true, 'the message is the first size bytes, not the state after them');
  assert.equal(await reopened.remove(id!), true);
  assert.deepEqual(await readdir(reopened.queueDir), []);
});

test('a packed entry whose message file is gone is quarantined with its later state, not loaded', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const [gone, kept] = await queueSome(store, 2);
  await store.update(gone!, (entry) => void (entry.attempts = 1));
  await rm(path.join(store.queueDir, `${gone}.mxmsg`));
  const { store: reopened, logger } = await openStore(dir);
  assert.equal(reopened.get(gone!), undefined);
  assert.ok(reopened.get(kept!));
  assert.deepEqual(await readdir(reopened.quarantineDir), [`${gone}.json`]);
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED' && entry.fields.reason === 'message body is missing'));
});

test('a packed file cut short, or with a later state of another shape, is quarantined; a torn later state gives way to the first', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const [good, truncated, torn, misshapen] = await queueSome(store, 4);
  for (const id of [torn, misshapen]) await store.update(id!, (entry) => void (entry.attempts = 1));
  await truncate(path.join(store.queueDir, `${truncated}.mxmsg`), 100);
  // A deferral is written without fsync while the office server is unreachable: a power cut can leave it torn.
  await writeFile(path.join(store.queueDir, `${torn}.json`), '{"version":1,"id":');
  await writeFile(path.join(store.queueDir, `${misshapen}.json`), JSON.stringify({ ...store.get(misshapen!)!, attempts: 'one' }));
  const { store: reopened, logger } = await openStore(dir);
  assert.deepEqual([...reopened.all()].map((entry) => entry.id).sort(), [good, torn].sort());
  assert.equal(reopened.get(torn!)?.attempts, 0, 'queued again from the state stored with the message');
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_STATE_REPLACED_BY_FIRST' && entry.fields.id === torn));
  assert.deepEqual((await readdir(reopened.quarantineDir)).sort(), [`${misshapen}.json`, `${misshapen}.mxmsg`, `${truncated}.mxmsg`].sort());
  const reasons = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED').map((entry) => String(entry.fields.reason));
  assert.equal(reasons.length, 2);
  assert.ok(reasons.some((reason) => reason.includes('footer')), reasons.join('; '));
  assert.ok(reasons.some((reason) => reason.includes('schema')), reasons.join('; '));
  assert.equal(await reopened.remove(torn!), true);
  assert.ok(!(await readdir(reopened.queueDir)).some((name) => name.startsWith(torn!)), 'its torn state file goes with it');
});

test('a message for two domains becomes two entries sharing one body by hard link', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const incoming = await store.beginIncoming();
  await incoming.write(Buffer.from('Subject: two\r\n\r\nx\r\n'));
  const entries = await incoming.commit(
    [
      { domain: 'one.example', recipients: ['a@one.example'] },
      { domain: 'two.example', recipients: ['b@two.example'] },
    ],
    meta,
  );
  assert.equal(entries.length, 2);
  const [first, second] = entries;
  assert.ok(first && second);
  assert.equal((await stat(store.bodyPath(first.id))).ino, (await stat(store.bodyPath(second.id))).ino);
  await store.remove(first.id);
  assert.equal((await readFile(store.bodyPath(second.id), 'utf8')).includes('Subject: two'), true, 'the other entry keeps its body');
});

test('an aborted message leaves nothing behind, and temp leftovers are cleaned at start', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const aborted = await store.beginIncoming();
  await aborted.write(Buffer.from('partial'));
  await aborted.abort();
  const crashed = await store.beginIncoming(); // never committed nor aborted: a crash mid-DATA
  await crashed.write(Buffer.alloc(70 * 1024, 'x')); // past the 64 KiB kept in memory, so on disk already
  assert.equal(store.count, 0);
  assert.equal((await readdir(store.queueDir)).length, 0);
  assert.equal((await readdir(path.join(dir, 'tmp'))).length, 1);

  const { logger } = await openStore(dir);
  assert.deepEqual(await readdir(path.join(dir, 'tmp')), []);
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_TMP_CLEANED'));
  await crashed.abort(); // a real crash closes the file with the process; here the test closes its own handle
});

test('a truncated body and a corrupt state file (as stored before packed files) are quarantined; the rest of the queue loads', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    const incoming = await store.beginIncoming();
    await incoming.write(Buffer.from(`Subject: ${index}\r\n\r\n${'x'.repeat(1000)}\r\n`));
    const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], meta);
    ids.push(entry!.id);
  }
  const [good, truncated, corrupt] = ids as [string, string, string];
  for (const id of ids) await storeAsEarlierVersion(store.queueDir, id);
  await truncate(path.join(store.queueDir, `${truncated}.eml`), 100); // power-loss style: the newest bytes are gone
  await writeFile(path.join(store.queueDir, `${corrupt}.json`), '{"version":1,"id":');

  const { store: reopened, logger } = await openStore(dir);
  assert.ok(reopened.get(good));
  assert.equal(reopened.get(truncated), undefined);
  assert.equal(reopened.get(corrupt), undefined);
  const quarantined = await readdir(reopened.quarantineDir);
  assert.ok(quarantined.includes(`${truncated}.eml`) && quarantined.includes(`${corrupt}.json`));
  const reasons = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED').map((entry) => String(entry.fields.reason));
  assert.equal(reasons.length, 2);
  assert.ok(reasons.some((reason) => reason.includes('expected')));
});

test('a body without its state (crash between the two renames) is removed as never acknowledged', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const incoming = await store.beginIncoming();
  await incoming.write(Buffer.from('x'));
  const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], meta);
  await storeAsEarlierVersion(store.queueDir, entry!.id); // mail for several domains is still stored this way
  await rm(path.join(store.queueDir, `${entry!.id}.json`));
  const { store: reopened } = await openStore(dir);
  assert.equal(reopened.count, 0);
  assert.deepEqual(await readdir(reopened.queueDir), []);
});

test('updates are durable and serialised per entry; transient state is not written', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const incoming = await store.beginIncoming();
  await incoming.write(Buffer.from('x'));
  const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], meta);
  const id = entry!.id;
  await Promise.all(Array.from({ length: 20 }, () => store.update(id, (next) => void (next.attempts += 1))));
  store.patchTransient(id, { state: 'delivering' });
  assert.equal(store.get(id)?.state, 'delivering');
  const { store: reopened } = await openStore(dir);
  assert.equal(reopened.get(id)?.attempts, 20);
  assert.equal(reopened.get(id)?.state, 'queued');
});

test('a body of the right size with other bytes (zero-filled by a power cut) is quarantined at its check, never delivered', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids: string[] = [];
  for (const text of ['intact', 'zeroed']) {
    const incoming = await store.beginIncoming();
    await incoming.write(Buffer.from(`Subject: ${text}\r\n\r\n${'y'.repeat(500)}\r\n`));
    const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], meta);
    assert.match(entry!.bodySha256 ?? '', /^[0-9a-f]{64}$/);
    ids.push(entry!.id);
  }
  const [intact, zeroed] = ids as [string, string];
  assert.equal(await store.verifyBody(zeroed), true, 'bodies received by this process are trusted');
  // The message's blocks zeroed, its packed state after them intact: the load-time checks cannot see it.
  const file = await open(store.bodyPath(zeroed), 'r+');
  await file.write(Buffer.alloc(store.get(zeroed)!.size), 0, store.get(zeroed)!.size, 0);
  await file.close();

  const { store: reopened, logger } = await openStore(dir);
  assert.ok(reopened.get(zeroed), 'the size matches, so it loads');
  assert.equal(reopened.needsVerifying(intact), true);
  // The delivery's own read of a small message is what gets checked (no second read of the file).
  const read = await reopened.readMessage(intact);
  assert.equal(await reopened.verifyBody(intact, read), true);
  assert.equal(reopened.needsVerifying(intact), false, 'checked once per process');
  assert.equal(await reopened.verifyBody(zeroed, await reopened.readMessage(zeroed)), false);
  assert.equal(reopened.get(zeroed), undefined);
  assert.ok((await readdir(reopened.quarantineDir)).includes(`${zeroed}.mxmsg`));
  const quarantined = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED');
  assert.equal(quarantined.length, 1);
  assert.match(String(quarantined[0]?.fields.reason), /checksum/);
});

test('bytes handed to verifyBody are what is checked: a read that differs from what was received is never sent', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const [id] = await queueSome(store, 1);
  await store.close();
  const { store: reopened, logger } = await openStore(dir);
  const read = await reopened.readMessage(id!);
  const other = Buffer.from(read);
  other[other.length - 3] = other[other.length - 3]! ^ 0x20; // one bit flipped on the way
  assert.equal(await reopened.verifyBody(id!, other), false);
  assert.equal(reopened.get(id!), undefined);
  assert.match(String(logger.entries.find((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED')?.fields.reason), /checksum/);
});

test('an entry stored before checksums existed still loads and is delivered on its size check alone', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const incoming = await store.beginIncoming();
  await incoming.write(Buffer.from('Subject: old\r\n\r\nx\r\n'));
  const [entry] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], meta);
  await storeAsEarlierVersion(store.queueDir, entry!.id);
  const statePath = path.join(store.queueDir, `${entry!.id}.json`);
  const { bodySha256: _dropped, ...old } = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
  await writeFile(statePath, JSON.stringify(old));
  const { store: reopened } = await openStore(dir);
  assert.equal(reopened.get(entry!.id)?.bodySha256, undefined);
  assert.equal(await reopened.verifyBody(entry!.id), true);
});

/** Queues `count` one-line messages for example.com and returns their ids. */
async function queueSome(store: SpoolStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const incoming = await store.beginIncoming();
    await incoming.write(Buffer.from(`Subject: ${index}\r\n\r\nbody ${index}\r\n`));
    const [entry] = await incoming.commit([{ domain: 'example.com', recipients: [`u${index}@example.com`] }], meta);
    ids.push(entry!.id);
  }
  return ids;
}

test('a graceful close writes a snapshot the next start reads instead of every state file, and deletes at once', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids = await queueSome(store, 5);
  await store.update(ids[1]!, (entry) => void (entry.attempts = 3));
  await store.close();
  assert.ok((await readdir(dir)).includes('snapshot.jsonl'));

  // Prove the states are not read: overwrite one with garbage; the snapshot's copy is used.
  await writeFile(path.join(dir, 'queue', `${ids[0]}.json`), 'garbage');
  const { store: reopened, logger } = await openStore(dir);
  assert.deepEqual([...reopened.all()].map((entry) => entry.id).sort(), [...ids].sort());
  assert.equal(reopened.get(ids[1]!)?.attempts, 3);
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_SNAPSHOT_USED'));
  assert.ok(!(await readdir(dir)).includes('snapshot.jsonl'), 'read once, then gone: a crash now means a full read next time');
  // Bodies were not opened at load; each is checked before its first delivery.
  assert.equal(await reopened.verifyBody(ids[2]!), true);
});

test('a snapshot out of step with the queue folder is ignored and every state file is read', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids = await queueSome(store, 3);
  await store.close();
  // Files changed by hand while the service was down: one entry's packed file gone, a state of another shape beside another's.
  await rm(path.join(dir, 'queue', `${ids[0]}.mxmsg`));
  await writeFile(path.join(dir, 'queue', `${ids[1]}.json`), '{"version":2}');
  const { store: reopened, logger } = await openStore(dir);
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_SNAPSHOT_IGNORED'));
  const quarantined = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED').map((entry) => entry.fields.id);
  assert.deepEqual(quarantined, [ids[1]], 'the full read found the garbage state');
  assert.deepEqual([...reopened.all()].map((entry) => entry.id), [ids[2]]);
});

test('a change after the snapshot was written deletes it, so the change is not lost to a stale snapshot', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids = await queueSome(store, 2);
  await store.close();
  await store.update(ids[0]!, (entry) => void (entry.attempts = 7));
  assert.ok(!(await readdir(dir)).includes('snapshot.jsonl'));
  const { store: reopened } = await openStore(dir);
  assert.equal(reopened.get(ids[0]!)?.attempts, 7);
});

test('with a snapshot, a body cut short while the service was down is still caught before delivery', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const [id] = await queueSome(store, 1);
  await store.close();
  await truncate(path.join(dir, 'queue', `${id}.mxmsg`), 5);
  const { store: reopened, logger } = await openStore(dir);
  assert.equal(await reopened.verifyBody(id!), false, 'never delivered');
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED'));
  assert.equal(reopened.get(id!), undefined);
});

test('a snapshot written by another entry schema is checked entry by entry, and ignored when one does not fit', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openStore(dir);
  const ids = await queueSome(store, 2);
  await store.close();
  const file = path.join(dir, 'snapshot.jsonl');
  const [header, first, second] = (await readFile(file, 'utf8')).trim().split('\n');
  const otherHeader = JSON.stringify({ ...JSON.parse(header!), schema: 'another-version' });
  const broken = JSON.stringify({ ...JSON.parse(first!), attempts: 'three' });
  await writeFile(file, [otherHeader, broken, second].join('\n') + '\n');
  const { store: reopened, logger } = await openStore(dir);
  assert.ok(logger.entries.some((entry) => entry.code === 'SPOOL_SNAPSHOT_IGNORED'));
  assert.deepEqual([...reopened.all()].map((entry) => entry.id).sort(), [...ids].sort(), 'every state file read instead');
  assert.equal(typeof reopened.get(ids[0]!)?.attempts, 'number');
});
