import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { attemptRecordSchema } from '../../../electron/contract/report-schema.js';
import type { Destination } from '../../../electron/contract/settings-schema.js';
import { deliverMessage } from '../../../electron/engine/delivery/deliver-message.js';
import { DestinationPools } from '../../../electron/engine/delivery/destination-pools.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { DirectorySyncer } from '../../../electron/engine/spool/durable-file.js';
import { FileThreads } from '../../../electron/engine/spool/file-thread.js';
import { packedTrailer } from '../../../electron/engine/spool/packed-entry.js';
import { FakeClock } from '../../support/fake-clock.js';
import { closedPort, makeTempDir, RecordingProxy, sha256, smtpError, storeMessage, testDeliveryOptions, testServers } from './smtp-test-server.js';

function destination(port: number, fields: Partial<Destination> = {}): Destination {
  return { host: '127.0.0.1', port, tls: 'none', verifyCertificate: false, ...fields };
}

describe('deliverMessage', () => {
  let dir: string;
  const clock = new FakeClock();
  const servers = testServers();
  let pools: DestinationPools;

  const server = servers.start;

  before(async () => {
    dir = await makeTempDir();
    pools = new DestinationPools({ clock });
  });

  after(async () => {
    await pools.close();
    await servers.closeAll();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('delivers the exact bytes with the exact envelope', async () => {
    const destinationServer = await server();
    // CRLF lines, a line that needs dot-stuffing, 8-bit text, and enough of it to take several chunks.
    const lines = ['From: Sender <sender@example.org>', 'To: alice@office.example', 'Subject: Grüße', ''];
    for (let i = 0; i < 5000; i += 1) lines.push(i % 7 === 0 ? `.line ${i} starts with a dot` : `line ${i} – ünïcödé`);
    const body = Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
    const message = await storeMessage(dir, body, { recipients: ['alice@office.example', 'bob@office.example'] });

    const report = await deliverMessage(message, [destination(destinationServer.port)], pools, testDeliveryOptions, clock);

    assert.equal(destinationServer.messages.length, 1);
    const received = destinationServer.messages[0]!;
    assert.equal(received.mailFrom, 'sender@example.org');
    assert.deepEqual(received.rcptTo, ['alice@office.example', 'bob@office.example']);
    assert.deepEqual(destinationServer.rcptToCalls, ['alice@office.example', 'bob@office.example']);
    assert.equal(sha256(received.data), sha256(await fs.readFile(message.bodyPath)));

    assert.deepEqual(report.recipients, [
      { address: 'alice@office.example', outcome: 'delivered', code: 250, enhancedCode: null, response: '250 OK: message queued' },
      { address: 'bob@office.example', outcome: 'delivered', code: 250, enhancedCode: null, response: '250 OK: message queued' },
    ]);
    assert.equal(report.attempts.length, 1);
    const attempt = attemptRecordSchema.parse(report.attempts[0]);
    assert.deepEqual(
      { ...attempt, durationMs: 0 },
      {
        time: '2026-11-27T09:00:00.000Z',
        queueId: message.queueId,
        messageId: '<test@example.org>',
        domain: 'office.example',
        from: 'sender@example.org',
        recipients: ['alice@office.example', 'bob@office.example'],
        destination: `127.0.0.1:${destinationServer.port}`,
        remoteAddress: '127.0.0.1',
        localAddress: '127.0.0.1',
        stage: 'done',
        code: 250,
        enhancedCode: null,
        response: '250 OK: message queued',
        errorCode: null,
        durationMs: 0,
        outcome: 'delivered',
      },
    );
  });

  it('sends the null sender as MAIL FROM:<>', async () => {
    const destinationServer = await server();
    const proxy = await RecordingProxy.start(destinationServer.port);
    try {
      const message = await storeMessage(dir, 'Subject: bounce\r\n\r\nReturned mail\r\n', { from: '' });
      const report = await deliverMessage(message, [destination(proxy.port)], pools, testDeliveryOptions, clock);
      assert.equal(report.attempts[0]?.outcome, 'delivered');
      assert.equal(destinationServer.messages[0]?.mailFrom, '');
      assert.match(proxy.clientBytes.toString('latin1'), /\r\nMAIL FROM:<>[ \r]/);
    } finally {
      await pools.close();
      pools = new DestinationPools({ clock });
      await proxy.close();
    }
  });

  it('gives each recipient its own outcome when RCPT replies differ', async () => {
    const destinationServer = await server({
      rcptTo: (address) =>
        address.startsWith('busy') ? smtpError(450, '4.2.1 Mailbox busy, try later') : address.startsWith('gone') ? smtpError(550, '5.1.1 No such user') : null,
    });
    const fallback = await server();
    const message = await storeMessage(dir, 'Subject: mixed\r\n\r\nHello\r\n', { recipients: ['ok@office.example', 'busy@office.example', 'gone@office.example'] });

    const report = await deliverMessage(message, [destination(destinationServer.port), destination(fallback.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(report.recipients, [
      { address: 'ok@office.example', outcome: 'delivered', code: 250, enhancedCode: null, response: '250 OK: message queued' },
      { address: 'busy@office.example', outcome: 'deferred', code: 450, enhancedCode: '4.2.1', response: '450 4.2.1 Mailbox busy, try later' },
      { address: 'gone@office.example', outcome: 'bounced', code: 550, enhancedCode: '5.1.1', response: '550 5.1.1 No such user' },
    ]);
    assert.deepEqual(destinationServer.messages[0]?.rcptTo, ['ok@office.example']);
    assert.equal(report.attempts.length, 1, 'replies at RCPT are final for this run: no next destination');
    assert.equal(report.attempts[0]?.outcome, 'deferred');
    assert.equal(report.attempts[0]?.stage, 'done');
    assert.equal(fallback.sessionsOpened, 0);
  });

  it('keeps each reply when every recipient is refused', async () => {
    const destinationServer = await server({
      rcptTo: (address) => (address.startsWith('busy') ? smtpError(452, '4.2.2 Over quota') : smtpError(550, '5.1.1 No such user')),
    });
    const message = await storeMessage(dir, 'Subject: refused\r\n\r\nHello\r\n', { recipients: ['busy@office.example', 'gone@office.example'] });

    const report = await deliverMessage(message, [destination(destinationServer.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(
      report.recipients.map((r) => [r.address, r.outcome, r.response]),
      [
        ['busy@office.example', 'deferred', '452 4.2.2 Over quota'],
        ['gone@office.example', 'bounced', '550 5.1.1 No such user'],
      ],
    );
    const attempt = report.attempts[0]!;
    assert.equal(attempt.stage, 'rcpt');
    assert.equal(attempt.errorCode, 'EENVELOPE');
    assert.equal(attempt.code, 452, "nodemailer reports the first temporary refusal as the envelope's reply");
    assert.equal(attempt.outcome, 'deferred');
    assert.equal(destinationServer.dataCalls, 0);
  });

  it('bounces every recipient when MAIL FROM gets a 5xx', async () => {
    const destinationServer = await server({ mailFrom: () => smtpError(553, '5.7.1 Sender rejected') });
    const fallback = await server();
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n', { recipients: ['a@office.example', 'b@office.example'] });

    const report = await deliverMessage(message, [destination(destinationServer.port), destination(fallback.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(
      report.recipients.map((r) => [r.outcome, r.code, r.response]),
      [
        ['bounced', 553, '553 5.7.1 Sender rejected'],
        ['bounced', 553, '553 5.7.1 Sender rejected'],
      ],
    );
    assert.equal(report.attempts.length, 1);
    assert.deepEqual(
      [report.attempts[0]?.stage, report.attempts[0]?.errorCode, report.attempts[0]?.enhancedCode, report.attempts[0]?.outcome],
      ['mail', 'EENVELOPE', '5.7.1', 'bounced'],
    );
    assert.equal(fallback.sessionsOpened, 0);
  });

  it('defers when the destination is down, with stage connect and the error code', async () => {
    const port = await closedPort();
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(port)], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts.length, 1);
    const attempt = report.attempts[0]!;
    assert.equal(attempt.outcome, 'deferred');
    assert.equal(attempt.stage, 'connect');
    assert.equal(attempt.errorCode, 'ESOCKET');
    assert.equal(attempt.code, null);
    assert.match(attempt.response ?? '', /ECONNREFUSED 127\.0\.0\.1:\d+/);
    assert.equal(attempt.remoteAddress, '127.0.0.1', 'the address dialed');
    assert.equal(attempt.localAddress, null);
    assert.equal(attempt.destination, `127.0.0.1:${port}`);
    assert.deepEqual(
      report.recipients.map((r) => [r.outcome, r.code]),
      [['deferred', null]],
    );
  });

  it('delivers through the second destination when the first is down', async () => {
    const port = await closedPort();
    const second = await server();
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(port), destination(second.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(
      report.attempts.map((a) => [a.destination, a.stage, a.outcome, a.errorCode]),
      [
        [`127.0.0.1:${port}`, 'connect', 'deferred', 'ESOCKET'],
        [`127.0.0.1:${second.port}`, 'done', 'delivered', null],
      ],
    );
    assert.equal(report.recipients[0]?.outcome, 'delivered');
    assert.equal(second.messages.length, 1);
  });

  it('sends only the message from a packed spool file, never the state after it, also from a second destination', async () => {
    const port = await closedPort();
    const second = await server();
    const body = Buffer.from('Subject: packed\r\n\r\nThe message ends here.\r\n');
    const message = await storeMessage(dir, body);
    await fs.appendFile(message.bodyPath, packedTrailer({ id: message.queueId, note: 'the entry state: must stay on disk' }));

    const report = await deliverMessage(message, [destination(port), destination(second.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(report.attempts.map((a) => a.outcome), ['deferred', 'delivered'], 'the second destination reads the file again');
    assert.equal(second.messages.length, 1);
    assert.equal(sha256(second.messages[0]!.data), sha256(body));
  });

  it('sends a message read whole off the engine thread (readBody) exactly, also from a second destination, without the packed state', async () => {
    const files = new FileThreads(dir, new DirectorySyncer(dir), createMemoryLogger());
    const port = await closedPort();
    const second = await server();
    const body = Buffer.from('Subject: read whole\r\n\r\n.a dot to stuff\r\nThe message ends here.\r\n');
    const stored = await storeMessage(dir, body);
    await fs.appendFile(stored.bodyPath, packedTrailer({ id: stored.queueId, note: 'the entry state: must stay on disk' }));
    let reads = 0;
    const message = { ...stored, readBody: () => (reads++, files.read(stored.bodyPath, stored.size)) };

    const report = await deliverMessage(message, [destination(port), destination(second.port)], pools, testDeliveryOptions, clock);
    await files.close();

    assert.deepEqual(report.attempts.map((a) => a.outcome), ['deferred', 'delivered']);
    assert.equal(sha256(second.messages[0]!.data), sha256(body));
    assert.equal(reads, 1, 'read once, before the first connection; the second destination sends the same bytes');
  });

  it('moves on to the next destination after a 421 greeting', async () => {
    const busy = await server({ greeting: () => smtpError(421, 'Too busy, try later') });
    const second = await server();
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(busy.port), destination(second.port)], pools, testDeliveryOptions, clock);

    const first = report.attempts[0]!;
    assert.deepEqual(
      [first.stage, first.code, first.response, first.errorCode, first.outcome, first.remoteAddress, first.localAddress],
      ['connect', 421, '421 Too busy, try later', 'EPROTOCOL', 'deferred', '127.0.0.1', '127.0.0.1'],
    );
    assert.equal(report.attempts[1]?.outcome, 'delivered');
    assert.equal(report.recipients[0]?.outcome, 'delivered');
    assert.equal(busy.mailFromCalls.length, 0);
  });

  it('bounces on a 552 at the end of DATA with the exact reply, without trying the next destination', async () => {
    const full = await server({ endOfData: () => smtpError(552, '5.2.2 Mailbox full: alice (quota 10 MB)') });
    const second = await server();
    const message = await storeMessage(dir, 'Subject: big\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(full.port), destination(second.port)], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts.length, 1);
    const attempt = report.attempts[0]!;
    assert.deepEqual(
      [attempt.stage, attempt.code, attempt.enhancedCode, attempt.response, attempt.errorCode, attempt.outcome],
      ['data', 552, '5.2.2', '552 5.2.2 Mailbox full: alice (quota 10 MB)', 'EMESSAGE', 'bounced'],
    );
    assert.deepEqual(report.recipients[0], {
      address: 'alice@office.example',
      outcome: 'bounced',
      code: 552,
      enhancedCode: '5.2.2',
      response: '552 5.2.2 Mailbox full: alice (quota 10 MB)',
    });
    assert.equal(second.sessionsOpened, 0);
  });

  it('defers when the connection drops in the middle of DATA', async () => {
    const dropping = await server({ dropInData: true });
    const message = await storeMessage(dir, `Subject: dropped\r\n\r\n${'x'.repeat(200_000)}\r\n`);

    const report = await deliverMessage(message, [destination(dropping.port)], pools, testDeliveryOptions, clock);

    const attempt = report.attempts[0]!;
    assert.deepEqual([attempt.stage, attempt.outcome, attempt.code], ['data', 'deferred', null]);
    assert.ok(attempt.errorCode === 'ECONNECTION' || attempt.errorCode === 'ESOCKET', `errorCode ${attempt.errorCode}`);
    assert.ok((attempt.response ?? '').length > 0);
    assert.equal(report.recipients[0]?.outcome, 'deferred');
    assert.equal(dropping.messages.length, 0);
  });

  it('tries the next destination when the connection broke before any reply to the message', async () => {
    const dropping = await server({ dropInData: true });
    const second = await server();
    const message = await storeMessage(dir, 'Subject: retry\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(dropping.port), destination(second.port)], pools, testDeliveryOptions, clock);

    assert.deepEqual(
      report.attempts.map((a) => [a.stage, a.outcome]),
      [
        ['data', 'deferred'],
        ['done', 'delivered'],
      ],
    );
    assert.equal(second.messages.length, 1);
  });

  it('sends a body with bare LF and CR dot lines as ONE message (no SMTP smuggling)', async () => {
    const destinationServer = await server();
    const proxy = await RecordingProxy.start(destinationServer.port);
    try {
      // If these bare "\n.\n" and "\r.\r" went out as they are, a lenient receiver would end the message there
      // and run the smuggled commands as a second transaction.
      const smuggled = 'MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@office.example>\r\nDATA\r\nSpoofed\r\n';
      const body = `Subject: smuggle\r\n\r\nfirst\n.\n${smuggled}.\r\nsecond\r.\r${smuggled}.\r\nend\r\n`;
      const message = await storeMessage(dir, body);

      const report = await deliverMessage(message, [destination(proxy.port)], pools, testDeliveryOptions, clock);

      assert.equal(report.attempts[0]?.outcome, 'delivered');
      assert.equal(destinationServer.messages.length, 1);
      assert.equal(destinationServer.dataCalls, 1);
      assert.deepEqual(destinationServer.mailFromCalls, ['sender@example.org']);
      assert.deepEqual(destinationServer.rcptToCalls, ['alice@office.example']);
      // Bare CR and LF became CRLF (RFC 5321 2.3.8) and the dot lines were stuffed (4.5.2) and unstuffed again.
      const expected = body.replace(/\r\n|\r|\n/g, '\r\n');
      assert.equal(destinationServer.messages[0]?.data.toString('utf8'), expected);

      // On the wire: after DATA, no bare CR or LF, and the first lone dot line is the final one.
      const wire = proxy.clientBytes.toString('latin1');
      const dataStart = wire.indexOf('\r\nDATA\r\n') + '\r\nDATA\r\n'.length;
      const data = wire.slice(dataStart);
      assert.ok(data.length > body.length);
      assert.doesNotMatch(data, /\r(?!\n)|(?<!\r)\n/, 'no bare CR or LF on the wire');
      assert.equal(data.indexOf('\r\n.\r\n'), data.length - 5, 'the only lone dot line is the terminator');
    } finally {
      await pools.close();
      pools = new DestinationPools({ clock });
      await proxy.close();
    }
  });

  it('gives up on a server that accepts the connection but never greets, after connectTimeoutMs', async () => {
    const silent = net.createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');
      const started = Date.now();

      const report = await deliverMessage(message, [destination(port)], pools, { ...testDeliveryOptions, connectTimeoutMs: 300 }, clock);

      assert.ok(Date.now() - started < 2_000);
      const attempt = report.attempts[0]!;
      assert.deepEqual([attempt.stage, attempt.errorCode, attempt.outcome, attempt.localAddress], ['connect', 'ETIMEDOUT', 'deferred', '127.0.0.1']);
    } finally {
      silent.close();
      await pools.close();
      pools = new DestinationPools({ clock });
    }
  });

  it('gives up on a server that goes silent during DATA, after socketTimeoutMs', async () => {
    const stuck = await server({ neverAnswerData: true });
    const message = await storeMessage(dir, 'Subject: x\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(stuck.port)], pools, { ...testDeliveryOptions, socketTimeoutMs: 300 }, clock);

    const attempt = report.attempts[0]!;
    assert.deepEqual([attempt.stage, attempt.errorCode, attempt.outcome, attempt.code], ['data', 'ETIMEDOUT', 'deferred', null]);
  });

  for (const how of ['opened', 'read whole'] as const) {
    it(`defers every recipient when the stored body cannot be read (${how})`, async () => {
      const destinationServer = await server();
      const stored = await storeMessage(dir, 'x');
      await fs.rm(stored.bodyPath);
      const files = new FileThreads(dir, new DirectorySyncer(dir), createMemoryLogger());
      const message = how === 'opened' ? stored : { ...stored, readBody: () => files.read(stored.bodyPath, stored.size) };

      const report = await deliverMessage(message, [destination(destinationServer.port)], pools, testDeliveryOptions, clock);
      await files.close();

      assert.deepEqual(report.attempts, []);
      assert.equal(report.recipients[0]?.outcome, 'deferred');
      assert.match(report.recipients[0]?.response ?? '', /Cannot read the stored message: ENOENT/);
      assert.equal(destinationServer.sessionsOpened, 0);
    });
  }
});
