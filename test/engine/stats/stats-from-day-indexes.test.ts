import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { outcomesByHourQuerySchema, topDeferralsQuerySchema } from '../../../electron/contract/stats-schema.js';
import { MAX_GROUPS_PER_DAY } from '../../../electron/engine/logs/day-index.js';
import type { JsonLinesLog } from '../../../electron/engine/logs/json-lines-log.js';
import { createAttemptLog } from '../../../electron/engine/logs/record-logs.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import type { AttemptSource } from '../../../electron/engine/stats/attempt-days.js';
import { outcomesByHour } from '../../../electron/engine/stats/outcomes-by-hour.js';
import { topDeferrals } from '../../../electron/engine/stats/top-deferrals.js';
import { onCleanup } from '../../support/cleanup.js';
import { tempDir } from '../../support/temp-dir.js';
import { attemptRecord } from '../reports/report-fixtures.js';

const HOUR = 3_600_000;
const DAYS = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const DOMAINS = ['example.com', 'Example.COM', 'branch.example', 'shop.example'];
const REPLIES: Partial<AttemptRecord>[] = [
  { code: 450, enhancedCode: '4.7.1', response: '450 4.7.1 Greylisted, try again later' },
  { code: 450, enhancedCode: null, response: '450 4.7.1 Greylisted, try again later' },
  { code: 421, enhancedCode: '4.7.0', response: '421 4.7.0 Too many connections from 192.0.2.7' },
  { code: null, enhancedCode: null, response: null, errorCode: 'ETIMEDOUT' },
  { code: null, enhancedCode: null, response: 'ETIMEDOUT', errorCode: null },
  { code: 451, enhancedCode: '4.3.0', response: '451-4.3.0 Temporary failure.\r\n451 4.3.0 Größe ✓ try later ' },
];

/** Deterministic pseudo-random numbers (the same records every run). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** 600 attempts a day over DAYS, at random times, domains (mixed case), outcomes and deferral replies. */
async function busyLog(t: TestContext, extra: (log: JsonLinesLog<AttemptRecord>) => void = () => undefined): Promise<{ log: JsonLinesLog<AttemptRecord>; dir: string }> {
  const dir = join(await tempDir(t), 'logs');
  const log = createAttemptLog(dir, createMemoryLogger());
  onCleanup(t, () => log.close());
  const random = seeded(42);
  for (const day of DAYS) {
    for (let index = 0; index < 600; index++) {
      const time = new Date(Date.parse(`${day}T00:00:00.000Z`) + Math.floor(random() * 24 * HOUR)).toISOString();
      const roll = random();
      const outcome: AttemptRecord['outcome'] = roll < 0.6 ? 'deferred' : roll < 0.9 ? 'delivered' : 'bounced';
      const domain = DOMAINS[Math.floor(random() * DOMAINS.length)]!;
      const reply = outcome === 'deferred' ? REPLIES[Math.floor(random() * REPLIES.length)]! : {};
      log.append(attemptRecord(time, { outcome, domain, ...(outcome === 'bounced' ? { code: 550, response: '550 5.1.1 no such user' } : {}), ...reply }));
    }
  }
  extra(log);
  await log.flush();
  return { log, dir };
}

/** The same log read line by line, as when no day index can serve. */
function withoutIndexes(log: JsonLinesLog<AttemptRecord>): AttemptSource {
  return { listDays: (start, end) => log.listDays(start, end), readDay: (day, options) => log.readDay(day, options), dayIndex: async () => null };
}

const QUERIES = [
  { from: '2026-11-24', to: '2026-11-27', timeZone: 'UTC' },
  { from: '2026-11-25', to: '2026-11-26', timeZone: 'America/New_York' },
  // +05:45: local hours and days start at a quarter past in UTC, inside the UTC day files.
  { from: '2026-11-25', to: '2026-11-27', timeZone: 'Asia/Kathmandu', domain: 'EXAMPLE.com' },
  { from: '2026-11-26', to: '2026-11-26', timeZone: 'Europe/Berlin', domain: 'shop.example' },
  { from: '2026-11-24', to: '2026-11-27', timeZone: 'UTC', domain: 'nobody.example' },
];

test('stats from the day indexes: the same hours and replies as reading every line, in any time zone and for any domain', async (t) => {
  const { log } = await busyLog(t);
  const lines = withoutIndexes(log);
  for (const query of QUERIES) {
    const byHour = outcomesByHourQuerySchema.parse(query);
    const fromIndexes = await outcomesByHour(log, byHour);
    assert.deepEqual(fromIndexes, await outcomesByHour(lines, byHour), `outcomesByHour ${JSON.stringify(query)}`);
    const top = topDeferralsQuerySchema.parse({ ...query, limit: 50 });
    assert.deepEqual(await topDeferrals(log, top), await topDeferrals(lines, top), `topDeferrals ${JSON.stringify(query)}`);
  }
  // The comparison is not between two empty answers.
  const all = await outcomesByHour(log, outcomesByHourQuerySchema.parse(QUERIES[0]));
  assert.equal(all.hours.reduce((sum, hour) => sum + hour.delivered + hour.deferred + hour.bounced, 0), 600 * DAYS.length);
  const replies = (await topDeferrals(log, topDeferralsQuerySchema.parse({ ...QUERIES[0], limit: 50 }))).replies;
  assert.equal(replies.length, REPLIES.length);
  assert.ok(replies.some((reply) => reply.reply === 'ETIMEDOUT' && reply.code === null), 'the error code and the literal text stay two groups');
});

test('stats from the day indexes: the same after a restart, with the past days read from the index files', async (t) => {
  const { log, dir } = await busyLog(t);
  const query = { from: '2026-11-24', to: '2026-11-27', timeZone: 'Asia/Kathmandu' };
  const before = { hours: await outcomesByHour(log, outcomesByHourQuerySchema.parse(query)), top: await topDeferrals(log, topDeferralsQuerySchema.parse(query)) };
  await log.close();
  assert.ok((await readdir(join(dir, 'index'))).length >= DAYS.length - 1, 'past days written to disk');
  const reopened = createAttemptLog(dir, createMemoryLogger());
  onCleanup(t, () => reopened.close());
  assert.deepEqual(await outcomesByHour(reopened, outcomesByHourQuerySchema.parse(query)), before.hours);
  assert.deepEqual(await topDeferrals(reopened, topDeferralsQuerySchema.parse(query)), before.top);
});

test(`stats from the day indexes: a day with more than ${MAX_GROUPS_PER_DAY} distinct replies is read line by line for topDeferrals, with the same answer`, async (t) => {
  // A server that names the queue id in every deferral: each reply is a group of its own.
  const { log, dir } = await busyLog(t, (target) => {
    for (let index = 0; index <= MAX_GROUPS_PER_DAY; index++) {
      const time = new Date(Date.parse('2026-11-26T12:00:00.000Z') + index).toISOString();
      target.append(attemptRecord(time, { outcome: 'deferred', code: 451, enhancedCode: '4.7.1', response: `451 4.7.1 Try again later (id ${index})`, domain: 'busy.example' }));
    }
  });
  const index = await log.dayIndex('2026-11-26');
  assert.equal(index?.groupsOverflow, true);
  assert.equal(index?.overflow, false, 'domains and outcomes are still indexed');
  const query = topDeferralsQuerySchema.parse({ from: '2026-11-25', to: '2026-11-27', timeZone: 'UTC', limit: 50 });
  const fromLog = await topDeferrals(log, query);
  assert.deepEqual(fromLog, await topDeferrals(withoutIndexes(log), query));
  assert.equal(fromLog.replies.filter((reply) => reply.domains.includes('busy.example')).length, 50 - REPLIES.length, 'the distinct replies made it in');
  // outcomesByHour still counts from that day's index.
  const hours = await outcomesByHour(log, outcomesByHourQuerySchema.parse({ from: '2026-11-26', to: '2026-11-26', timeZone: 'UTC', domain: 'busy.example' }));
  assert.equal(hours.hours[12]?.deferred, MAX_GROUPS_PER_DAY + 1);

  await log.close();
  const reopened = createAttemptLog(dir, createMemoryLogger());
  onCleanup(t, () => reopened.close());
  assert.equal((await reopened.dayIndex('2026-11-26'))?.groupsOverflow, true, 'kept in the index file');
  assert.deepEqual(await topDeferrals(reopened, query), fromLog);
});
