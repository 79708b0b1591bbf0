import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestRouteInput } from '../../../electron/contract/route-check-schema.js';
import { destinationSchema } from '../../../electron/contract/settings-schema.js';
import type { HostLookup } from '../../../electron/engine/delivery/open-smtp-session.js';
import { testRoute, type TestRouteOptions } from '../../../electron/engine/route-check/test-route.js';
import { closedPort, smtpError, testServers } from '../delivery/smtp-test-server.js';
import { selfSignedOfficeCertificate } from '../../support/office-certificate.js';

/** The test name resolves to the loopback address only: no DNS, no traffic beyond 127.0.0.1. */
const loopbackLookup: HostLookup = async (host) => {
  if (host === 'mx.office.test') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
const options: TestRouteOptions = { heloName: 'spool.office.test', connectTimeoutMs: 2_000, socketTimeoutMs: 5_000, lookup: loopbackLookup };

function input(port: number, fields: Partial<TestRouteInput['destination']> = {}, recipient = 'alice@office.test', sender?: string): TestRouteInput {
  return {
    destination: destinationSchema.parse({ host: 'mx.office.test', port, ...fields }),
    recipient,
    ...(sender === undefined ? {} : { sender }),
  };
}

const clientLines = (result: { transcript: { direction: string; text: string }[] }): string[] =>
  result.transcript.filter((entry) => entry.direction === 'client').map((entry) => entry.text);

describe('testRoute: a dry run against a real SMTP server', () => {
  const servers = testServers();
  let key: string;
  let cert: string;

  before(async () => {
    ({ key, cert } = await selfSignedOfficeCertificate());
  });
  after(() => servers.closeAll());

  it('goes through STARTTLS, MAIL and RCPT, shows the certificate, and delivers nothing', async () => {
    const server = await servers.start({}, { key, cert, banner: 'Office mail server' });

    const result = await testRoute(input(server.port), options);

    assert.equal(result.ok, true, JSON.stringify(result.failure));
    assert.equal(result.stage, 'done');
    assert.equal(result.failure, null);
    assert.deepEqual(
      result.steps.map((step) => [step.step, step.ok]),
      [
        ['resolve', true],
        ['connect', true],
        ['banner', true],
        ['ehlo', true],
        ['starttls', true],
        ['ehlo', true],
        ['mail', true],
        ['rcpt', true],
        ['rset', true],
        ['quit', true],
      ],
    );
    assert.equal(result.remoteAddress, '127.0.0.1');
    assert.equal(result.localAddress, '127.0.0.1');
    assert.equal(result.destination, `mx.office.test:${server.port}`);
    assert.ok(result.extensions.includes('PIPELINING'), result.extensions.join(','));
    assert.ok(!result.extensions.includes('STARTTLS'), 'the extensions in force are those offered over TLS');
    assert.match(result.steps[3]?.detail ?? '', /^Offers .*STARTTLS/);

    const tls = result.tls;
    assert.ok(tls?.certificate);
    assert.equal(tls.certificate.subject, 'CN=mx.office.test');
    assert.equal(tls.certificate.issuer, 'CN=mx.office.test');
    assert.equal(tls.certificate.selfSigned, true);
    assert.deepEqual(tls.certificate.subjectAltNames, ['DNS:mx.office.test']);
    assert.ok(Date.parse(tls.certificate.validTo) > Date.now(), tls.certificate.validTo);
    assert.match(tls.certificate.validTo, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(tls.certificate.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(tls.verified, false);
    assert.match(tls.verifyError ?? '', /self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    assert.match(tls.protocol ?? '', /^TLSv1\.[23]$/);
    assert.match(result.steps[4]?.detail ?? '', /certificate CN=mx\.office\.test issued by CN=mx\.office\.test, valid until \d{4}-/);

    assert.deepEqual(clientLines(result), ['EHLO spool.office.test', 'STARTTLS', 'EHLO spool.office.test', 'MAIL FROM:<>', 'RCPT TO:<alice@office.test>', 'RSET', 'QUIT']);
    assert.equal(result.transcript.find((entry) => entry.direction === 'server')?.text.startsWith('220 '), true);
    assert.deepEqual(server.mailFromCalls, ['']);
    assert.deepEqual(server.rcptToCalls, ['alice@office.test']);
    assert.equal(server.dataCalls, 0, 'DATA is never sent');
    assert.equal(server.messages.length, 0, 'nothing delivered');
    await waitFor(() => server.sessionsClosed === 1);
  });

  it('reports a refused recipient at rcpt with the exact reply, then RSET and QUIT', async () => {
    const server = await servers.start(
      { rcptTo: () => smtpError(550, '5.1.1 <nobody@office.test>: Recipient address rejected: User unknown in virtual mailbox table') },
      { disabledCommands: ['STARTTLS'] },
    );

    const result = await testRoute(input(server.port, {}, 'nobody@office.test', 'postmaster@spool.office.test'), options);

    const reply = '550 5.1.1 <nobody@office.test>: Recipient address rejected: User unknown in virtual mailbox table';
    assert.equal(result.ok, false);
    assert.equal(result.stage, 'rcpt');
    assert.deepEqual(result.failure, {
      stage: 'rcpt',
      code: 550,
      enhancedCode: '5.1.1',
      response: reply,
      errorCode: 'EENVELOPE',
      originalCode: null,
      message: `Recipient command failed: ${reply}`,
    });
    const rcpt = result.steps.find((step) => step.step === 'rcpt');
    assert.deepEqual([rcpt?.ok, rcpt?.detail], [false, reply]);
    assert.deepEqual(result.steps.slice(-2).map((step) => [step.step, step.ok]), [['rset', true], ['quit', true]]);
    assert.deepEqual(clientLines(result).slice(-4), ['MAIL FROM:<postmaster@spool.office.test>', 'RCPT TO:<nobody@office.test>', 'RSET', 'QUIT']);
    assert.equal(result.tls, null);
    assert.equal(server.dataCalls, 0);
  });

  it('keeps multi-line replies exactly, line by line', async (t) => {
    const banner = '220-mx.office.test ESMTP\n220-No UCE\n220 Welcome';
    const refusal = '550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient\'s email address for typos or\n550 5.1.1 unnecessary spaces. https://support.example/mail/?p=NoSuchUser';
    const server = await scriptedServer(banner.replaceAll('\n', '\r\n'), { RCPT: refusal.replaceAll('\n', '\r\n') });
    t.after(() => server.close());

    const result = await testRoute(input(server.port, { host: '127.0.0.1' }), options);

    const replies = result.transcript.filter((entry) => entry.direction === 'server').map((entry) => entry.text);
    assert.deepEqual(replies, [banner, '250-mx.office.test\n250-PIPELINING\n250 8BITMIME', '250 2.1.0 Ok', refusal, '250 2.0.0 Ok', '221 2.0.0 Bye']);
    assert.equal(result.steps[1]?.detail, banner);
    assert.equal(result.failure?.response, refusal);
    assert.deepEqual(result.extensions, ['PIPELINING', '8BITMIME']);
    assert.deepEqual(server.commands, ['EHLO spool.office.test', 'MAIL FROM:<>', 'RCPT TO:<alice@office.test>', 'RSET', 'QUIT']);
  });

  it('reports a refused connection at the connect stage', async () => {
    const port = await closedPort();

    const result = await testRoute(input(port, { host: '127.0.0.1' }), options);

    assert.equal(result.ok, false);
    assert.equal(result.stage, 'connect');
    assert.equal(result.failure?.originalCode, 'ECONNREFUSED');
    assert.match(result.failure?.response ?? '', /ECONNREFUSED 127\.0\.0\.1/);
    assert.deepEqual(
      result.steps.map((step) => [step.step, step.ok]),
      [['connect', false]],
    );
    assert.equal(result.remoteAddress, '127.0.0.1');
    assert.equal(result.localAddress, null);
  });

  it('reports a host name that does not resolve at the resolve step (EDNS)', async () => {
    const result = await testRoute(input(25, { host: 'nowhere.office.test' }), options);

    assert.deepEqual([result.ok, result.stage, result.failure?.errorCode, result.failure?.originalCode], [false, 'connect', 'EDNS', 'ENOTFOUND']);
    assert.deepEqual(result.steps.map((step) => [step.step, step.ok]), [['resolve', false]]);
  });

  it("fails at tls when TLS is required and the server offers no STARTTLS, and never sends MAIL FROM", async () => {
    const server = await servers.start({}, { disabledCommands: ['STARTTLS'] });

    const result = await testRoute(input(server.port, { tls: 'required' }), options);

    assert.equal(result.ok, false);
    assert.equal(result.stage, 'tls');
    assert.equal(result.failure?.errorCode, 'ETLS');
    assert.equal(result.failure?.code, result.failure?.response?.startsWith('5') ? Number(result.failure.response.slice(0, 3)) : null);
    const starttls = result.steps.find((step) => step.step === 'starttls');
    assert.equal(starttls?.ok, false);
    assert.equal(result.tls, null);
    assert.deepEqual(server.mailFromCalls, []);
    assert.equal(server.dataCalls, 0);
  });

  it('with "Check the server certificate" on, shows the refused certificate and stops before AUTH and MAIL', async () => {
    let authTried = false;
    const server = await servers.start({}, {
      key,
      cert,
      authOptional: true,
      authMethods: ['PLAIN'],
      onAuth(_auth, _session, callback) {
        authTried = true;
        callback(null, { user: 'x' });
      },
    });

    const result = await testRoute(input(server.port, { verifyCertificate: true, auth: { user: 'spool', pass: 'secret-1' } }), options);

    assert.deepEqual([result.ok, result.stage, result.failure?.errorCode, result.failure?.originalCode], [false, 'tls', 'ETLS', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
    assert.equal(result.tls?.certificate?.subject, 'CN=mx.office.test');
    assert.equal(result.steps.find((step) => step.step === 'starttls')?.ok, false);
    assert.equal(authTried, false, 'no credentials over an unverified connection');
    assert.deepEqual(server.mailFromCalls, []);
  });

  for (const method of ['PLAIN', 'LOGIN'] as const) {
    it(`logs in with AUTH ${method} and keeps the credentials out of the result`, async () => {
      const pass = 'Tr0ub4dor&3-horse';
      const server = await servers.start({}, {
        key,
        cert,
        authOptional: false,
        authMethods: [method],
        onAuth(auth, _session, callback) {
          if (auth.username === 'spool-user' && auth.password === pass) callback(null, { user: 'spool-user' });
          else callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        },
      });

      const result = await testRoute(input(server.port, { auth: { user: 'spool-user', pass } }), options);

      assert.equal(result.ok, true, JSON.stringify(result.failure));
      assert.equal(result.steps.find((step) => step.step === 'auth')?.ok, true);
      const text = JSON.stringify(result);
      for (const secret of [pass, b64(pass), b64(`\u0000spool-user\u0000${pass}`), b64('spool-user')]) {
        assert.equal(text.includes(secret), false, `found ${secret}`);
      }
      assert.ok(clientLines(result).some((line) => line === (method === 'PLAIN' ? 'AUTH PLAIN <credentials hidden>' : 'AUTH LOGIN')));
      assert.equal(server.dataCalls, 0);
    });
  }

  it('reports refused credentials at auth', async () => {
    const server = await servers.start({}, {
      key,
      cert,
      authOptional: false,
      authMethods: ['PLAIN'],
      onAuth(_auth, _session, callback) {
        callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
    });

    const result = await testRoute(input(server.port, { auth: { user: 'spool-user', pass: 'wrong-pass' } }), options);

    assert.deepEqual(
      [result.stage, result.failure?.code, result.failure?.enhancedCode, result.failure?.response, result.failure?.errorCode],
      ['auth', 535, '5.7.8', '535 5.7.8 Authentication credentials invalid', 'EAUTH'],
    );
    assert.equal(JSON.stringify(result).includes('wrong-pass'), false);
    assert.deepEqual(server.mailFromCalls, []);
  });
});

/** A scripted server that answers every command with one canned reply (multi-line ones as sent by Gmail). */
async function scriptedServer(banner: string, replies: Record<string, string>): Promise<{ port: number; commands: string[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const defaults: Record<string, string> = { EHLO: '250-mx.office.test\r\n250-PIPELINING\r\n250 8BITMIME', MAIL: '250 2.1.0 Ok', RCPT: '250 2.1.5 Ok', RSET: '250 2.0.0 Ok', QUIT: '221 2.0.0 Bye' };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.write(`${banner}\r\n`);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        commands.push(line);
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        socket.write(`${replies[verb] ?? defaults[verb] ?? '502 5.5.2 Command not recognized'}\r\n`);
        if (verb === 'QUIT') socket.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    commands,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
