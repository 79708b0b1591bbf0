import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { CommitThread, type CommitJob } from '../../../electron/engine/spool/commit-thread.js';
import { DirectorySyncer } from '../../../electron/engine/spool/durable-file.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { tempDir } from '../../support/temp-dir.js';

async function setUp(t: Parameters<typeof tempDir>[0], options: { thread?: boolean } = {}) {
  const dir = await tempDir(t);
  const queue = path.join(dir, 'queue');
  const tmp = path.join(dir, 'tmp');
  await mkdir(queue);
  await mkdir(tmp);
  const logger = createMemoryLogger();
  const commits = new CommitThread(queue, new DirectorySyncer(queue), logger, options);
  t.after(() => commits.close());
  const job = (name: string, text: string): CommitJob => ({ tmpPath: path.join(tmp, `${name}.incoming`), target: path.join(queue, `${name}.mxmsg`), chunks: [Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))] });
  return { queue, tmp, logger, commits, job };
}

for (const thread of [true, false]) {
  test(`every job's bytes land at its target and no temp file stays (${thread ? 'on the commit thread' : 'on the calling thread'})`, async (t) => {
    const { queue, tmp, commits, job } = await setUp(t, { thread });
    const texts = Array.from({ length: 60 }, (_, index) => `message ${index}\r\n`.repeat(index + 1));
    await Promise.all(texts.map((text, index) => commits.write(job(`m${index}`, text))));
    for (const [index, text] of texts.entries()) assert.equal(await readFile(path.join(queue, `m${index}.mxmsg`), 'utf8'), text);
    assert.deepEqual(await readdir(tmp), []);
    if (thread) assert.ok(commits.batchCount >= 1 && commits.batchCount < texts.length, `${commits.batchCount} batches for ${texts.length} jobs: jobs arriving together share one`);
    else assert.equal(commits.batchCount, 0);
  });

  test(`a failed job rejects with its error code and leaves nothing; the others of its batch land (${thread ? 'commit thread' : 'calling thread'})`, async (t) => {
    const { queue, tmp, commits, job } = await setUp(t, { thread });
    const lost: CommitJob = { ...job('lost', 'no folder to go to'), target: path.join(queue, 'missing', 'lost.mxmsg') };
    await writeFile(path.join(tmp, 'clash.incoming'), 'someone else\'s');
    const results = await Promise.allSettled([commits.write(job('a', 'first')), commits.write(lost), commits.write(job('clash', 'x')), commits.write(job('b', 'second'))]);
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

test('when the commit thread dies with jobs in hand, every job is done on the calling thread from its first byte', async (t) => {
  const { queue, tmp, logger, commits, job } = await setUp(t);
  await commits.write(job('warm', 'the thread is up')); // so the kill lands on a running thread
  const texts = Array.from({ length: 200 }, (_, index) => `${index} `.repeat(2000));
  const written = texts.map((text, index) => commits.write(job(`m${index}`, text)));
  await commits.killThread();
  written.push(commits.write(job('after', 'sent after the thread died')));
  await Promise.all(written);
  for (const [index, text] of texts.entries()) assert.equal(await readFile(path.join(queue, `m${index}.mxmsg`), 'utf8'), text);
  assert.equal(await readFile(path.join(queue, 'after.mxmsg'), 'utf8'), 'sent after the thread died');
  assert.deepEqual(await readdir(tmp), []);
  assert.equal(logger.entries.filter((entry) => entry.code === 'SPOOL_COMMIT_THREAD_FAILED').length, 1);
});

test('close waits for the jobs in hand before stopping the thread', async (t) => {
  const { queue, commits, job } = await setUp(t);
  const written = Array.from({ length: 30 }, (_, index) => commits.write(job(`m${index}`, 'x'.repeat(10_000))));
  await commits.close();
  assert.equal((await readdir(queue)).length, 30);
  await Promise.all(written);
});
