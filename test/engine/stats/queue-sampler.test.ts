import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { QueueSample } from '../../../electron/contract/stats-schema.js';
import type { Engine } from '../../../electron/engine/engine.js';
import type { EntryMeta } from '../../../electron/engine/spool/spool-store.js';
import { countQueue } from '../../../electron/engine/stats/count-queue.js';
import { QUEUE_SAMPLE_INTERVAL_MS, QueueSampler } from '../../../electron/engine/stats/queue-sampler.js';
import { startEngine } from '../../support/engine-harness.js';
import { FakeClock } from '../../support/fake-clock.js';
import { MINUTE_MS, queueEntry } from './stats-fixtures.js';

const START = Date.parse('2026-11-27T09:00:00Z');
const FAR_FUTURE = Date.parse('2099-01-01T00:00:00Z');

const meta: EntryMeta = {
  from: 'sender@example.net',
  kind: 'inbound',
  messageId: null,
  subject: 'stats',
  clientAddress: '127.0.0.1',
  heloName: 'client.example.net',
  expiresAtMs: FAR_FUTURE,
};

/** Spools a message that the runner leaves alone (first attempt far in the future, or held). */
async function spoolMessage(engine: Engine, domain: string, held = false): Promise<void> {
  await engine.spool.enqueueGenerated(Buffer.from('Subject: stats\r\n\r\nx\r\n'), { domain, recipients: [`user@${domain}`], held, firstAttemptAtMs: FAR_FUTURE }, meta);
}

async function start(t: TestContext) {
  return startEngine(t, { clock: new FakeClock(START) });
}

describe('queue sampling', () => {
  it('counts every entry once per domain, held ones also on their own', () => {
    const sample = countQueue(
      [queueEntry('1', 'a.example', '2026-11-27T08:00:00Z'), queueEntry('2', 'a.example', '2026-11-27T08:00:00Z', 'held'), queueEntry('3', '__proto__', '2026-11-27T08:00:00Z')],
      START,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(sample)), {
      time: '2026-11-27T09:00:00.000Z',
      total: 3,
      held: 1,
      // fromEntries: in an object literal, "__proto__" would set the prototype instead of a key.
      domains: Object.fromEntries([['a.example', 2], ['__proto__', 1]]),
      heldDomains: { 'a.example': 1 },
    });
  });

  it('samples at start and then every 60 s on the injected clock, and not after stop', () => {
    const clock = new FakeClock(START);
    const samples: QueueSample[] = [];
    const entries = [queueEntry('1', 'a.example', '2026-11-27T08:00:00Z')];
    const sampler = new QueueSampler({ spool: { all: () => entries.values() }, append: (sample) => samples.push(sample), clock });
    sampler.start();
    sampler.start(); // a second start does not double the schedule
    assert.equal(samples.length, 1);
    clock.advance(QUEUE_SAMPLE_INTERVAL_MS - 1);
    assert.equal(samples.length, 1);
    clock.advance(1);
    entries.push(queueEntry('2', 'b.example', '2026-11-27T09:00:00Z'));
    clock.advance(2 * QUEUE_SAMPLE_INTERVAL_MS);
    assert.deepEqual(
      samples.map((sample) => [sample.time, sample.total]),
      [
        ['2026-11-27T09:00:00.000Z', 1],
        ['2026-11-27T09:01:00.000Z', 1],
        ['2026-11-27T09:02:00.000Z', 2],
        ['2026-11-27T09:03:00.000Z', 2],
      ],
    );
    sampler.stop();
    clock.advance(10 * QUEUE_SAMPLE_INTERVAL_MS);
    assert.equal(samples.length, 4);
  });

  it('the engine writes a sample at start and one a minute to logs/queue-samples-YYYY-MM-DD.jsonl', async (t) => {
    const h = await start(t);
    await spoolMessage(h.engine, 'a.example');
    await spoolMessage(h.engine, 'a.example', true);
    await spoolMessage(h.engine, 'b.example');
    h.clock.advance(MINUTE_MS);
    h.clock.advance(MINUTE_MS);
    const series = await h.call('stats.queueSeries', { since: '2026-11-27T08:00:00Z' });
    assert.deepEqual(series.points, [
      { time: '2026-11-27T09:00:00.000Z', total: 0, held: 0, domains: {} },
      { time: '2026-11-27T09:01:00.000Z', total: 3, held: 1, domains: { 'a.example': 2, 'b.example': 1 } },
      { time: '2026-11-27T09:02:00.000Z', total: 3, held: 1, domains: { 'a.example': 2, 'b.example': 1 } },
    ]);
    assert.deepEqual(series.domains, ['a.example', 'b.example']);
    await h.stop();
    const file = await readFile(path.join(h.dataDir, 'logs', 'queue-samples-2026-11-27.jsonl'), 'utf8');
    assert.equal(file.trim().split('\n').length, 3);
  });

  it('the series survives a restart, which adds its own sample at start', async (t) => {
    const h = await start(t);
    await spoolMessage(h.engine, 'a.example');
    h.clock.advance(MINUTE_MS);
    await h.stop();
    h.clock.advance(30 * MINUTE_MS); // the engine is off meanwhile: no samples, a gap in the chart
    const restarted = await h.restart();
    restarted.clock.advance(MINUTE_MS);
    const series = await restarted.call('stats.queueSeries', { since: '2026-11-27T09:00:00Z', domain: 'a.example' });
    assert.deepEqual(
      series.points.map((point) => [point.time, point.total]),
      [
        ['2026-11-27T09:00:00.000Z', 0],
        ['2026-11-27T09:01:00.000Z', 1],
        ['2026-11-27T09:31:00.000Z', 1],
        ['2026-11-27T09:32:00.000Z', 1],
      ],
    );
  });
});
