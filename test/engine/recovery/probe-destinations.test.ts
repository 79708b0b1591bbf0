import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeliveryOptions } from '../../../electron/engine/delivery/delivery-types.js';
import { SmtpReply } from '../../../electron/engine/intake/smtp-reply.js';
import { probeDestinations } from '../../../electron/engine/recovery/probe-destinations.js';
import { closedPort, startDestination } from '../../support/mail-peers.js';

const options: DeliveryOptions = { heloName: 'spool.test', connectTimeoutMs: 2000, socketTimeoutMs: 2000, maxConnectionsPerDestination: 1, maxMessagesPerConnection: 1 };

test('tries the destinations in order and stops at the first that answers banner and EHLO; sends no mail', async (t) => {
  const commands: string[] = [];
  const up = await startDestination({
    onConnect: (_session, callback) => {
      commands.push('CONNECT');
      callback();
    },
    onMailFrom: (_address, _session, callback) => {
      commands.push('MAIL');
      callback();
    },
  });
  t.after(() => up.close());
  const spare = await startDestination({ onConnect: (_session, callback) => (commands.push('SPARE'), callback()) });
  t.after(() => spare.close());
  const down = await closedPort();
  const outcome = await probeDestinations(
    [
      { host: '127.0.0.1', port: down, tls: 'none', verifyCertificate: false },
      { host: '127.0.0.1', port: up.port, tls: 'required', verifyCertificate: true, auth: { user: 'u', pass: 'p' } },
      { host: '127.0.0.1', port: spare.port, tls: 'none', verifyCertificate: false },
    ],
    options,
  );
  assert.deepEqual(outcome, { answered: true, destination: `127.0.0.1:${up.port}`, code: null, response: null, errorCode: null });
  assert.deepEqual(commands, ['CONNECT'], 'no STARTTLS or AUTH needed (the server offers neither), no MAIL, the spare untouched');
  assert.equal(up.messages.length, 0);
});

test('a 421 banner, a refused EHLO and a closed port are not answers; the last failure is reported', async (t) => {
  const busy = await startDestination({ onConnect: (_session, callback) => callback(new SmtpReply(421, '4.7.0 Too many connections')) });
  t.after(() => busy.close());
  const busyOutcome = await probeDestinations([{ host: '127.0.0.1', port: busy.port, tls: 'none', verifyCertificate: false }], options);
  assert.equal(busyOutcome.answered, false);
  assert.equal(busyOutcome.code, 421);
  assert.equal(busyOutcome.response, '421 4.7.0 Too many connections');

  const noEhlo = await startDestination({ disabledCommands: ['AUTH', 'STARTTLS', 'EHLO', 'HELO'] });
  t.after(() => noEhlo.close());
  const ehloOutcome = await probeDestinations([{ host: '127.0.0.1', port: noEhlo.port, tls: 'none', verifyCertificate: false }], options);
  assert.equal(ehloOutcome.answered, false);
  assert.ok(ehloOutcome.code !== null && ehloOutcome.code >= 500, `EHLO refused: ${ehloOutcome.response}`);

  const down = await closedPort();
  const downOutcome = await probeDestinations([{ host: '127.0.0.1', port: down, tls: 'none', verifyCertificate: false }], options);
  assert.equal(downOutcome.answered, false);
  assert.equal(downOutcome.code, null);
  assert.equal(downOutcome.destination, `127.0.0.1:${down}`);
  assert.match(downOutcome.response ?? '', /ECONNREFUSED/);

  assert.equal((await probeDestinations([], options)).answered, false, 'no destination, no answer');
});
