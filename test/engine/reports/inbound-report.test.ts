import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { inboundRowSchema, type InboundRecord } from '../../../electron/contract/report-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createInboundLog } from '../../../electron/engine/logs/record-logs.js';
import { inboundReport } from '../../../electron/engine/reports/inbound-report.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { inboundRecord, reportQuery } from './report-fixtures.js';

let root: string;
let log: JsonLinesLog<InboundRecord>;
const REFUSAL = '550 5.7.1 <x@elsewhere.example>: Relay access denied  ';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-inbound-'));
  log = createInboundLog(join(root, 'logs'), createMemoryLogger());
  log.append(inboundRecord('2026-11-27T08:00:00.000Z', { queueIds: ['A'] }));
  log.append(inboundRecord('2026-11-27T09:00:00.000Z', { outcome: 'refused', code: 550, response: REFUSAL, domain: null, queueIds: [], size: null }));
  log.append(inboundRecord('2026-11-27T10:00:00.000Z', { domain: 'Example.Com', queueIds: ['B'] }));
  await log.flush();
});

after(async () => {
  await log.close();
  await rm(root, { recursive: true, force: true });
});

describe('inboundReport', () => {
  it('lists sessions newest first in the zone with their offsets', async () => {
    const report = await inboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', timeZone: 'Asia/Kolkata' }));
    assert.equal(report.total, 3);
    assert.deepEqual(report.rows.map((row) => row.time), ['2026-11-27T15:30:00.000+05:30', '2026-11-27T14:30:00.000+05:30', '2026-11-27T13:30:00.000+05:30']);
    for (const row of report.rows) inboundRowSchema.strict().parse(row);
  });

  it('filters by domain (case-insensitive; a session without a domain never matches) and outcome', async () => {
    const byDomain = await inboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', domain: 'example.com' }));
    assert.deepEqual(byDomain.rows.map((row) => row.queueIds), [['B'], ['A']]);
    const refused = await inboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', outcome: 'refused' }));
    assert.equal(refused.total, 1);
    assert.equal(refused.rows[0]?.response, REFUSAL);
  });

  it('refuses an outbound outcome name', async () => {
    await assert.rejects(inboundReport(log, reportQuery({ from: '2026-11-27', to: '2026-11-27', outcome: 'delivered' })), AppError);
  });
});
