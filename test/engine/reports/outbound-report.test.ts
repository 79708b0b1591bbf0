import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { outboundRowSchema, type AttemptRecord } from '../../../electron/contract/report-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { outboundReport } from '../../../electron/engine/reports/outbound-report.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { attemptRecord, reportQuery } from './report-fixtures.js';

let root: string;
let log: JsonLinesLog<AttemptRecord>;

const MULTI_LINE_REPLY = '450-4.2.1 The user you are trying to contact is receiving mail too quickly.\r\n450-4.2.1  Please resend later.  \r\n450 4.2.1 Größe ✓ ';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-outbound-'));
  log = createAttemptLog(join(root, 'logs'), createMemoryLogger());
  // Around the Berlin autumn change: 00:30Z and 01:30Z are both 02:30 local time.
  log.append(attemptRecord('2026-10-24T21:59:59.999Z', { queueId: 'before-berlin-day' }));
  log.append(attemptRecord('2026-10-24T22:00:00.000Z', { queueId: 'berlin-first' }));
  log.append(attemptRecord('2026-10-25T00:30:00.000Z', { queueId: 'first-0230', domain: 'Example.COM' }));
  log.append(attemptRecord('2026-10-25T01:30:00.000Z', { queueId: 'second-0230', outcome: 'deferred', code: 450, enhancedCode: '4.2.1', response: MULTI_LINE_REPLY }));
  log.append(attemptRecord('2026-10-25T22:59:59.999Z', { queueId: 'berlin-last', domain: 'other.example' }));
  log.append(attemptRecord('2026-10-25T23:00:00.000Z', { queueId: 'after-berlin-day' }));
  log.append(attemptRecord('2026-11-27T09:15:00.000Z', { queueId: 'november', outcome: 'bounced', code: 550, response: '550 5.1.1 <alice@example.com>: Recipient address rejected' }));
  await log.flush();
});

after(async () => {
  await log.close();
  await rm(root, { recursive: true, force: true });
});

describe('outboundReport', () => {
  it('covers the 25-hour Berlin change day exactly, newest first, times with their offsets', async () => {
    const report = await outboundReport(log, reportQuery({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Berlin' }));
    assert.equal(report.total, 4);
    assert.deepEqual(
      report.rows.map((row) => [row.queueId, row.time]),
      [
        ['berlin-last', '2026-10-25T23:59:59.999+01:00'],
        ['second-0230', '2026-10-25T02:30:00.000+01:00'],
        ['first-0230', '2026-10-25T02:30:00.000+02:00'],
        ['berlin-first', '2026-10-25T00:00:00.000+02:00'],
      ],
    );
    for (const row of report.rows) outboundRowSchema.strict().parse(row);
  });

  it('renders the same instants in New York and Kolkata', async () => {
    const newYork = await outboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', timeZone: 'America/New_York' }));
    assert.deepEqual(newYork.rows.map((row) => row.time), ['2026-11-27T04:15:00.000-05:00']);
    const kolkata = await outboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', timeZone: 'Asia/Kolkata' }));
    assert.deepEqual(kolkata.rows.map((row) => row.time), ['2026-11-27T14:45:00.000+05:30']);
  });

  it('filters by domain without regard to case, and by outcome', async () => {
    const byDomain = await outboundReport(log, reportQuery({ from: '2026-10-01', to: '2026-11-30', domain: 'EXAMPLE.com' }));
    assert.equal(byDomain.total, 6);
    assert.ok(byDomain.rows.every((row) => row.domain.toLowerCase() === 'example.com'));
    const deferred = await outboundReport(log, reportQuery({ from: '2026-10-01', to: '2026-11-30', outcome: 'deferred' }));
    assert.deepEqual(deferred.rows.map((row) => row.queueId), ['second-0230']);
    const bouncedOther = await outboundReport(log, reportQuery({ from: '2026-10-01', to: '2026-11-30', outcome: 'bounced', domain: 'other.example' }));
    assert.equal(bouncedOther.total, 0);
  });

  it('returns the server reply exactly as recorded', async () => {
    const report = await outboundReport(log, reportQuery({ from: '2026-10-25', to: '2026-10-25', outcome: 'deferred' }));
    assert.equal(report.rows[0]?.response, MULTI_LINE_REPLY);
  });

  it('pages with offset and limit and keeps the exact total', async () => {
    const query = { from: '2026-10-01', to: '2026-11-30' };
    const all = await outboundReport(log, reportQuery(query));
    assert.equal(all.total, 7);
    const page = await outboundReport(log, reportQuery({ ...query, offset: 2, limit: 3 }));
    assert.equal(page.total, 7);
    assert.deepEqual(page.rows.map((row) => row.queueId), all.rows.slice(2, 5).map((row) => row.queueId));
    const beyond = await outboundReport(log, reportQuery({ ...query, offset: 50, limit: 3 }));
    assert.deepEqual([beyond.total, beyond.rows.length], [7, 0]);
  });

  it('refuses an unknown time zone, from after to, and an unknown outcome', async () => {
    const invalid = (error: unknown): boolean => error instanceof AppError && error.code === 'INVALID_INPUT';
    await assert.rejects(outboundReport(log, reportQuery({ from: '2026-10-25', to: '2026-10-25', timeZone: 'Europe/Berln' })), (error: unknown) => invalid(error) && /Europe\/Berln/.test((error as Error).message));
    await assert.rejects(outboundReport(log, reportQuery({ from: '2026-10-26', to: '2026-10-25' })), invalid);
    await assert.rejects(outboundReport(log, reportQuery({ from: '2026-10-25', to: '2026-10-25', outcome: 'accepted' })), invalid);
  });
});
