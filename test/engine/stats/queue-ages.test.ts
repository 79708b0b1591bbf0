import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueAgesResultSchema } from '../../../electron/contract/stats-schema.js';
import { ageBucket, queueAges } from '../../../electron/engine/stats/queue-ages.js';
import { MINUTE_MS, queueEntry } from './stats-fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

describe('stats.queueAges', () => {
  it('puts an age in the first bucket whose upper bound (inclusive) is not below it', () => {
    assert.equal(ageBucket(0), 0);
    assert.equal(ageBucket(-MINUTE_MS), 0, 'clock set back: counts as new');
    assert.equal(ageBucket(5 * MINUTE_MS), 0);
    assert.equal(ageBucket(5 * MINUTE_MS + 1), 1);
    assert.equal(ageBucket(10 * MINUTE_MS), 1);
    assert.equal(ageBucket(640 * MINUTE_MS + 1), 8);
    assert.equal(ageBucket(1280 * MINUTE_MS), 8);
    assert.equal(ageBucket(1280 * MINUTE_MS + 1), 9, 'older than 1280 minutes');
    assert.equal(ageBucket(30 * 24 * 60 * MINUTE_MS), 9);
  });

  it('counts per domain and in total, held messages included and counted again in held, busiest domain first', () => {
    const result = queueAges(
      [
        queueEntry('1', 'small.example', ago(2 * MINUTE_MS)),
        queueEntry('2', 'big.example', ago(2 * MINUTE_MS)),
        queueEntry('3', 'big.example', ago(30 * MINUTE_MS), 'held'),
        queueEntry('4', 'big.example', ago(2 * 24 * 60 * MINUTE_MS), 'delivering'),
        queueEntry('5', 'also-small.example', ago(300 * MINUTE_MS)),
      ],
      NOW,
    );
    queueAgesResultSchema.strict().parse(result);
    assert.deepEqual(result.bucketMinutes, [5, 10, 20, 40, 80, 160, 320, 640, 1280]);
    assert.deepEqual(result.domains, [
      { domain: 'big.example', total: 3, held: 1, counts: [1, 0, 0, 1, 0, 0, 0, 0, 0, 1] },
      { domain: 'also-small.example', total: 1, held: 0, counts: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0] },
      { domain: 'small.example', total: 1, held: 0, counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
    assert.deepEqual(result.totals, [2, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('answers zero totals and no domains for an empty queue', () => {
    const result = queueAges([], NOW);
    assert.deepEqual(result, { bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280], domains: [], totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  // Its speed at this size is measured by the scale benchmark (npm run bench, stats calls), not asserted here.
  it('counts 100,000 queued messages over 50 domains', () => {
    const entries = Array.from({ length: 100_000 }, (_, index) => queueEntry(String(index), `d${index % 50}.example`, ago((index % 2000) * MINUTE_MS)));
    const result = queueAges(entries, NOW);
    assert.equal(result.totals.reduce((a, b) => a + b, 0), 100_000);
    assert.equal(result.domains.length, 50);
  });
});
