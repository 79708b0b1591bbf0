import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import type { CheckedState } from '../../../electron/engine/spool/state-file-check.js';
import { readStateFiles, type ReadStateFilesOptions } from '../../../electron/engine/spool/state-file-reader.js';
import { packedTrailer } from '../../../electron/engine/spool/packed-entry.js';
import { SpoolStore } from '../../../electron/engine/spool/spool-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { tempDir } from '../../support/temp-dir.js';

/** Why each damaged entry (by index) must be refused; every other entry is good. */
const DAMAGE: Record<number, RegExp> = {
  1: /^unreadable: .*EISDIR/, // the state is a folder
  2: /^unreadable: .*ENOENT/, // the body is gone
  3: /^body is 3 bytes, expected \d+/, // the body was cut short
  4: /^state does not match the schema/,
  5: /^state belongs to another id/,
  6: /^unreadable: .*JSON/, // the state was cut short
  7: /^packed file has no valid footer/, // a packed file cut short
  8: /^body is \d+ bytes, expected \d+/, // a packed file whose message is not the size its state says
};

/** A packed entry whose later state file is torn: taken, from the state packed with its message. */
const TORN = 13;

/** From index 9 on: every third entry is packed alone (`.mxmsg`), every third packed with a later state file, the rest `.json` + `.eml`. */
function layoutOf(index: number): 'packed' | 'packed+state' | 'two files' {
  if (index === 7 || index === 8) return 'packed';
  if (index < 9) return 'two files';
  return index % 3 === 0 ? 'packed' : index % 3 === 1 ? 'packed+state' : 'two files';
}

/**
 * A queue folder of `count` entries made from one real committed entry (its state as the spool wrote it),
 * each with its own id and body size, in the layouts of layoutOf, and the damaged ones of DAMAGE.
 */
async function queueFolder(t: Parameters<typeof tempDir>[0], count: number): Promise<{ queueDir: string; ids: string[] }> {
  const dir = await tempDir(t);
  const store = await SpoolStore.open({ dir, clock: new FakeClock(), logger: createMemoryLogger() });
  const incoming = await store.beginIncoming();
  await incoming.write(Buffer.from('Subject: model\r\n\r\nx\r\n'));
  const [model] = await incoming.commit([{ domain: 'example.com', recipients: ['a@example.com'] }], {
    from: 'sender@example.net', kind: 'inbound', messageId: null, subject: null, clientAddress: null, heloName: null, expiresAtMs: Date.parse('2026-12-04T09:00:00Z'),
  });
  const state: Record<string, unknown> = { ...store.get(model!.id)!, packed: undefined };
  const queueDir = path.join(dir, 'entries');
  await mkdir(queueDir);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `id${String(index).padStart(6, '0')}`;
    ids.push(id);
    const size = 10 + index;
    const layout = layoutOf(index);
    if (layout !== 'two files') {
      const first = { ...state, id, size: index === 8 ? size + 1 : size, packed: true };
      const file = Buffer.concat([Buffer.from('x'.repeat(size)), packedTrailer(first)]);
      await writeFile(path.join(queueDir, `${id}.mxmsg`), index === 7 ? file.subarray(0, file.length - 3) : file);
      const later = JSON.stringify({ ...first, attempts: 1 });
      // Index TORN: the later state cut short by a power cut; the packed first state stands in for it.
      if (layout === 'packed+state') await writeFile(path.join(queueDir, `${id}.json`), index === TORN ? later.slice(0, 30) : later);
      continue;
    }
    const json = JSON.stringify({ ...state, id: index === 5 ? 'someone-else' : id, size, bodySha256: undefined, ...(index === 4 ? { state: 'lost' } : {}) });
    if (index === 1) await mkdir(path.join(queueDir, `${id}.json`));
    else await writeFile(path.join(queueDir, `${id}.json`), index === 6 ? json.slice(0, 40) : json);
    if (index !== 2) await writeFile(path.join(queueDir, `${id}.eml`), 'x'.repeat(index === 3 ? 3 : size));
  }
  return { queueDir, ids };
}

function check(results: Map<string, CheckedState>, ids: string[]): void {
  assert.equal(results.size, ids.length, 'one result per id, none twice');
  ids.forEach((id, index) => {
    const checked = results.get(id)!;
    if (DAMAGE[index]) {
      assert.ok(!checked.ok, `${id} is refused`);
      assert.match(checked.reason, DAMAGE[index]);
      return;
    }
    assert.ok(checked.ok, `${id} is taken: ${checked.ok ? '' : checked.reason}`);
    assert.equal(checked.entry.id, id);
    assert.equal(checked.entry.size, 10 + index);
    assert.equal(checked.entry.domain, 'example.com');
    assert.equal(checked.entry.packed, layoutOf(index) === 'two files' ? undefined : true);
    if (index === TORN) {
      assert.match(checked.replaced ?? '', /^unreadable: /);
      assert.equal(checked.entry.attempts, 0, 'the first state, packed with the message');
    } else {
      assert.equal(checked.replaced, undefined);
      if (layoutOf(index) === 'packed+state') assert.equal(checked.entry.attempts, 1, 'a later state file wins over the packed first state');
    }
  });
}

async function readAll(read: typeof readStateFiles, queueDir: string, ids: string[], options: ReadStateFilesOptions = {}) {
  const results = new Map<string, CheckedState>();
  const summary = await read(queueDir, ids, (id, checked) => {
    assert.ok(!results.has(id), `${id} reported twice`);
    results.set(id, checked);
  }, options);
  return { results, summary };
}

for (const threads of [0, 1, 2, 3]) {
  test(`every entry is checked, the damaged ones refused with the reason, ${threads === 0 ? 'on the calling thread' : `by ${threads} worker thread(s) alone`}`, async (t) => {
    const { queueDir, ids } = await queueFolder(t, 1234); // several chunks, the last one short
    const { results, summary } = await readAll(readStateFiles, queueDir, ids, { threads, alsoHere: false });
    check(results, ids);
    assert.deepEqual(summary, threads === 0 ? { inWorkers: 0, onThisThread: ids.length, workerFailures: [] } : { inWorkers: ids.length, onThisThread: 0, workerFailures: [] });
  });
}

test('a worker and the calling thread share the chunks: each entry is checked once, by one of them', async (t) => {
  const { queueDir, ids } = await queueFolder(t, 2100); // enough for a worker by default
  const { results, summary } = await readAll(readStateFiles, queueDir, ids);
  check(results, ids);
  assert.equal(summary.inWorkers + summary.onThisThread, ids.length);
  assert.deepEqual(summary.workerFailures, []);
});

test('a worker that dies mid-way: the chunks it sent count, every other one is checked on the calling thread, none twice', async (t) => {
  const { queueDir, ids } = await queueFolder(t, 2345);
  const { results, summary } = await readAll(readStateFiles, queueDir, ids, {
    threads: 1,
    alsoHere: false, // so the worker has every chunk to itself until it dies
    onWorkerStarted: (worker) => worker.once('message', () => void worker.terminate()),
  });
  check(results, ids);
  assert.ok(summary.inWorkers >= 250 && summary.inWorkers < ids.length, `${summary.inWorkers} checked in the worker before it died`);
  assert.equal(summary.onThisThread, ids.length - summary.inWorkers);
  assert.equal(summary.workerFailures.length, 1);
  assert.match(summary.workerFailures[0]!, /exited with 1/);
});

// The app and the service run the built JavaScript, whose worker is a file of its own (state-file-worker.js);
// the tests above run the TypeScript through tsx, whose worker registers tsx first.
const built = path.join(process.cwd(), 'dist', 'electron', 'engine', 'spool', 'state-file-reader.js');
test('the built reader starts its built worker file', { skip: existsSync(built) ? false : 'needs `npm run build` first (dist/ is missing)' }, async (t) => {
  const module = (await import(pathToFileURL(built).href)) as { readStateFiles: typeof readStateFiles };
  const { queueDir, ids } = await queueFolder(t, 700);
  const { results, summary } = await readAll(module.readStateFiles, queueDir, ids, { threads: 2, alsoHere: false });
  check(results, ids);
  assert.deepEqual(summary, { inWorkers: ids.length, onThisThread: 0, workerFailures: [] });
});

for (const alsoHere of [false, true]) {
  test(`an error thrown by the callback ends the read with that error, and no call comes after it (${alsoHere ? 'workers and this thread' : 'workers alone'})`, async (t) => {
    const { queueDir, ids } = await queueFolder(t, 1200);
    let calls = 0;
    let callsAfterFailure = 0;
    await assert.rejects(
      readStateFiles(queueDir, ids, () => {
        calls += 1;
        if (calls > 10) callsAfterFailure += 1;
        if (calls === 10) throw new Error('caller failed');
      }, { threads: 2, alsoHere }),
      /caller failed/,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // a batch still on its way would arrive now
    assert.equal(callsAfterFailure, 0);
  });
}

test('no ids: nothing is read', async (t) => {
  const dir = await tempDir(t);
  let calls = 0;
  await readStateFiles(dir, [], () => (calls += 1), { threads: 2 });
  assert.equal(calls, 0);
});
