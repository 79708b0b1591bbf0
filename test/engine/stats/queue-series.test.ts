import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { queueSeriesQuerySchema, queueSeriesResultSchema, type QueueSample, type QueueSeriesQuery } from '../../../electron/contract/stats-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { createQueueSampleLog } from '../../../electron/engine/stats/queue-sample-log.js';
import { queueSeries } from '../../../electron/engine/stats/queue-series.js';
import { tempDir } from '../../support/temp-dir.js';
import { MINUTE_MS, queueSample } from './stats-fixtures.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

async function sampleLog(t: TestContext, samples: QueueSample[]) {
  const dir = join(await tempDir(t), 'logs');
  const logger = createMemoryLogger();
  const log = createQueueSampleLog(dir, logger);
  t.after(() => log.close());
  for (const sample of samples) log.append(sample);
  await log.flush();
  return { log, dir, logger };
}

function query(input: Partial<QueueSeriesQuery> & { since: string }): QueueSeriesQuery {
  return queueSeriesQuerySchema.parse(input);
}

async function series(log: JsonLinesLog<QueueSample>, input: Partial<QueueSeriesQuery> & { since: string }) {
  const result = await queueSeries(log, query(input), NOW);
  queueSeriesResultSchema.strict().parse(result);
  return result;
}

describe('stats.queueSeries', () => {
  it('returns the samples of [since, until] oldest first, with every domain seen, sorted', async (t) => {
    const { log } = await sampleLog(t, [
      queueSample('2026-11-27T09:59:00.000Z', { 'early.example': 1 }),
      queueSample('2026-11-27T10:01:00.000Z', { 'b.example': 2, 'a.example': 1 }, { 'a.example': 1 }),
      queueSample('2026-11-27T10:00:00.000Z', { 'b.example': 3 }),
      queueSample('2026-11-27T10:02:00.000Z', {}),
      queueSample('2026-11-27T10:03:00.000Z', { 'late.example': 4 }),
    ]);
    const result = await series(log, { since: '2026-11-27T10:00:00Z', until: '2026-11-27T11:02:00+01:00' });
    assert.deepEqual(result.points, [
      { time: '2026-11-27T10:00:00.000Z', total: 3, held: 0, domains: { 'b.example': 3 } },
      { time: '2026-11-27T10:01:00.000Z', total: 3, held: 1, domains: { 'b.example': 2, 'a.example': 1 } },
      { time: '2026-11-27T10:02:00.000Z', total: 0, held: 0, domains: {} },
    ]);
    assert.deepEqual(result.domains, ['a.example', 'b.example']);
  });

  it('defaults until to now, inclusive', async (t) => {
    const { log } = await sampleLog(t, [queueSample(iso(NOW - MINUTE_MS), { 'a.example': 1 }), queueSample(iso(NOW), { 'a.example': 2 }), queueSample(iso(NOW + MINUTE_MS), { 'a.example': 3 })]);
    const result = await series(log, { since: iso(NOW - 60 * MINUTE_MS) });
    assert.deepEqual(result.points.map((point) => point.total), [1, 2]);
  });

  it('narrows to one domain (any case, trailing dot): its counts become the totals, zero where it had none', async (t) => {
    const { log } = await sampleLog(t, [
      queueSample('2026-11-27T10:00:00.000Z', { 'a.example': 5, 'b.example': 7 }, { 'a.example': 2 }),
      queueSample('2026-11-27T10:01:00.000Z', { 'b.example': 7 }),
    ]);
    const result = await series(log, { since: '2026-11-27T10:00:00Z', until: '2026-11-27T10:05:00Z', domain: 'A.Example.' });
    assert.deepEqual(result.points, [
      { time: '2026-11-27T10:00:00.000Z', total: 5, held: 2, domains: { 'a.example': 5 } },
      { time: '2026-11-27T10:01:00.000Z', total: 0, held: 0, domains: {} },
    ]);
    assert.deepEqual(result.domains, ['a.example']);
    const none = await series(log, { since: '2026-11-27T10:00:00Z', until: '2026-11-27T10:05:00Z', domain: 'constructor' });
    assert.deepEqual(none.domains, []);
    assert.ok(none.points.every((point) => point.total === 0));
  });

  it('downsamples to maxPoints keeping the maximum of each bucket, so a one-minute spike stays visible', async (t) => {
    const start = Date.parse('2026-11-20T00:00:00Z');
    const samples: QueueSample[] = [];
    for (let minute = 0; minute < 600; minute++) {
      const a = minute === 125 ? 999 : 1;
      const b = minute === 130 ? 50 : 2;
      samples.push(queueSample(iso(start + minute * MINUTE_MS), { 'a.example': a, 'b.example': b }, minute === 599 ? { 'b.example': 2 } : {}));
    }
    const { log } = await sampleLog(t, samples);
    const result = await series(log, { since: iso(start), until: iso(start + 600 * MINUTE_MS), maxPoints: 10 });
    assert.equal(result.points.length, 10);
    // 600 samples in groups of 60: each point carries its group's first time.
    assert.deepEqual(
      result.points.map((point) => point.time),
      Array.from({ length: 10 }, (_, index) => iso(start + index * 60 * MINUTE_MS)),
    );
    const spike = result.points[2];
    assert.deepEqual(spike, { time: iso(start + 120 * MINUTE_MS), total: 999 + 2, held: 0, domains: { 'a.example': 999, 'b.example': 50 } }, 'each series keeps its own maximum');
    assert.deepEqual(result.points[3]?.domains, { 'a.example': 1, 'b.example': 2 });
    assert.equal(result.points[9]?.held, 2);

    const notMerged = await series(log, { since: iso(start), until: iso(start + 600 * MINUTE_MS), maxPoints: 600 });
    assert.equal(notMerged.points.length, 600);
    const odd = await series(log, { since: iso(start), until: iso(start + 600 * MINUTE_MS), maxPoints: 7 * 10 + 1 });
    assert.ok(odd.points.length <= 71 && odd.points.length > 60, `${odd.points.length} points`);
    assert.equal(Math.max(...odd.points.map((point) => point.total)), 1001);
  });

  it('answers no points and no domains when nothing was sampled (no log at all, or nothing in range)', async (t) => {
    const empty = await sampleLog(t, []);
    assert.deepEqual(await series(empty.log, { since: '2026-11-01T00:00:00Z' }), { points: [], domains: [] });
    const { log } = await sampleLog(t, [queueSample('2026-11-27T10:00:00.000Z', { 'a.example': 1 })]);
    assert.deepEqual(await series(log, { since: '2026-11-26T00:00:00Z', until: '2026-11-26T23:59:59Z' }), { points: [], domains: [] });
  });

  it('reads only the day files the range overlaps', async (t) => {
    const { log, dir, logger } = await sampleLog(t, [queueSample('2026-11-27T10:00:00.000Z', { 'a.example': 1 })]);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'queue-samples-2026-11-20.jsonl'), 'not json\n');
    const result = await series(log, { since: '2026-11-27T00:00:00Z' });
    assert.equal(result.points.length, 1);
    assert.equal(logger.entries.filter((entry) => entry.code === 'LOG_LINES_SKIPPED').length, 0, 'the damaged file of another day was not opened');
    await series(log, { since: '2026-11-20T00:00:00Z' });
    assert.equal(logger.entries.filter((entry) => entry.code === 'LOG_LINES_SKIPPED').length, 1);
  });

  it('refuses a range over 31 days and since after until with INVALID_INPUT', async (t) => {
    const { log } = await sampleLog(t, []);
    await series(log, { since: '2026-10-27T12:00:00Z', until: '2026-11-27T12:00:00Z' }); // exactly 31 days
    await assert.rejects(
      series(log, { since: '2026-10-27T11:59:59Z', until: '2026-11-27T12:00:00Z' }),
      (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT' && /31 days/.test(error.message) && error.issues?.[0]?.path === 'since',
    );
    await assert.rejects(series(log, { since: '2026-10-01T00:00:00Z' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT', 'until defaults to now');
    await assert.rejects(
      series(log, { since: '2026-11-27T12:00:01Z', until: '2026-11-27T12:00:00Z' }),
      (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT' && /after "until"/.test(error.message),
    );
  });
});
