import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { deliverMessage } from '../../../electron/engine/delivery/deliver-message.js';
import { destinationKey, DestinationPools } from '../../../electron/engine/delivery/destination-pools.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { closedPort, destination, eventually, makeTempDir, RecordingProxy, smtpError, storeMessage, testDeliveryOptions, testServers, type TestServerBehaviour } from './smtp-test-server.js';


describe('DestinationPools', () => {
  let dir: string;
  const servers = testServers();

  const server = servers.start;

  before(async () => {
    dir = await makeTempDir();
  });

  after(async () => {
    await servers.closeAll();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('never opens more than maxConnectionsPerDestination and reconnects after maxMessagesPerConnection', async () => {
    const destinationServer = await server();
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    const options = { ...testDeliveryOptions, maxConnectionsPerDestination: 2, maxMessagesPerConnection: 3 };
    try {
      const messages = await Promise.all(
        Array.from({ length: 10 }, (_, i) => storeMessage(dir, `Subject: ${i}\r\n\r\nmessage ${i}\r\n`, { recipients: [`user${i}@office.example`] })),
      );

      const reports = await Promise.all(messages.map((message) => deliverMessage(message, [destination(destinationServer.port)], pools, options, clock)));

      assert.deepEqual(
        reports.map((r) => r.recipients[0]?.outcome),
        Array.from({ length: 10 }, () => 'delivered'),
      );
      assert.equal(destinationServer.messages.length, 10);
      assert.ok(destinationServer.maxOpenSessions <= 2, `at most 2 sessions at once, saw ${destinationServer.maxOpenSessions}`);
      assert.ok(Math.max(...destinationServer.messagesPerSession.values()) <= 3, 'at most 3 messages per session');
      assert.ok(destinationServer.sessionsOpened >= 4, `10 messages at 3 per session need at least 4 sessions, saw ${destinationServer.sessionsOpened}`);
    } finally {
      await pools.close();
    }
    await eventually(() => destinationServer.openSessions === 0);
  });

  it('reuses an idle session without RSET after a delivered message, and closes it after the idle timeout', async () => {
    const destinationServer = await server();
    const proxy = await RecordingProxy.start(destinationServer.port);
    const clock = new FakeClock();
    const logger = createMemoryLogger();
    const pools = new DestinationPools({ clock, logger, idleTimeoutMs: 5_000 });
    try {
      for (let i = 0; i < 3; i += 1) {
        const message = await storeMessage(dir, `Subject: ${i}\r\n\r\nHello\r\n`);
        const report = await deliverMessage(message, [destination(proxy.port)], pools, testDeliveryOptions, clock);
        assert.equal(report.attempts[0]?.outcome, 'delivered');
      }
      assert.equal(destinationServer.sessionsOpened, 1, 'one session for three messages sent one after the other');
      const wire = proxy.clientBytes.toString('latin1');
      assert.equal(wire.match(/^RSET\r$/gm), null, 'the reply to each message ended its transaction (RFC 5321 4.1.1.4): no RSET');
      assert.equal(wire.match(/^MAIL FROM:/gm)?.length, 3);

      const [state] = pools.states();
      assert.deepEqual([state?.destination, state?.active, state?.idle], [`127.0.0.1:${proxy.port}`, 0, 1]);

      clock.advance(4_999);
      assert.equal(pools.states()[0]?.idle, 1);
      clock.advance(1);
      await eventually(() => destinationServer.openSessions === 0);
      assert.equal(pools.states()[0]?.idle, 0);
      assert.match(proxy.clientBytes.toString('latin1'), /QUIT\r\n$/, 'closed politely with QUIT');
      assert.ok(logger.entries.some((e) => e.code === 'DELIVERY_SESSION_CLOSED' && e.fields.reason === 'idle'));
    } finally {
      await pools.close();
      await proxy.close();
    }
  });

  it('sends RSET before reusing a session whose last transaction was refused, and not after the next delivered one', async () => {
    const destinationServer = await server({ rcptTo: (address) => (address.startsWith('nobody@') ? smtpError(550, '5.1.1 No such user') : null) });
    const proxy = await RecordingProxy.start(destinationServer.port);
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    try {
      const outcomes: string[] = [];
      for (const recipient of ['nobody@office.example', 'user@office.example', 'user@office.example']) {
        const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n', { recipients: [recipient] });
        const report = await deliverMessage(message, [destination(proxy.port)], pools, testDeliveryOptions, clock);
        outcomes.push(report.attempts[0]?.outcome ?? 'none');
      }
      assert.deepEqual(outcomes, ['bounced', 'delivered', 'delivered']);
      assert.equal(destinationServer.sessionsOpened, 1);
      const commands = proxy.clientBytes.toString('latin1').match(/^(MAIL FROM|RCPT TO|DATA|RSET)/gm);
      // nodemailer sends DATA behind the refused RCPT TO (the server offers PIPELINING) and reads its 503.
      assert.deepEqual(commands, ['MAIL FROM', 'RCPT TO', 'DATA', 'RSET', 'MAIL FROM', 'RCPT TO', 'DATA', 'MAIL FROM', 'RCPT TO', 'DATA']);
    } finally {
      await pools.close();
      await proxy.close();
    }
  });

  for (const [how, behaviour] of [
    ['closed without a reply', { dropAtMailFrom: (session) => session.transaction > 1 }],
    ['closing with 421', { mailFrom: (_address, session) => (session.transaction > 1 ? smtpError(421, '4.3.2 Too many messages in this connection') : null) }],
  ] as const satisfies readonly (readonly [string, TestServerBehaviour])[]) {
    it(`a session reused without RSET and found ${how} at MAIL FROM is replaced, without a failed attempt`, async () => {
      const destinationServer = await server(behaviour);
      const clock = new FakeClock();
      const logger = createMemoryLogger();
      const pools = new DestinationPools({ clock, logger });
      try {
        const outcomes: string[][] = [];
        for (let i = 0; i < 2; i += 1) {
          const message = await storeMessage(dir, `Subject: ${i}\r\n\r\nHello\r\n`);
          const report = await deliverMessage(message, [destination(destinationServer.port)], pools, testDeliveryOptions, clock);
          outcomes.push(report.attempts.map((attempt) => attempt.outcome));
        }
        assert.deepEqual(outcomes, [['delivered'], ['delivered']]);
        assert.equal(destinationServer.messages.length, 2);
        assert.equal(destinationServer.sessionsOpened, 2);
        assert.ok(logger.entries.some((e) => e.code === 'DELIVERY_SESSION_CLOSED' && e.fields.reason === 'gone-at-mail'));
      } finally {
        await pools.close();
      }
    });
  }

  it('any other reply to MAIL FROM on a session reused without RSET is the answer for this run', async () => {
    const destinationServer = await server({ mailFrom: (_address, session) => (session.transaction > 1 ? smtpError(451, '4.3.0 Try again later') : null) });
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    try {
      const reports = [];
      for (let i = 0; i < 2; i += 1) {
        const message = await storeMessage(dir, `Subject: ${i}\r\n\r\nHello\r\n`);
        reports.push(await deliverMessage(message, [destination(destinationServer.port)], pools, testDeliveryOptions, clock));
      }
      assert.deepEqual(reports.map((report) => report.attempts.map((attempt) => [attempt.outcome, attempt.stage, attempt.response])), [
        [['delivered', 'done', '250 OK: message queued']],
        [['deferred', 'mail', '451 4.3.0 Try again later']],
      ]);
      assert.equal(destinationServer.sessionsOpened, 1);
    } finally {
      await pools.close();
    }
  });

  it('a message passes over at most three sessions found gone at MAIL FROM, then its failure counts', async () => {
    const destinationServer = await server({ dropAtMailFrom: (session) => session.transaction > 1 });
    const clock = new FakeClock();
    const logger = createMemoryLogger();
    const pools = new DestinationPools({ clock, logger });
    const options = { ...testDeliveryOptions, maxConnectionsPerDestination: 5 };
    try {
      const first = await Promise.all(Array.from({ length: 5 }, (_, i) => storeMessage(dir, `Subject: ${i}\r\n\r\nHello\r\n`)));
      await Promise.all(first.map((message) => deliverMessage(message, [destination(destinationServer.port)], pools, options, clock)));
      assert.equal(pools.states()[0]?.idle, 5, 'five idle sessions, each past one delivered message');

      const message = await storeMessage(dir, 'Subject: last\r\n\r\nHello\r\n');
      const report = await deliverMessage(message, [destination(destinationServer.port)], pools, options, clock);
      assert.deepEqual(report.attempts.map((attempt) => [attempt.outcome, attempt.stage]), [['deferred', 'mail']]);
      assert.equal(logger.entries.filter((e) => e.code === 'DELIVERY_SESSION_CLOSED' && e.fields.reason === 'gone-at-mail').length, 3);
      assert.equal(destinationServer.messages.length, 5);
    } finally {
      await pools.close();
    }
  });

  it('replaces an idle session the server dropped, without a failed attempt', async () => {
    const destinationServer = await server();
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    try {
      const first = await storeMessage(dir, 'Subject: 1\r\n\r\nHello\r\n');
      assert.equal((await deliverMessage(first, [destination(destinationServer.port)], pools, testDeliveryOptions, clock)).attempts[0]?.outcome, 'delivered');

      destinationServer.dropAllSessions();
      await eventually(() => destinationServer.openSessions === 0);

      const second = await storeMessage(dir, 'Subject: 2\r\n\r\nHello\r\n');
      const report = await deliverMessage(second, [destination(destinationServer.port)], pools, testDeliveryOptions, clock);
      assert.deepEqual(
        report.attempts.map((a) => a.outcome),
        ['delivered'],
      );
      assert.equal(destinationServer.sessionsOpened, 2);
    } finally {
      await pools.close();
    }
  });

  it('reports per-destination state and the last error', async () => {
    const port = await closedPort();
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    try {
      const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');
      await deliverMessage(message, [destination(port)], pools, testDeliveryOptions, clock);

      const [state] = pools.states();
      assert.deepEqual(
        { ...state, lastError: { ...state?.lastError, response: undefined } },
        {
          destination: `127.0.0.1:${port}`,
          tls: 'none',
          verifyCertificate: false,
          authUser: null,
          active: 0,
          idle: 0,
          opening: 0,
          closing: 0,
          waiting: 0,
          lastConnectedAt: null,
          lastError: { time: '2026-11-27T09:00:00.000Z', stage: 'connect', code: null, response: undefined, errorCode: 'ESOCKET' },
        },
      );
      assert.match(state?.lastError?.response ?? '', /ECONNREFUSED/);
    } finally {
      await pools.close();
    }
  });

  it('closes active sessions on close(): the message in flight is deferred', async () => {
    // A server that never answers the end of DATA, so the message is still in flight when the pool closes.
    const stuck = await server({ neverAnswerData: true });
    const clock = new FakeClock();
    const pools = new DestinationPools({ clock });
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');

    const delivery = deliverMessage(message, [destination(stuck.port)], pools, testDeliveryOptions, clock);
    await eventually(() => stuck.dataCalls === 1);
    await pools.close();
    const report = await delivery;

    assert.equal(report.attempts[0]?.outcome, 'deferred');
    assert.equal(report.attempts[0]?.errorCode, 'ECONNECTION');
    await eventually(() => stuck.openSessions === 0);

    const late = await deliverMessage(message, [destination(stuck.port)], pools, testDeliveryOptions, clock);
    assert.equal(late.attempts[0]?.errorCode, 'EABORT', 'a closed pool opens no new connections');
  });

  it('keys pools by everything that changes the session, never showing the password', () => {
    const base = destination(25, { host: 'MX.Office.Example' });
    assert.equal(destinationKey(base), destinationKey({ ...base, host: 'mx.office.example' }));
    assert.notEqual(destinationKey(base), destinationKey({ ...base, tls: 'required' }));
    assert.notEqual(destinationKey(base), destinationKey({ ...base, verifyCertificate: true }));
    const withAuth = destinationKey({ ...base, auth: { user: 'relay', pass: 'hunter2' } });
    assert.notEqual(withAuth, destinationKey({ ...base, auth: { user: 'relay', pass: 'other' } }));
    assert.doesNotMatch(withAuth, /hunter2/);
  });
});
