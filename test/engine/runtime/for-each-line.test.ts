import assert from 'node:assert/strict';
import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { forEachLine, forEachLineContaining } from '../../../electron/engine/runtime/for-each-line.js';
import { seeded } from '../../support/seeded-random.js';
import { tempDir } from '../../support/temp-dir.js';

/** Lines of 0 to 200 bytes, some far longer than the small chunks below, a few holding the needle. */
function randomLines(count: number): string[] {
  const random = seeded(12);
  return Array.from({ length: count }, (_, index) => {
    const length = random() < 0.05 ? 150 + Math.floor(random() * 50) : Math.floor(random() * 40);
    const body = Array.from({ length }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    return random() < 0.1 ? `${index} "queueId":"x" ${body}` : `${index} ${body}`;
  });
}

/** What forEachLine must find: each complete line of text[start, end) with its offset, by plain splitting. */
function expectedLines(text: string, start: number, end: number): { line: string; offset: number }[] {
  const out: { line: string; offset: number }[] = [];
  let lineStart = start;
  for (let newline = text.indexOf('\n', start); newline !== -1 && newline < end; newline = text.indexOf('\n', lineStart)) {
    out.push({ line: text.slice(lineStart, newline), offset: lineStart });
    lineStart = newline + 1;
  }
  return out;
}

test('forEachLine and forEachLineContaining give every (matching) complete line with its offset, whatever the chunk size', async (t) => {
  const file = path.join(await tempDir(t), 'day.jsonl');
  const text = randomLines(400).join('\n') + '\nan unfinished last line';
  await writeFile(file, text); // ASCII: string offsets are byte offsets
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  const needle = Buffer.from('"queueId":"x"');
  for (const chunkBytes of [1, 7, 64, 150, 4096, 1024 * 1024]) {
    for (const [start, end] of [[0, text.length], [0, 1000], [text.indexOf('\n', 500) + 1, text.length - 10]] as const) {
      const lines: { line: string; offset: number }[] = [];
      const stop = await forEachLine(handle, start, end, (line, offset) => lines.push({ line: line.toString(), offset }), chunkBytes);
      const expected = expectedLines(text, start, end);
      assert.deepEqual(lines, expected, `forEachLine, chunks of ${chunkBytes}, [${start}, ${end})`);
      const last = expected.at(-1);
      assert.equal(stop, last ? last.offset + last.line.length + 1 : start, 'returns the byte after the last complete line');

      const hits: { line: string; offset: number }[] = [];
      await forEachLineContaining(handle, start, end, needle, (line, offset) => hits.push({ line: line.toString(), offset }), chunkBytes);
      assert.deepEqual(hits, expected.filter(({ line }) => line.includes('"queueId":"x"')), `forEachLineContaining, chunks of ${chunkBytes}`);
    }
  }
});

test('forEachLineContaining refuses an empty needle or one with a line break', async (t) => {
  const file = path.join(await tempDir(t), 'day.jsonl');
  await writeFile(file, 'a\n');
  const handle = await open(file, 'r');
  t.after(() => handle.close());
  assert.throws(() => forEachLineContaining(handle, 0, 2, Buffer.alloc(0), () => undefined), /one non-empty line/);
  assert.throws(() => forEachLineContaining(handle, 0, 2, Buffer.from('a\nb'), () => undefined), /one non-empty line/);
});
