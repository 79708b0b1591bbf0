import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { writeLinesSynced } from '../../../electron/engine/spool/durable-file.js';
import { tempDir } from '../../support/temp-dir.js';

test('writeLinesSynced: lines spread over many chunks arrive whole and in order, one per line; no temp file is left', async (t) => {
  const dir = await tempDir(t);
  const lines = Array.from({ length: 500 }, (_, index) => JSON.stringify({ index, text: 'é'.repeat(index % 7) }));
  const target = path.join(dir, 'snapshot.jsonl');
  // 64 characters per chunk: most chunks end mid-way through the lines' total, a few lines are longer than a chunk.
  await writeLinesSynced(path.join(dir, 'snapshot.tmp'), target, lines, 64);
  assert.equal(await readFile(target, 'utf8'), lines.join('\n') + '\n');
  assert.deepEqual(await readdir(dir), ['snapshot.jsonl']);

  await writeLinesSynced(path.join(dir, 'one.tmp'), path.join(dir, 'one.jsonl'), ['just one']);
  assert.equal(await readFile(path.join(dir, 'one.jsonl'), 'utf8'), 'just one\n');
});

test('writeLinesSynced: when the lines fail part-way, the file in place is untouched', async (t) => {
  const dir = await tempDir(t);
  const target = path.join(dir, 'snapshot.jsonl');
  await writeFile(target, 'the previous snapshot\n');
  function* failing(): Generator<string> {
    for (let index = 0; index < 100; index++) yield `line ${index}`;
    throw new Error('an entry could not be serialised');
  }
  await assert.rejects(writeLinesSynced(path.join(dir, 'snapshot.tmp'), target, failing(), 16), /could not be serialised/);
  assert.equal(await readFile(target, 'utf8'), 'the previous snapshot\n');
  assert.deepEqual(await readdir(dir), ['snapshot.jsonl'], 'the half-written temp file is removed');
});
