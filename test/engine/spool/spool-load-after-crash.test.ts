import assert from 'node:assert/strict';
import { readdir, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { packedTrailer } from '../../../electron/engine/spool/packed-entry.js';
import { newQueueId } from '../../../electron/engine/spool/queue-id.js';
import { SpoolStore } from '../../../electron/engine/spool/spool-store.js';
import { PARALLEL_READ_MIN_FILES } from '../../../electron/engine/spool/state-file-reader.js';
import { FakeClock } from '../../support/fake-clock.js';
import { tempDir } from '../../support/temp-dir.js';

// A spool big enough for the load to share its reads with a worker thread (state-file-reader.ts), left as a
// crash leaves it (no snapshot), with a few entries damaged as a power cut would.
test('after a crash a large spool loads every intact entry (with a reader thread) and quarantines the damaged ones', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const clock = new FakeClock();
  const store = await SpoolStore.open({ dir, clock, logger: createMemoryLogger() });
  const incoming = await store.beginIncoming();
  const body = Buffer.from('Subject: model\r\n\r\nThe same body for every entry.\r\n');
  await incoming.write(body);
  const [model] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], {
    from: 'sender@example.net', kind: 'inbound', messageId: null, subject: null, clientAddress: null, heloName: null, expiresAtMs: clock.now() + 86_400_000,
  });
  const state: Record<string, unknown> = { ...store.get(model!.id)!, packed: undefined };
  // No close(): a killed engine writes no snapshot. Clones of the one real entry, under ids of their own: every
  // second one packed (`.mxmsg`, as mail for one domain is stored), the others as `.json` + `.eml`.
  const total = PARALLEL_READ_MIN_FILES + 300;
  const ids = [model!.id];
  while (ids.length < total) {
    const id = newQueueId(clock.now() + ids.length);
    ids.push(id);
    const clone = { ...state, id, state: ids.length % 4 < 2 ? 'delivering' : 'queued' };
    if (ids.length % 2 === 0) {
      await writeFile(path.join(store.queueDir, `${id}.mxmsg`), Buffer.concat([body, packedTrailer({ ...clone, packed: true })]));
      continue;
    }
    await writeFile(path.join(store.queueDir, `${id}.eml`), body);
    await writeFile(path.join(store.queueDir, `${id}.json`), JSON.stringify(clone));
  }
  const [shortBody, tornState, lostBody, tornPacked] = [ids[500]!, ids[1500]!, ids[2200]!, ids[1001]!];
  await truncate(path.join(store.queueDir, `${tornPacked}.mxmsg`), body.length + 20);
  await writeFile(path.join(store.queueDir, `${shortBody}.eml`), body.subarray(0, 10));
  await writeFile(path.join(store.queueDir, `${tornState}.json`), JSON.stringify({ ...state, id: tornState }).slice(0, 60));
  await import('node:fs/promises').then((fs) => fs.rm(path.join(store.queueDir, `${lostBody}.eml`)));

  const logger = createMemoryLogger();
  const reopened = await SpoolStore.open({ dir, clock, logger });
  const damaged = [shortBody, tornState, lostBody, tornPacked];
  assert.equal(reopened.count, total - damaged.length);
  for (const id of damaged) assert.equal(reopened.get(id), undefined, `${id} is not loaded`);
  assert.ok(ids.every((id) => damaged.includes(id) || reopened.get(id)?.state === 'queued'), 'every other entry is loaded, deliveries cut off by the crash queued again');
  assert.equal([...reopened.all()].filter((entry) => entry.packed === true).length, total / 2, 'the packed ones among them (the model too, one torn)');
  const quarantined = await readdir(reopened.quarantineDir);
  for (const file of [`${shortBody}.eml`, `${tornState}.json`, `${lostBody}.json`, `${tornPacked}.mxmsg`]) assert.ok(quarantined.includes(file), file);
  const reasons = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED').map((entry) => String(entry.fields.reason));
  assert.equal(reasons.length, damaged.length);
  assert.ok(reasons.includes('packed file has no valid footer'));
  assert.ok(reasons.some((reason) => /^body is 10 bytes, expected \d+$/.test(reason)));
  assert.ok(reasons.some((reason) => reason.startsWith('unreadable:')));
  assert.ok(reasons.includes('message body is missing'));
  const read = logger.entries.find((entry) => entry.code === 'SPOOL_STATE_FILES_READ');
  assert.equal(read?.fields.files, total - 1, 'every entry with a message file was read');
  assert.ok(!logger.entries.some((entry) => entry.code === 'SPOOL_READER_THREAD_FAILED'));
});
