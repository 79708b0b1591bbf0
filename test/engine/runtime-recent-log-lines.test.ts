import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { RecentLogLines } from '../../electron/engine/runtime/recent-log-lines.js';

test('RecentLogLines passes every entry on and keeps the newest lines, oldest first', () => {
  const inner = createMemoryLogger();
  const recent = new RecentLogLines(inner, 3);
  for (const n of [1, 2, 3, 4, 5]) recent.log(n === 5 ? 'debug' : 'info', `CODE_${n}`, { n });
  assert.equal(inner.entries.length, 5);
  assert.deepEqual(recent.lines().map((line) => / (?:INFO|DEBUG) (CODE_\d)/.exec(line)?.[1]), ['CODE_3', 'CODE_4', 'CODE_5']);
  assert.match(recent.lines()[2]!, /DEBUG CODE_5 n=5$/);
  assert.deepEqual(new RecentLogLines(inner, 3).lines(), []);
});
