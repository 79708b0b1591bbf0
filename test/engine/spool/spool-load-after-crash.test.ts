import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
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
  const state = JSON.parse(await readFile(path.join(store.queueDir, `${model!.id}.json`), 'utf8')) as Record<string, unknown>;
  // No close(): a killed engine writes no snapshot. Clones of the one real entry, under ids of their own.
  const total = PARALLEL_READ_MIN_FILES + 300;
  const ids = [model!.id];
  while (ids.length < total) {
    const id = newQueueId(clock.now() + ids.length);
    ids.push(id);
    await writeFile(path.join(store.queueDir, `${id}.eml`), body);
    await writeFile(path.join(store.queueDir, `${id}.json`), JSON.stringify({ ...state, id, state: ids.length % 2 === 0 ? 'delivering' : 'queued' }));
  }
  const [shortBody, tornState, lostBody] = [ids[500]!, ids[1500]!, ids[2200]!];
  await writeFile(path.join(store.queueDir, `${shortBody}.eml`), body.subarray(0, 10));
  await writeFile(path.join(store.queueDir, `${tornState}.json`), JSON.stringify({ ...state, id: tornState }).slice(0, 60));
  await import('node:fs/promises').then((fs) => fs.rm(path.join(store.queueDir, `${lostBody}.eml`)));

  const logger = createMemoryLogger();
  const reopened = await SpoolStore.open({ dir, clock, logger });
  assert.equal(reopened.count, total - 3);
  for (const id of [shortBody, tornState, lostBody]) assert.equal(reopened.get(id), undefined, `${id} is not loaded`);
  assert.ok(ids.every((id) => [shortBody, tornState, lostBody].includes(id) || reopened.get(id)?.state === 'queued'), 'every other entry is loaded, deliveries cut off by the crash queued again');
  const quarantined = await readdir(reopened.quarantineDir);
  assert.ok(quarantined.includes(`${shortBody}.eml`) && quarantined.includes(`${tornState}.json`) && quarantined.includes(`${lostBody}.json`));
  const reasons = logger.entries.filter((entry) => entry.code === 'SPOOL_ENTRY_QUARANTINED').map((entry) => String(entry.fields.reason));
  assert.equal(reasons.length, 3);
  assert.ok(reasons.some((reason) => /^body is 10 bytes, expected \d+$/.test(reason)));
  assert.ok(reasons.some((reason) => reason.startsWith('unreadable:')));
  assert.ok(reasons.includes('message body is missing'));
  const read = logger.entries.find((entry) => entry.code === 'SPOOL_STATE_FILES_READ');
  assert.equal(read?.fields.files, total - 1, 'every state file with a body was read');
  assert.ok(!logger.entries.some((entry) => entry.code === 'SPOOL_READER_THREAD_FAILED'));
});
