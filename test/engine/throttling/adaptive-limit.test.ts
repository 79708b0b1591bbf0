import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveLimit, CEILING_PATIENCE, RAISE_AFTER_SUCCESSES } from '../../../electron/engine/delivery/adaptive-limit.js';
import { limitKindOfReply } from '../../../electron/engine/delivery/limit-replies.js';
import { RateGate } from '../../../electron/engine/delivery/rate-gate.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { FakeClock } from '../../support/fake-clock.js';

describe('limitKindOfReply', () => {
  const cases: [number, string, 'connections' | 'rate' | 'recipients' | null][] = [
    [421, '421 4.7.0 Too many connections from your address, try again later', 'connections'],
    [421, '421 4.7.0 mail.example.com Error: too many connections from 192.0.2.7', 'connections'],
    [421, '421 Too many concurrent SMTP connections; please try again later.', 'connections'],
    [451, '451 4.7.1 Too many messages, slow down', 'rate'],
    [452, '452 4.3.1 Too many messages from this sender, try again later', 'rate'],
    [421, '421 4.7.28 [192.0.2.7] Our system has detected an unusual rate of unsolicited mail', 'rate'],
    [451, '451 4.7.500 Server busy. Please try again later from [192.0.2.7]', 'rate'],
    [421, '421 4.3.2 Service shutting down, try again later', null],
    [452, '452 4.3.1 Insufficient system storage, try again later', null],
    [550, '550 5.7.1 Too many connections', null],
    // Read from the classification table's 'rate-limited' rows, so replies it knows count here too.
    [421, '421 4.4.2 Message submission rate for this client has exceeded the configured limit', 'rate'],
    [450, '450 4.7.1 Error: too much mail from 192.0.2.7', 'rate'],
    [421, '421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel', 'connections'],
    [452, '452 4.5.3 Error: too many recipients', 'recipients'],
    [451, '451 4.7.1 Greylisted, please try again later', null],
    [451, '451 4.3.0 Temporary local problem, try again later', null],
  ];
  for (const [code, reply, kind] of cases) {
    it(`${reply} -> ${String(kind)}`, () => assert.equal(limitKindOfReply(code, reply), kind));
  }
});

describe('AdaptiveLimit', () => {
  it('halves once per epoch, raises by one after enough successes, and clears the reason at the configured limit', () => {
    const clock = new FakeClock();
    const logger = createMemoryLogger();
    const limit = new AdaptiveLimit('mail.example:25', { maxConnections: 10, maxMessagesPerMinute: 0 }, { clock, logger });
    const epoch = limit.epoch;
    // Refused with 9 others open: the 10th was too many.
    assert.equal(limit.onLimitReply('connections', '421 4.7.0 Too many connections', epoch, 10, 9), true);
    // Another refusal from a session opened under the old limit says nothing new.
    assert.equal(limit.onLimitReply('connections', '421 4.7.0 Too many connections', epoch, 10, 9), false);
    assert.equal(limit.connections, 5);
    assert.equal(limit.ratePerMinute, null, 'a connection limit reply does not gate the rate');
    assert.equal(limit.state().reason, '421 4.7.0 Too many connections');
    assert.equal(limit.state().since, new Date(clock.now()).toISOString());

    for (let step = 6; step <= 9; step += 1) {
      for (let i = 0; i < RAISE_AFTER_SUCCESSES; i += 1) limit.onSuccess();
      assert.equal(limit.connections, step);
    }
    // 10 is the count the server refused: trying it again takes CEILING_PATIENCE times longer.
    for (let i = 0; i < RAISE_AFTER_SUCCESSES * CEILING_PATIENCE - 1; i += 1) limit.onSuccess();
    assert.equal(limit.connections, 9);
    limit.onSuccess();
    assert.equal(limit.connections, 10);
    assert.equal(limit.state().reason, null);
    assert.deepEqual(
      logger.entries.map((r) => r.code).filter((c) => c.startsWith('DELIVERY_LIMIT')),
      ['DELIVERY_LIMIT_LOWERED', ...Array.from({ length: 4 }, () => 'DELIVERY_LIMIT_RAISED'), 'DELIVERY_LIMIT_RESTORED'],
    );
  });

  it('lowers to the sessions the server let in when that is below half', () => {
    const limit = new AdaptiveLimit('mail.example:25', { maxConnections: 10, maxMessagesPerMinute: 0 }, { clock: new FakeClock(), logger: createMemoryLogger() });
    limit.onLimitReply('connections', '421 4.7.0 Too many connections', limit.epoch, 0, 2);
    assert.equal(limit.connections, 2);
  });

  it('sets a rate gate at half the rate sent on a rate reply, never below 1 connection and 1 message a minute', () => {
    const clock = new FakeClock();
    const limit = new AdaptiveLimit('mail.example:25', { maxConnections: 2, maxMessagesPerMinute: 0 }, { clock, logger: createMemoryLogger() });
    limit.onLimitReply('rate', '451 4.7.1 Too many messages', limit.epoch, 30, 1);
    assert.deepEqual([limit.connections, limit.ratePerMinute], [1, 15]);
    limit.onLimitReply('rate', '451 4.7.1 Too many messages', limit.epoch, 40, 1);
    assert.deepEqual([limit.connections, limit.ratePerMinute], [1, 7]);
    limit.onLimitReply('rate', '451 4.7.1 Too many messages', limit.epoch, 0, 0);
    assert.deepEqual([limit.connections, limit.ratePerMinute], [1, 1]);
    assert.equal(limit.onLimitReply('rate', '451 4.7.1 Too many messages', limit.epoch, 0, 0), false, 'at the floor: nothing to lower');
    // Recovery: the rate grows by a quarter (at least 1) per step; once concurrency is back the gate goes.
    for (let i = 0; i < RAISE_AFTER_SUCCESSES; i += 1) limit.onSuccess();
    assert.deepEqual([limit.connections, limit.ratePerMinute, limit.state().reason], [2, null, null]);
  });
});

describe('RateGate', () => {
  it('spaces message starts evenly on the injected clock', async () => {
    const clock = new FakeClock();
    const gate = new RateGate(clock);
    gate.setLimit(3); // one every 20 s
    const started: number[] = [];
    const t0 = clock.now();
    const takes = Array.from({ length: 4 }, () => gate.take().then(() => started.push(clock.now() - t0)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0]);
    for (let i = 0; i < 3; i += 1) {
      clock.advance(20_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(takes);
    assert.deepEqual(started, [0, 20_000, 40_000, 60_000]);
    assert.equal(gate.sentInLastMinute(), 3, 'the start at 0 s is a minute old');
  });
});
