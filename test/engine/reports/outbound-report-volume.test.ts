import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AttemptOutcome, AttemptRecord } from '../../../electron/contract/report-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { outboundReport } from '../../../electron/engine/reports/outbound-report.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { attemptRecord, reportQuery } from './report-fixtures.js';

const RECORDS = 100_000;
const DAYS = 40;
const BASE_MS = Date.parse('2026-10-10T00:00:00Z');
/** 40 days / 100,000 records: every record gets its own instant, so the expected order is unambiguous. */
const STEP_MS = (DAYS * 86_400_000) / RECORDS;
const OUTCOMES: AttemptOutcome[] = ['delivered', 'deferred', 'bounced'];

let root: string;
let log: JsonLinesLog<AttemptRecord>;
const timesMs: number[] = [];

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-volume-'));
  log = createAttemptLog(join(root, 'logs'), createMemoryLogger());
  // Append out of time order within each block of 1,000 (attempts are logged when they end, not when
  // they start), so the report has to sort rather than trust the file order.
  for (let block = 0; block < RECORDS; block += 1000) {
    for (let i = 999; i >= 0; i--) {
      const n = block + ((i * 7919) % 1000);
      const timeMs = BASE_MS + n * STEP_MS;
      timesMs[n] = timeMs;
      log.append(attemptRecord(new Date(timeMs).toISOString(), { queueId: `Q${n}`, domain: n % 4 === 0 ? 'B.example' : 'a.example', outcome: OUTCOMES[n % 3] ?? 'delivered' }));
    }
  }
  await log.flush();
});

after(async () => {
  await log.close();
  await rm(root, { recursive: true, force: true });
});

/** The reference: every record index in the window, newest first. */
function expectedIndexes(startMs: number, endMs: number, keep: (n: number) => boolean = () => true): number[] {
  const indexes: number[] = [];
  for (let n = RECORDS - 1; n >= 0; n--) {
    const timeMs = timesMs[n] ?? Number.NaN;
    if (timeMs >= startMs && timeMs < endMs && keep(n)) indexes.push(n);
  }
  return indexes;
}

describe('outboundReport over 100,000 records in 40 day files', () => {
  it('spreads the records over 40 UTC day files', async () => {
    assert.equal((await readdir(join(root, 'logs'))).length, DAYS);
  });

  // 2026-10-15 .. 2026-11-13 in Berlin: 30 local days across the 25-hour change day 2026-10-25.
  const startMs = Date.parse('2026-10-14T22:00:00Z');
  const endMs = Date.parse('2026-11-13T23:00:00Z');
  const query = { from: '2026-10-15', to: '2026-11-13', timeZone: 'Europe/Berlin' };

  it('returns the first page of a 30-day range with the exact total, newest first', async () => {
    const expected = expectedIndexes(startMs, endMs);
    const report = await outboundReport(log, reportQuery({ ...query, limit: 100 }));
    assert.equal(report.total, expected.length);
    assert.deepEqual(report.rows.map((row) => row.queueId), expected.slice(0, 100).map((n) => `Q${n}`));
    assert.equal(report.rows[0]?.time.endsWith('+01:00'), true);
  });

  it('returns a page deep in the range, across a day boundary, in the same order', async () => {
    const expected = expectedIndexes(startMs, endMs);
    const offset = 40_123;
    const report = await outboundReport(log, reportQuery({ ...query, offset, limit: 5000 }));
    assert.equal(report.total, expected.length);
    assert.deepEqual(report.rows.map((row) => row.queueId), expected.slice(offset, offset + 5000).map((n) => `Q${n}`));
    const rowTimes = report.rows.map((row) => Date.parse(row.time));
    assert.ok(rowTimes.every((time, i) => i === 0 || time < (rowTimes[i - 1] ?? Number.POSITIVE_INFINITY)));
  });

  it('counts a filtered 30-day range exactly', async () => {
    const keep = (n: number): boolean => n % 4 === 0 && n % 3 === 2;
    const expected = expectedIndexes(startMs, endMs, keep);
    const report = await outboundReport(log, reportQuery({ ...query, domain: 'b.EXAMPLE', outcome: 'bounced', offset: 10, limit: 20 }));
    assert.equal(report.total, expected.length);
    assert.deepEqual(report.rows.map((row) => row.queueId), expected.slice(10, 30).map((n) => `Q${n}`));
  });
});
