import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { topDeferralsQuerySchema, topDeferralsResultSchema, type TopDeferralsQuery } from '../../../electron/contract/stats-schema.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { topDeferrals } from '../../../electron/engine/stats/top-deferrals.js';
import { attemptRecord } from '../reports/report-fixtures.js';

const GREYLIST = '450 4.7.1 <a@example.com>: Recipient address rejected: Greylisted, see https://example.com/grey\r\n';
const MULTI_LINE = '451-4.3.0 Temporary failure.\r\n451 4.3.0 Größe ✓ try later ';

let root: string;
let log: JsonLinesLog<AttemptRecord>;

function deferred(time: string, overrides: Partial<AttemptRecord>): AttemptRecord {
  return attemptRecord(time, { outcome: 'deferred', stage: 'rcpt', ...overrides });
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'mx-spool-deferrals-'));
  log = createAttemptLog(join(root, 'logs'), createMemoryLogger());
  const greylist = { code: 450, enhancedCode: '4.7.1', response: GREYLIST };
  log.append(deferred('2026-11-27T08:00:00.000Z', { ...greylist, domain: 'b.example' }));
  log.append(deferred('2026-11-27T09:00:00.000Z', { ...greylist, domain: 'a.example' }));
  log.append(deferred('2026-11-27T07:00:00.000Z', { ...greylist, domain: 'b.example' }));
  // Same code, other text: a group of its own. Same text without the enhanced code: another one.
  log.append(deferred('2026-11-27T10:00:00.000Z', { code: 450, enhancedCode: '4.7.1', response: GREYLIST.trim() }));
  log.append(deferred('2026-11-27T10:30:00.000Z', { code: 450, enhancedCode: null, response: GREYLIST }));
  log.append(deferred('2026-11-27T11:00:00.000Z', { code: 451, enhancedCode: '4.3.0', response: MULTI_LINE }));
  log.append(deferred('2026-11-27T11:05:00.000Z', { code: 451, enhancedCode: '4.3.0', response: MULTI_LINE, domain: 'c.example' }));
  // No reply at all: the error code stands for it; a server that literally said "ETIMEDOUT" stays apart.
  log.append(deferred('2026-11-27T06:00:00.000Z', { stage: 'connect', code: null, enhancedCode: null, response: null, errorCode: 'ETIMEDOUT' }));
  log.append(deferred('2026-11-27T06:10:00.000Z', { stage: 'connect', code: null, enhancedCode: null, response: 'ETIMEDOUT', errorCode: null }));
  log.append(attemptRecord('2026-11-27T09:30:00.000Z', { outcome: 'delivered' }));
  log.append(attemptRecord('2026-11-27T09:31:00.000Z', { outcome: 'bounced', code: 550, response: '550 5.1.1 no such user' }));
  log.append(deferred('2026-11-28T00:30:00.000Z', { ...greylist, domain: 'next-day.example' }));
  await log.flush();
});

after(async () => {
  await log.close();
  await rm(root, { recursive: true, force: true });
});

async function top(input: Partial<TopDeferralsQuery> & Pick<TopDeferralsQuery, 'from' | 'to'>) {
  const result = await topDeferrals(log, topDeferralsQuerySchema.parse(input));
  topDeferralsResultSchema.strict().parse(result);
  return result.replies;
}

describe('stats.topDeferrals', () => {
  it('groups deferred attempts by code, enhanced code and exact reply; most frequent first, then most recent', async () => {
    const replies = await top({ from: '2026-11-27', to: '2026-11-27' });
    assert.deepEqual(replies, [
      { reply: GREYLIST, code: 450, enhancedCode: '4.7.1', count: 3, domains: ['a.example', 'b.example'], lastSeen: '2026-11-27T09:00:00.000Z' },
      { reply: MULTI_LINE, code: 451, enhancedCode: '4.3.0', count: 2, domains: ['c.example', 'example.com'], lastSeen: '2026-11-27T11:05:00.000Z' },
      { reply: GREYLIST, code: 450, enhancedCode: null, count: 1, domains: ['example.com'], lastSeen: '2026-11-27T10:30:00.000Z' },
      { reply: GREYLIST.trim(), code: 450, enhancedCode: '4.7.1', count: 1, domains: ['example.com'], lastSeen: '2026-11-27T10:00:00.000Z' },
      { reply: 'ETIMEDOUT', code: null, enhancedCode: null, count: 1, domains: ['example.com'], lastSeen: '2026-11-27T06:10:00.000Z' },
      { reply: 'ETIMEDOUT', code: null, enhancedCode: null, count: 1, domains: ['example.com'], lastSeen: '2026-11-27T06:00:00.000Z' },
    ]);
  });

  it('limits, filters by domain, and shows lastSeen in the zone of the window', async () => {
    assert.equal((await top({ from: '2026-11-27', to: '2026-11-27', limit: 2 })).length, 2);
    const forB = await top({ from: '2026-11-27', to: '2026-11-27', domain: 'B.example' });
    assert.deepEqual(forB.map((reply) => [reply.count, reply.domains]), [[2, ['b.example']]]);
    // In Berlin the local 2026-11-27 ends at 23:00Z: the next-day attempt at 00:30Z is not in it.
    const berlin = await top({ from: '2026-11-27', to: '2026-11-27', timeZone: 'Europe/Berlin' });
    assert.equal(berlin[0]?.lastSeen, '2026-11-27T10:00:00.000+01:00');
    assert.equal(berlin[0]?.count, 3);
    const newYork = await top({ from: '2026-11-27', to: '2026-11-27', timeZone: 'America/New_York' });
    assert.equal(newYork[0]?.count, 4, 'the 00:30Z attempt is on the 27th in New York');
  });

  it('answers no replies when nothing was deferred, and refuses more than 31 days', async () => {
    assert.deepEqual(await top({ from: '2026-11-01', to: '2026-11-26' }), []);
    await assert.rejects(top({ from: '2026-11-01', to: '2026-12-02' }), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
  });
});
