import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { AppError } from '../../../electron/contract/app-error.js';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { outcomesByHourQuerySchema, outcomesByHourResultSchema, type OutcomesByHourQuery } from '../../../electron/contract/stats-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { localHourStarts } from '../../../electron/engine/stats/local-hours.js';
import { outcomesByHour } from '../../../electron/engine/stats/outcomes-by-hour.js';
import { statsWindow } from '../../../electron/engine/stats/stats-window.js';
import { attemptRecord } from '../reports/report-fixtures.js';

let root: string;
let log: JsonLinesLog<AttemptRecord>;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-outcomes-'));
  log = createAttemptLog(join(root, 'logs'), createMemoryLogger());
  log.append(attemptRecord('2026-10-24T21:59:59.999Z', { queueId: 'day-before' }));
  log.append(attemptRecord('2026-10-24T22:00:00.000Z', { queueId: 'first-hour' }));
  // 00:30Z and 01:30Z are both 02:30 local: the first 02:00 hour (+02:00) and the repeated one (+01:00).
  log.append(attemptRecord('2026-10-25T00:30:00.000Z', { outcome: 'deferred', domain: 'Example.COM' }));
  log.append(attemptRecord('2026-10-25T00:45:00.000Z', { outcome: 'deferred' }));
  log.append(attemptRecord('2026-10-25T01:30:00.000Z', { outcome: 'bounced', domain: 'other.example' }));
  log.append(attemptRecord('2026-10-25T22:59:59.999Z', { queueId: 'last-hour' }));
  log.append(attemptRecord('2026-10-25T23:00:00.000Z', { queueId: 'day-after' }));
  await log.flush();
});

after(async () => {
  await log.close();
  await rm(root, { recursive: true, force: true });
});

async function hours(input: Partial<OutcomesByHourQuery> & Pick<OutcomesByHourQuery, 'from' | 'to'>) {
  const result = await outcomesByHour(log, outcomesByHourQuerySchema.parse(input));
  outcomesByHourResultSchema.strict().parse(result);
  return result.hours;
}

describe('stats.outcomesByHour', () => {
  it('lists the 25 hours of the Berlin autumn change day, zero-filled, the repeated 02:00 hour twice with its offsets', async () => {
    const result = await hours({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Berlin' });
    assert.equal(result.length, 25);
    assert.deepEqual(result.slice(0, 5), [
      { hour: '2026-10-25T00:00:00.000+02:00', delivered: 1, deferred: 0, bounced: 0 },
      { hour: '2026-10-25T01:00:00.000+02:00', delivered: 0, deferred: 0, bounced: 0 },
      { hour: '2026-10-25T02:00:00.000+02:00', delivered: 0, deferred: 2, bounced: 0 },
      { hour: '2026-10-25T02:00:00.000+01:00', delivered: 0, deferred: 0, bounced: 1 },
      { hour: '2026-10-25T03:00:00.000+01:00', delivered: 0, deferred: 0, bounced: 0 },
    ]);
    assert.deepEqual(result[24], { hour: '2026-10-25T23:00:00.000+01:00', delivered: 1, deferred: 0, bounced: 0 });
    const sum = result.reduce((total, row) => total + row.delivered + row.deferred + row.bounced, 0);
    assert.equal(sum, 5, 'the attempts just outside the local day are not counted');
  });

  it('has 23 hours on the spring change day, 24 in UTC, and hours starting at :30 in Kolkata', async () => {
    const spring = await hours({ from: '2026-03-29', to: '2026-03-29', timeZone: 'Europe/Berlin' });
    assert.equal(spring.length, 23);
    assert.deepEqual(spring.slice(1, 3).map((row) => row.hour), ['2026-03-29T01:00:00.000+01:00', '2026-03-29T03:00:00.000+02:00']);
    const utc = await hours({ from: '2026-10-25', to: '2026-10-25' });
    assert.equal(utc.length, 24);
    assert.equal(utc[0]?.hour, '2026-10-25T00:00:00.000Z');
    assert.deepEqual(utc[0], { hour: '2026-10-25T00:00:00.000Z', delivered: 0, deferred: 2, bounced: 0 });
    const kolkata = await hours({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Asia/Kolkata' });
    assert.equal(kolkata.length, 24);
    assert.equal(new Date(Date.parse(kolkata[0]?.hour ?? '')).toISOString(), '2026-10-24T18:30:00.000Z');
  });

  it('zero-fills a range without any attempt', async () => {
    const result = await hours({ from: '2026-01-01', to: '2026-01-02', timeZone: 'America/New_York' });
    assert.equal(result.length, 48);
    assert.ok(result.every((row) => row.delivered === 0 && row.deferred === 0 && row.bounced === 0));
  });

  it('filters by domain without regard to case', async () => {
    const result = await hours({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Berlin', domain: 'EXAMPLE.com' });
    assert.deepEqual(result[2], { hour: '2026-10-25T02:00:00.000+02:00', delivered: 0, deferred: 2, bounced: 0 });
    assert.equal(result[3]?.bounced, 0);
  });

  it('accepts 31 days and refuses 32 with INVALID_INPUT; bad dates and zones as the reports do', async () => {
    assert.equal((await hours({ from: '2026-01-01', to: '2026-01-31' })).length, 31 * 24);
    await assert.rejects(hours({ from: '2026-01-01', to: '2026-02-01' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT' && /32 days/.test(error.message));
    await assert.rejects(hours({ from: '2026-01-02', to: '2026-01-01' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
    await assert.rejects(hours({ from: '2026-01-01', to: '2026-01-01', timeZone: 'Mars/Olympus' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
  });

  it('finds the hours of a 30-minute DST shift (Lord Howe Island)', () => {
    // 2026-10-04 02:00 +10:30 becomes 02:30 +11:00: hour 02 exists only from 02:30.
    const window = statsWindow({ from: '2026-10-04', to: '2026-10-04', timeZone: 'Australia/Lord_Howe' });
    const starts = localHourStarts(window);
    assert.equal(starts.length, 24);
    assert.equal(new Date(starts[2] ?? 0).toISOString(), '2026-10-03T15:30:00.000Z');
    assert.equal(new Date(starts[3] ?? 0).toISOString(), '2026-10-03T16:00:00.000Z');
  });
});
