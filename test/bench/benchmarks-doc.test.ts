import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/temp-dir.js';
import { median, spread } from './bench-stats.js';
import { END_MARKER, START_MARKER, updateBenchmarksDoc } from './benchmarks-doc.js';

test('median of odd and even counts; spread gives median, min and max', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual(spread([5, 1, 3]), { median: 3, min: 1, max: 5 });
  assert.throws(() => median([]));
});

test('the generated section is replaced between the markers; hand-written text around it is kept', async (t) => {
  const file = path.join(await tempDir(t), 'benchmarks.md');
  await writeFile(file, `# Intro\n\nhand-written\n\n${START_MARKER}\nold figures\n${END_MARKER}\n\n## After\n`);
  await updateBenchmarksDoc(file, `${START_MARKER}\nnew figures\n${END_MARKER}`);
  assert.equal(await readFile(file, 'utf8'), `# Intro\n\nhand-written\n\n${START_MARKER}\nnew figures\n${END_MARKER}\n\n## After\n`);
});

test('a file without markers gets the section appended; a missing file is created', async (t) => {
  const dir = await tempDir(t);
  const existing = path.join(dir, 'existing.md');
  await writeFile(existing, '# Benchmarks\n\nintro\n');
  await updateBenchmarksDoc(existing, `${START_MARKER}\nx\n${END_MARKER}`);
  assert.equal(await readFile(existing, 'utf8'), `# Benchmarks\n\nintro\n\n${START_MARKER}\nx\n${END_MARKER}\n`);

  const missing = path.join(dir, 'missing.md');
  await updateBenchmarksDoc(missing, `${START_MARKER}\ny\n${END_MARKER}`);
  const created = await readFile(missing, 'utf8');
  assert.match(created, /^# Benchmarks\n/);
  assert.ok(created.endsWith(`${START_MARKER}\ny\n${END_MARKER}\n`));
});
