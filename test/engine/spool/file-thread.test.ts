import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { FileThreads } from '../../../electron/engine/spool/file-thread.js';
import { DirectorySyncer } from '../../../electron/engine/spool/durable-file.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { tempDir } from '../../support/temp-dir.js';

type Job = Parameters<FileThreads['create']>[0];

async function setUp(t: Parameters<typeof tempDir>[0], options: { threads?: number } = {}) {
  const dir = await tempDir(t);
  const queue = path.join(dir, 'queue');
  const tmp = path.join(dir, 'tmp');
  await mkdir(queue);
  await mkdir(tmp);
  const logger = createMemoryLogger();
  const files = new FileThreads(queue, new DirectorySyncer(queue), logger, options);
  t.after(() => files.close());
  const job = (name: string, text: string): Job => ({ tmpPath: path.join(tmp, `${name}.incoming`), target: path.join(queue, `${name}.mxmsg`), chunks: [Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))] });
  return { queue, tmp, logger, files, job };
}

for (const threads of [2, 1, 0]) {
  const where = threads === 0 ? 'on the calling thread' : `on ${threads} file thread${threads === 1 ? '' : 's'}`;
  test(`every job's bytes land at its target and no temp file stays (${where})`, async (t) => {
    const { queue, tmp, files, job } = await setUp(t, { threads });
    const texts = Array.from({ length: 60 }, (_, index) => `message ${index}\r\n`.repeat(index + 1));
    await Promise.all(texts.map((text, index) => files.create(job(`m${index}`, text))));
    for (const [index, text] of texts.entries()) assert.equal(await readFile(path.join(queue, `m${index}.mxmsg`), 'utf8'), text);
    assert.deepEqual(await readdir(tmp), []);
    if (threads > 0) assert.ok(files.batchCount >= 1 && files.batchCount < texts.length, `${files.batchCount} batches for ${texts.length} jobs: jobs arriving together share one`);
    else assert.equal(files.batchCount, 0);
  });

  test(`a read gives exactly the first size bytes; a removal unlinks what is there (${where})`, async (t) => {
    const { queue, files } = await setUp(t, { threads });
    const packed = path.join(queue, 'p.mxmsg');
    await writeFile(packed, 'the message|its first state');
    const [whole, head, empty] = await Promise.all([files.read(packed, 27), files.read(packed, 11), files.read(packed, 0)]);
    assert.equal(whole.toString(), 'the message|its first state');
    assert.equal(head.toString(), 'the message');
    assert.equal(empty.length, 0);
    const [short, missing] = await Promise.allSettled([files.read(packed, 28), files.read(path.join(queue, 'gone.mxmsg'), 4)]);
    assert.equal(short.status === 'rejected' && (short.reason as NodeJS.ErrnoException).code, 'ESHORT');
    assert.equal(missing.status === 'rejected' && (missing.reason as NodeJS.ErrnoException).code, 'ENOENT');

    await writeFile(path.join(queue, 'q.json'), '{}');
    await files.remove([path.join(queue, 'q.json'), path.join(queue, 'never-there.eml'), packed]);
    assert.deepEqual(await readdir(queue), []);
    await assert.rejects(files.remove([queue]), (error: NodeJS.ErrnoException) => error.code === 'EISDIR' || error.code === 'EPERM');
  });

  test(`a failed job rejects with its error code and leaves nothing; the others of its batch land (${where})`, async (t) => {
    const { queue, tmp, files, job } = await setUp(t, { threads });
    const lost: Job = { ...job('lost', 'no folder to go to'), target: path.join(queue, 'missing', 'lost.mxmsg') };
    await writeFile(path.join(tmp, 'clash.incoming'), 'someone else\'s');
    const results = await Promise.allSettled([files.create(job('a', 'first')), files.create(lost), files.create(job('clash', 'x')), files.create(job('b', 'second'))]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[3]!.status, 'fulfilled');
    assert.equal(results[1]!.status === 'rejected' && (results[1].reason as NodeJS.ErrnoException).code, 'ENOENT');
    assert.equal(results[2]!.status === 'rejected' && (results[2].reason as NodeJS.ErrnoException).code, 'EEXIST');
    assert.deepEqual((await readdir(queue)).sort(), ['a.mxmsg', 'b.mxmsg']);
    // The failed job's temp file is gone; the file it clashed with is not its to remove.
    assert.deepEqual(await readdir(tmp), ['clash.incoming']);
    assert.equal(await readFile(path.join(tmp, 'clash.incoming'), 'utf8'), 'someone else\'s');
  });
}

test('when a file thread dies with jobs in hand, every job is done on the calling thread (a create from its first byte)', async (t) => {
  const { queue, tmp, logger, files, job } = await setUp(t);
  await files.create(job('warm', 'the thread is up')); // so the kill lands on a running thread
  await writeFile(path.join(queue, 'delivered.mxmsg'), 'sent and done');
  const texts = Array.from({ length: 200 }, (_, index) => `${index} `.repeat(2000));
  const written: Promise<unknown>[] = texts.map((text, index) => files.create(job(`m${index}`, text)));
  const read = files.read(path.join(queue, 'warm.mxmsg'), 8);
  written.push(files.remove([path.join(queue, 'delivered.mxmsg')]));
  await files.killThread();
  written.push(files.create(job('after', 'sent after the thread died')));
  await Promise.all(written);
  assert.equal((await read).toString(), 'the thre');
  await assert.rejects(readFile(path.join(queue, 'delivered.mxmsg')), { code: 'ENOENT' });
  for (const [index, text] of texts.entries()) assert.equal(await readFile(path.join(queue, `m${index}.mxmsg`), 'utf8'), text);
  assert.equal(await readFile(path.join(queue, 'after.mxmsg'), 'utf8'), 'sent after the thread died');
  assert.deepEqual(await readdir(tmp), []);
  assert.equal(logger.entries.filter((entry) => entry.code === 'SPOOL_FILE_THREAD_FAILED').length, 1);
});

test('close waits for the jobs in hand before stopping the threads', async (t) => {
  const { queue, files, job } = await setUp(t);
  const written = Array.from({ length: 30 }, (_, index) => files.create(job(`m${index}`, 'x'.repeat(10_000))));
  await files.close();
  assert.equal((await readdir(queue)).length, 30);
  await Promise.all(written);
});
