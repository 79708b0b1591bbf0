import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';
import { startDestination } from '../../support/mail-peers.js';

const SECRET = 'office-Secret-4711';
const RELAY_SECRET = 'relay-Secret-0815';

test('stored passwords never leave through the API, and "" sent back keeps them', async (t) => {
  const h = await startEngine(t);
  const saved = await h.call('domains.save', { name: 'example.com', destinations: [{ host: 'mail.example.com', port: 587, auth: { user: 'spool', pass: SECRET } }] });
  const updated = await h.call('settings.update', { bounceRelay: { enabled: true, host: 'smtp.example.net', auth: { user: 'relay', pass: RELAY_SECRET } } });
  const answers = [saved, updated, await h.call('domains.list', {}), await h.call('settings.get', {})];
  for (const answer of answers) assert.doesNotMatch(JSON.stringify(answer), new RegExp(`${SECRET}|${RELAY_SECRET}`), 'no password in any answer');
  assert.deepEqual(saved.domain.destinations[0]?.auth, { user: 'spool', pass: '' });
  assert.deepEqual(updated.bounceRelay.auth, { user: 'relay', pass: '' });

  // The admin app sends back what it was given: the stored passwords stay.
  const listed = (await h.call('domains.list', {})).items[0]!;
  await h.call('domains.save', { ...listed, destinations: [{ ...listed.destinations[0]!, maxConnections: 3 }] });
  await h.call('settings.update', { bounceRelay: { ...(await h.call('settings.get', {})).bounceRelay, port: 587 } });
  assert.equal(h.engine.settings.domains[0]?.destinations[0]?.auth?.pass, SECRET);
  assert.equal(h.engine.settings.domains[0]?.destinations[0]?.maxConnections, 3);
  assert.equal(h.engine.settings.bounceRelay.auth?.pass, RELAY_SECRET);

  // A new password replaces it; a server moved to another port in the same place keeps it.
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: 'mail.example.com', port: 25, auth: { user: 'spool', pass: '' } }] });
  assert.equal(h.engine.settings.domains[0]?.destinations[0]?.auth?.pass, SECRET, 'same place, same user: kept');
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: 'mail.example.com', port: 25, auth: { user: 'spool', pass: 'new-one' } }] });
  assert.equal(h.engine.settings.domains[0]?.destinations[0]?.auth?.pass, 'new-one');
});

test('"" with no password stored for that user and server is refused at the field', async (t) => {
  const h = await startEngine(t);
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: 'mail.example.com', auth: { user: 'spool', pass: SECRET } }] });
  const refusals = [
    () => h.call('domains.save', { name: 'example.org', destinations: [{ host: 'mail.example.org', auth: { user: 'spool', pass: '' } }] }),
    () => h.call('domains.save', { name: 'example.com', destinations: [{ host: 'mail.example.com', auth: { user: 'someone-else', pass: '' } }] }),
    () => h.call('settings.update', { bounceRelay: { enabled: true, host: 'smtp.example.net', auth: { user: 'relay', pass: '' } } }),
  ];
  const paths = [];
  for (const attempt of refusals) {
    const error = await attempt().then(
      () => assert.fail('expected INVALID_INPUT'),
      (caught: { error?: { code: string; issues?: { path: string }[] } }) => caught.error,
    );
    assert.equal(error?.code, 'INVALID_INPUT');
    paths.push(error?.issues?.[0]?.path);
  }
  assert.deepEqual(paths, ['destinations.0.auth.pass', 'destinations.0.auth.pass', 'bounceRelay.auth.pass']);
  assert.equal(h.engine.settings.domains[0]?.destinations[0]?.auth?.pass, SECRET, 'nothing changed');
});

test('domains.testRoute with "" logs in with the stored password of that server', async (t) => {
  const logins: string[] = [];
  const server = await startDestination({
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    allowInsecureAuth: true,
    authMethods: ['PLAIN'],
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password}`);
      if (auth.password === SECRET) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
  });
  t.after(() => server.close());
  const h = await startEngine(t);
  const destination = { host: '127.0.0.1', port: server.port, tls: 'none' as const, auth: { user: 'spool', pass: SECRET } };
  await h.call('domains.save', { name: 'example.com', destinations: [destination] });

  const stored = await h.call('domains.testRoute', { destination: { ...destination, auth: { user: 'spool', pass: '' } }, recipient: 'u@example.com' });
  assert.equal(stored.ok, true, JSON.stringify(stored.failure));
  const unknownUser = await h.call('domains.testRoute', { destination: { ...destination, auth: { user: 'nobody', pass: '' } }, recipient: 'u@example.com' });
  assert.equal(unknownUser.ok, false, 'no stored password for that user: the test fails at AUTH');
  assert.equal(unknownUser.stage, 'auth');
  assert.deepEqual(logins, [`spool:${SECRET}`], 'the stored password went only to its own user');
  assert.doesNotMatch(JSON.stringify([stored, unknownUser]), new RegExp(SECRET));
});
