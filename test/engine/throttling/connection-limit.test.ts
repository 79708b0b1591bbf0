import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { deliverMessage } from '../../../electron/engine/delivery/deliver-message.js';
import type { DeliveryReport, OutboundMessage } from '../../../electron/engine/delivery/delivery-types.js';
import { THROTTLED_ERROR_CODE } from '../../../electron/engine/delivery/destination-pool.js';
import { DestinationPools } from '../../../electron/engine/delivery/destination-pools.js';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { startDestination, type TestDestination } from '../../support/mail-peers.js';
import { destination, eventually, makeTempDir, storeMessage, testDeliveryOptions } from '../delivery/smtp-test-server.js';

const TOO_MANY = '4.7.0 Too many connections from your address, try again later';

/** A destination that answers 421 to a connection when `limit` sessions are already open (as a firewall or an Exchange receive connector does). */
async function limitedDestination(limit: { value: number | null }) {
  const accepted = new Set<string>();
  const stats = { maxOpen: 0, refused: 0 };
  const server = await startDestination({
    onConnect(session, callback) {
      if (limit.value !== null && accepted.size >= limit.value) {
        stats.refused += 1;
        return callback(new SmtpReply(421, TOO_MANY));
      }
      accepted.add(session.id);
      stats.maxOpen = Math.max(stats.maxOpen, accepted.size);
      return callback();
    },
    onClose(session) {
      accepted.delete(session.id);
    },
  });
  return { server, stats };
}

/**
 * Delivers every message, retrying at once those deferred with ETHROTTLED, as the queue runner should
 * (a quick retry instead of the 60-120 min backoff). Returns the number of rounds it took.
 */

async function deliverAll(messages: OutboundMessage[], run: (message: OutboundMessage) => Promise<DeliveryReport>, maxRounds = 10): Promise<number> {
  let pending = messages;
  for (let round = 1; round <= maxRounds; round += 1) {
    const reports = await Promise.all(pending.map(run));
    const again: OutboundMessage[] = [];
    reports.forEach((report, i) => {
      if (report.recipients.every((r) => r.outcome === 'delivered')) return;
      const last = report.attempts.at(-1);
      assert.equal(last?.errorCode, THROTTLED_ERROR_CODE, `only throttled deferrals expected, got ${JSON.stringify(last)}`);
      assert.match(last?.response ?? '', /^421 4\.7\.0 Too many connections/);
      again.push(pending[i]!);
    });
    if (again.length === 0) return round;
    pending = again;
  }
  assert.fail(`${pending.length} messages still not delivered after ${maxRounds} rounds`);
}

describe('adaptive throttling against a destination that limits connections', () => {
  let dir: string;
  const servers: TestDestination[] = [];

  before(async () => {
    dir = await makeTempDir();
  });

  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  const store = (count: number, tag: string) =>
    Promise.all(Array.from({ length: count }, (_, i) => storeMessage(dir, `Subject: ${tag} ${i}\r\n\r\n${tag} ${i}\r\n`, { recipients: [`user${i}@office.example`] })));

  it('finds a limit at or below N, delivers all mail, and raises the limit back after successes once the server allows more', async () => {
    const N = 3;
    const limit: { value: number | null } = { value: N };
    const { server, stats } = await limitedDestination(limit);
    servers.push(server);
    const logger = createMemoryLogger();
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock, logger });
    const options = { ...testDeliveryOptions, maxConnectionsPerDestination: 6, maxMessagesPerConnection: 5 };
    const target = [destination(server.port)];
    try {
      const messages = await store(60, 'burst');
      await deliverAll(messages, (message) => deliverMessage(message, target, pools, options, clock));

      assert.equal(server.messages.length, 60, 'every message delivered exactly once');
      assert.ok(stats.refused > 0, 'the server did refuse connections');
      assert.ok(stats.maxOpen <= N);
      const throttle = pools.throttleFor(target[0]!);
      assert.ok(throttle);
      assert.ok(throttle.connectionLimit >= 1 && throttle.connectionLimit <= N, `found limit ${throttle.connectionLimit} <= ${N}`);
      assert.equal(throttle.configuredLimit, 6);
      assert.match(throttle.reason ?? '', /^421 4\.7\.0 Too many connections/);
      assert.ok(throttle.since);
      const lowered = logger.entries.filter((e) => e.code === 'DELIVERY_LIMIT_LOWERED');
      assert.ok(lowered.length >= 1 && lowered.length <= 6, `halved a few times, not once per refusal: ${lowered.length} cuts for ${stats.refused} refusals`);
      assert.equal(lowered[0]?.fields.destination, `127.0.0.1:${server.port}`);

      // The office raises its limit: successes bring the pool back to the configured 6, one step per 20
      // (100 for the step to the count last refused).
      limit.value = null;
      const more = await store(240, 'recover');
      await deliverAll(more, (message) => deliverMessage(message, target, pools, options, clock));
      const recovered = pools.throttleFor(target[0]!);
      assert.equal(recovered?.connectionLimit, 6);
      assert.equal(recovered?.reason, null);
      assert.equal(recovered?.since, null);
      assert.ok(logger.entries.some((e) => e.code === 'DELIVERY_LIMIT_RESTORED'));
    } finally {
      await pools.close();
    }
  });

  it('a server that refuses even one connection: the message is deferred with ETHROTTLED, the reply kept, no endless retries', async () => {
    const { server, stats } = await limitedDestination({ value: 0 });
    servers.push(server);
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    try {
      const [message] = await store(1, 'refused');
      const report = await deliverMessage(message!, [destination(server.port)], pools, { ...testDeliveryOptions, maxConnectionsPerDestination: 4 }, clock);
      assert.equal(report.recipients[0]?.outcome, 'deferred');
      assert.equal(report.attempts[0]?.errorCode, THROTTLED_ERROR_CODE);
      assert.equal(report.attempts[0]?.code, 421);
      assert.equal(report.attempts[0]?.stage, 'connect');
      assert.ok(stats.refused >= 2 && stats.refused <= 4, `tried again under the lowered limit, then gave up: ${stats.refused} tries`);
      assert.equal(pools.throttleFor(destination(server.port))?.connectionLimit, 1);
    } finally {
      await pools.close();
    }
  });

  it('452 4.5.3 Too many recipients: the accepted ones are delivered, the rest deferred with ETHROTTLED, no limit cut; the session is not reused', async () => {
    let rcptInTransaction = 0;
    const server = await startDestination({
      onMailFrom(_address, _session, callback) {
        rcptInTransaction = 0;
        callback();
      },
      onRcptTo(_address, _session, callback) {
        rcptInTransaction += 1;
        if (rcptInTransaction > 2) return callback(new SmtpReply(452, '4.5.3 Error: too many recipients'));
        return callback();
      },
    });
    servers.push(server);
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    const target = destination(server.port);
    try {
      const message = await storeMessage(dir, 'Subject: many\r\n\r\nmany\r\n', { recipients: ['a@office.example', 'b@office.example', 'c@office.example', 'd@office.example'] });
      const report = await deliverMessage(message, [target], pools, testDeliveryOptions, clock);
      assert.deepEqual(
        report.recipients.map((r) => [r.address, r.outcome, r.code]),
        [
          ['a@office.example', 'delivered', 250],
          ['b@office.example', 'delivered', 250],
          ['c@office.example', 'deferred', 452],
          ['d@office.example', 'deferred', 452],
        ],
      );
      assert.equal(report.attempts[0]?.errorCode, THROTTLED_ERROR_CODE, 'the rest is retried in a minute');
      const throttle = pools.throttleFor(target);
      assert.deepEqual([throttle?.connectionLimit, throttle?.ratePerMinute, throttle?.reason], [testDeliveryOptions.maxConnectionsPerDestination, null, null], 'sending slower would not help');
      assert.equal(server.messages.length, 1);
      assert.equal(pools.states()[0]?.idle, 0, 'the session is QUIT, not kept for the next message');
    } finally {
      await pools.close();
    }
  });

  it('451 4.7.1 Too many messages at MAIL FROM: deferred with ETHROTTLED, rate gate and concurrency cut once per burst, the session QUIT', async () => {
    let open = 0;
    const waiting: (() => void)[] = [];
    const server = await startDestination({
      onConnect(_session, callback) {
        open += 1;
        callback();
      },
      onClose() {
        open -= 1;
      },
      // All four sessions are up before any is refused (a barrier), so the cut does not depend on how
      // fast the machine opens them: the limit halves from 4, not from the sessions open so far.
      onMailFrom(_address, _session, callback) {
        waiting.push(() => callback(new SmtpReply(451, '4.7.1 Too many messages, slow down')));
        if (waiting.length >= 4) for (const reply of waiting.splice(0)) reply();
      },
    });
    servers.push(server);
    const logger = createMemoryLogger();
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock, logger });
    const target = destination(server.port);
    const options = { ...testDeliveryOptions, maxConnectionsPerDestination: 4 };
    try {
      const messages = await store(4, 'rate-burst');
      const reports = await Promise.all(messages.map((message) => deliverMessage(message, [target], pools, options, clock)));
      for (const report of reports) {
        assert.equal(report.recipients[0]?.outcome, 'deferred');
        assert.equal(report.attempts[0]?.errorCode, THROTTLED_ERROR_CODE);
        assert.equal(report.attempts[0]?.response, '451 4.7.1 Too many messages, slow down');
        assert.equal(report.attempts[0]?.stage, 'mail');
      }
      const throttle = pools.throttleFor(target);
      assert.equal(throttle?.reason, '451 4.7.1 Too many messages, slow down');
      assert.equal(throttle?.connectionLimit, 2, 'halved once for the burst, not once per refusal');
      assert.equal(throttle?.ratePerMinute, 2, 'half the 4 messages started in the last minute');
      assert.equal(logger.entries.filter((e) => e.code === 'DELIVERY_LIMIT_LOWERED').length, 1);
      const closed = logger.entries.filter((e) => e.code === 'DELIVERY_SESSION_CLOSED').map((e) => e.fields.reason);
      const quits = closed.filter((reason) => reason === 'limit-reply').length;
      assert.ok(quits >= 1, `sessions with a limit reply are not reused: ${closed.join(',')}`);
      assert.equal(pools.states()[0]?.idle, 0);
    } finally {
      await pools.close();
    }
    await eventually(() => open === 0);
  });

  it('respects a per-destination messages-per-minute limit on the injected clock, and its per-destination connection override', async () => {
    const { server, stats } = await limitedDestination({ value: null });
    servers.push(server);
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    const target = [destination(server.port, { maxMessagesPerMinute: 2, maxConnections: 1 })];
    try {
      const messages = await store(3, 'rate');
      const reports = messages.map((message) => deliverMessage(message, target, pools, testDeliveryOptions, clock));
      const eventually = async (count: number) => {
        const deadline = Date.now() + 2_000;
        while (server.messages.length < count) {
          if (Date.now() > deadline) assert.fail(`expected ${count} messages, got ${server.messages.length}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      await eventually(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(server.messages.length, 1, 'the second waits 30 s');
      clock.advance(30_000);
      await eventually(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(server.messages.length, 2);
      clock.advance(30_000);
      await eventually(3);
      assert.deepEqual(
        (await Promise.all(reports)).map((r) => r.recipients[0]?.outcome),
        ['delivered', 'delivered', 'delivered'],
      );
      assert.equal(stats.maxOpen, 1, 'maxConnections: 1 overrides the global 5');
      const throttle = pools.throttleFor(target[0]!);
      assert.deepEqual([throttle?.connectionLimit, throttle?.configuredLimit, throttle?.ratePerMinute, throttle?.reason], [1, 1, 2, null]);
    } finally {
      await pools.close();
    }
  });
});
