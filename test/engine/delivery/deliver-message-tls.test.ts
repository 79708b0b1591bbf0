import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Destination } from '../../../electron/contract/settings-schema.js';
import { deliverMessage } from '../../../electron/engine/delivery/deliver-message.js';
import { DestinationPools } from '../../../electron/engine/delivery/destination-pools.js';
import type { HostLookup } from '../../../electron/engine/delivery/open-smtp-session.js';
import { FakeClock } from '../../support/fake-clock.js';
import { makeTempDir, smtpError, storeMessage, testDeliveryOptions, testServers } from './smtp-test-server.js';
import { selfSignedOfficeCertificate } from '../../support/office-certificate.js';

/** Resolves the test name to the loopback address only: no DNS, no traffic beyond 127.0.0.1. */
const loopbackLookup: HostLookup = async (host) => {
  if (host === 'mx.office.test') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

describe('deliverMessage over STARTTLS and AUTH', () => {
  let dir: string;
  let key: string;
  let cert: string;
  const clock = new FakeClock();
  const servers = testServers();
  let pools: DestinationPools;

  const server = servers.start;

  function destination(port: number, fields: Partial<Destination> = {}): Destination {
    return { host: '127.0.0.1', port, tls: 'opportunistic', verifyCertificate: false, ...fields };
  }

  before(async () => {
    dir = await makeTempDir();
    ({ key, cert } = await selfSignedOfficeCertificate());
    pools = new DestinationPools({ clock, lookup: loopbackLookup });
  });

  after(async () => {
    await pools.close();
    await servers.closeAll();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('opportunistic: upgrades with STARTTLS to a self-signed server when the certificate is not checked', async () => {
    const tlsServer = await server({}, { key, cert });
    const message = await storeMessage(dir, 'Subject: tls\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(tlsServer.port, { host: 'mx.office.test' })], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts[0]?.outcome, 'delivered');
    assert.equal(report.attempts[0]?.destination, `mx.office.test:${tlsServer.port}`);
    assert.equal(report.attempts[0]?.remoteAddress, '127.0.0.1');
    assert.equal(tlsServer.messages[0]?.secure, true);
    assert.equal(tlsServer.messages[0]?.servername, 'mx.office.test', 'SNI carries the configured host name');
  });

  it('opportunistic: defers with a TLS error when the certificate is checked and not trusted', async () => {
    const tlsServer = await server({}, { key, cert });
    const message = await storeMessage(dir, 'Subject: tls\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(tlsServer.port, { host: 'mx.office.test', verifyCertificate: true })], pools, testDeliveryOptions, clock);

    const attempt = report.attempts[0]!;
    assert.deepEqual([attempt.stage, attempt.errorCode, attempt.outcome, attempt.code], ['tls', 'ETLS', 'deferred', null]);
    assert.match(attempt.response ?? '', /self-signed certificate/);
    assert.equal(attempt.remoteAddress, '127.0.0.1');
    assert.equal(attempt.localAddress, '127.0.0.1', 'the TCP connection was up before STARTTLS failed');
    assert.equal(report.recipients[0]?.outcome, 'deferred');
    assert.equal(tlsServer.mailFromCalls.length, 0, 'no fallback to plaintext');
  });

  it('opportunistic: sends in plaintext to a server that does not offer STARTTLS', async () => {
    const plainServer = await server({}, { disabledCommands: ['STARTTLS'] });
    const message = await storeMessage(dir, 'Subject: plain\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(plainServer.port)], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts[0]?.outcome, 'delivered');
    assert.equal(plainServer.messages[0]?.secure, false);
  });

  it('required: defers (does not bounce) when the server does not offer STARTTLS', async () => {
    const plainServer = await server({}, { disabledCommands: ['STARTTLS'] });
    const message = await storeMessage(dir, 'Subject: plain\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(plainServer.port, { tls: 'required' })], pools, testDeliveryOptions, clock);

    const attempt = report.attempts[0]!;
    assert.deepEqual([attempt.stage, attempt.errorCode, attempt.outcome], ['tls', 'ETLS', 'deferred']);
    assert.ok(attempt.code !== null && attempt.code >= 500, `the server's refusal of STARTTLS is kept: ${attempt.response}`);
    assert.equal(report.recipients[0]?.outcome, 'deferred', 'a refused STARTTLS refuses the session, not the message');
    assert.equal(plainServer.mailFromCalls.length, 0);
  });

  it('required: delivers over TLS when offered', async () => {
    const tlsServer = await server({}, { key, cert });
    const message = await storeMessage(dir, 'Subject: tls\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(tlsServer.port, { tls: 'required' })], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts[0]?.outcome, 'delivered');
    assert.equal(tlsServer.messages[0]?.secure, true);
  });

  it('none: stays in plaintext although STARTTLS is offered', async () => {
    const tlsServer = await server({}, { key, cert });
    const message = await storeMessage(dir, 'Subject: plain\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(tlsServer.port, { tls: 'none' })], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts[0]?.outcome, 'delivered');
    assert.equal(tlsServer.messages[0]?.secure, false);
  });

  it('logs in with the configured credentials', async () => {
    const authServer = await server(
      {},
      {
        key,
        cert,
        authOptional: false,
        authMethods: ['PLAIN', 'LOGIN'],
        onAuth(auth, _session, callback) {
          if (auth.username === 'relay' && auth.password === 's3cret') callback(null, { user: 'relay' });
          else callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        },
      },
    );
    const message = await storeMessage(dir, 'Subject: auth\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(authServer.port, { auth: { user: 'relay', pass: 's3cret' } })], pools, testDeliveryOptions, clock);

    assert.equal(report.attempts[0]?.outcome, 'delivered');
    assert.equal(authServer.messages[0]?.user, 'relay');
    assert.equal(authServer.messages[0]?.secure, true, 'AUTH went over TLS');
  });

  it('defers with stage auth on refused credentials and tries the next destination', async () => {
    const authServer = await server(
      {},
      {
        key,
        cert,
        authOptional: false,
        authMethods: ['PLAIN'],
        onAuth(_auth, _session, callback) {
          callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        },
      },
    );
    const second = await server({}, { disabledCommands: ['STARTTLS'] });
    const message = await storeMessage(dir, 'Subject: auth\r\n\r\nHello\r\n');
    const auth = { user: 'relay', pass: 'wrong' };

    const report = await deliverMessage(message, [destination(authServer.port, { auth }), destination(second.port)], pools, testDeliveryOptions, clock);

    const first = report.attempts[0]!;
    assert.deepEqual(
      [first.stage, first.code, first.enhancedCode, first.response, first.errorCode, first.outcome],
      ['auth', 535, '5.7.8', '535 5.7.8 Authentication credentials invalid', 'EAUTH', 'deferred'],
    );
    assert.equal(report.attempts[1]?.outcome, 'delivered');
  });

  it('defers with EDNS when the host name does not resolve', async () => {
    const message = await storeMessage(dir, 'Subject: dns\r\n\r\nHello\r\n');

    const report = await deliverMessage(message, [destination(25, { host: 'nowhere.office.test' })], pools, testDeliveryOptions, clock);

    const attempt = report.attempts[0]!;
    assert.deepEqual([attempt.stage, attempt.errorCode, attempt.outcome, attempt.remoteAddress], ['connect', 'EDNS', 'deferred', null]);
    assert.match(attempt.response ?? '', /ENOTFOUND nowhere\.office\.test/);
  });
});
