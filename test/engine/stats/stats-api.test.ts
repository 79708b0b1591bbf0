import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invokeApi } from '../../../electron/contract/api-handlers.js';
import type { AppErrorShape } from '../../../electron/contract/app-error.js';
import { startEngine } from '../../support/engine-harness.js';
import { FakeClock } from '../../support/fake-clock.js';

/** The stats methods as a host calls them: untrusted input through invokeApi, errors as data. */
describe('stats.* through invokeApi', () => {
  it('validates input strictly and answers with the contract shapes', async (t) => {
    const h = await startEngine(t, { clock: new FakeClock(Date.parse('2026-11-27T09:00:00Z')) });
    const call = async (method: string, input: unknown) => invokeApi(h.engine.handlers, method, input, h.logger);
    const refused = async (method: string, input: unknown): Promise<AppErrorShape> => {
      const result = await call(method, input);
      assert.equal(result.ok, false, `${method} ${JSON.stringify(input)} should be refused`);
      if (result.ok) throw new Error('unreachable');
      assert.equal(result.error.code, 'INVALID_INPUT');
      return result.error;
    };

    assert.deepEqual((await refused('stats.queueAges', { domain: 'x' })).issues, [{ path: 'domain', message: 'Unknown field "domain"' }]);
    assert.deepEqual((await refused('stats.queueSeries', { since: '2026-11-27T08:00:00Z', colour: 1 })).issues?.[0]?.path, 'colour');
    assert.equal((await refused('stats.queueSeries', { since: '2026-11-27' })).issues?.[0]?.path, 'since');
    assert.equal((await refused('stats.queueSeries', { since: '2026-11-27T08:00:00Z', maxPoints: 5 })).issues?.[0]?.path, 'maxPoints');
    assert.equal((await refused('stats.queueSeries', { since: '2026-11-27T08:00:00Z', maxPoints: 2001 })).issues?.[0]?.path, 'maxPoints');
    const tooLong = await refused('stats.queueSeries', { since: '2026-10-01T00:00:00Z' });
    assert.match(tooLong.message, /31 days/);
    assert.equal((await refused('stats.outcomesByHour', { from: '2026-11-01', to: '2026-11-27', outcome: 'deferred' })).issues?.[0]?.path, 'outcome');
    assert.equal((await refused('stats.outcomesByHour', { from: '2026-10-01', to: '2026-11-27' })).issues?.[0]?.path, 'to');
    assert.equal((await refused('stats.topDeferrals', { from: '2026-11-27', to: '2026-11-27', limit: 51 })).issues?.[0]?.path, 'limit');
    assert.equal((await refused('stats.topDeferrals', { from: '2026-11-27', to: '2026-11-27', offset: 0 })).issues?.[0]?.path, 'offset');

    assert.deepEqual(await h.call('stats.queueAges', {}), {
      bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280],
      domains: [],
      totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    assert.deepEqual(await h.call('stats.queueSeries', { since: '2026-11-27T08:00:00+01:00' }), {
      points: [{ time: '2026-11-27T09:00:00.000Z', total: 0, held: 0, domains: {} }],
      domains: [],
    });
    const hours = await h.call('stats.outcomesByHour', { from: '2026-11-27', to: '2026-11-27', timeZone: 'Europe/Berlin' });
    assert.equal(hours.hours.length, 24);
    assert.equal(hours.hours[0]?.hour, '2026-11-27T00:00:00.000+01:00');
    assert.deepEqual(await h.call('stats.topDeferrals', { from: '2026-11-27', to: '2026-11-27' }), { replies: [] });
    assert.equal(h.logger.entries.filter((entry) => entry.code === 'API_HANDLER_FAILED').length, 0);
  });
});
