import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { acceptsConnections, closedPort, sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { spawnService, startService } from '../support/headless-service.js';
import { tempDir } from '../support/temp-dir.js';

test('npm run serve: prints the admin URL, serves the API with the token, stops gracefully on SIGTERM keeping queued mail', async (t) => {
  const dataDir = await tempDir(t);
  const destination = await startDestination();
  const downPort = destination.port;
  await destination.close(); // office server down: mail stays queued
  const service = await startService(t, dataDir);
  const { url, smtpPort, token } = service;
  if (process.platform !== 'win32') assert.equal((await stat(path.join(dataDir, 'admin-token'))).mode & 0o777, 0o600);

  const wrongToken = await fetch(`${url}/api/stats.summary`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{}' });
  assert.equal(wrongToken.status, 401);
  const saved = await service.call('domains.save', { name: 'example.com', enabled: true, destinations: [{ host: '127.0.0.1', port: downPort, tls: 'opportunistic', verifyCertificate: false }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const invalid = await service.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 70000 }] });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error?.issues?.[0]?.path, 'destinations.0.port');

  // Live events: the stream (token in the query, as EventSource sends it) reports the new mail.
  const events = await fetch(`${url}/api/events?token=${encodeURIComponent(token)}`);
  assert.equal(events.status, 200);
  const reader = events.body!.getReader();
  let streamed = '';
  const sawQueueChanged = (async () => {
    while (!/event: queue\.changed\ndata: .*"example\.com"/.test(streamed)) {
      const { value, done } = await reader.read();
      if (done) break;
      streamed += new TextDecoder().decode(value);
    }
  })();
  await sendRaw(smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('service'));
  await Promise.race([sawQueueChanged, new Promise((_, reject) => setTimeout(() => reject(new Error(`no queue.changed event: ${streamed}`)), 5000))]);
  await reader.cancel();
  const listed = await service.call('queue.list', { domain: 'example.com' });
  assert.equal(listed.body.value?.total, 1);

  service.child.kill('SIGTERM');
  assert.equal(await service.exit, 0, service.output());
  assert.match(service.output(), /ENGINE_STOPPED queued=1/);

  // Restarted, the message is still there.
  const again = await startService(t, dataDir);
  assert.equal((await again.call('queue.list', {})).body.value?.total, 1);
  again.child.kill('SIGTERM');
  assert.equal(await again.exit, 0);
});

test('a corrupt settings file stops the service with the field named and the file unchanged', async (t) => {
  const dataDir = await tempDir(t);
  const settingsPath = path.join(dataDir, 'settings.json');
  const bad = JSON.stringify({ listener: { port: 'twenty-five' } });
  await writeFile(settingsPath, bad);
  const service = spawnService(t, ['--data-dir', dataDir, '--smtp-port', '0', '--admin-port', '0']);
  assert.equal(await service.exit, 78);
  assert.match(service.output(), /listener\.port/);
  assert.equal(await readFile(settingsPath, 'utf8'), bad);
});

test('a busy SMTP port gives a clear message and exit code 69', async (t) => {
  const dataDir = await tempDir(t);
  const busy = await startDestination();
  t.after(() => busy.close());
  const service = spawnService(t, ['--data-dir', dataDir, '--smtp-host', '127.0.0.1', '--smtp-port', String(busy.port), '--admin-port', '0']);
  assert.equal(await service.exit, 69);
  assert.match(service.output(), /already in use/i);
});

test('--wait-for-domain: no SMTP until the first domain is saved through the API; app.info names the service and its version', async (t) => {
  const dataDir = await tempDir(t);
  const smtpPort = await closedPort();
  const service = await startService(t, dataDir, {}, ['--wait-for-domain', '--smtp-port', String(smtpPort)]);
  assert.match(service.output(), /SMTP listener: not started until the first domain is added/);
  assert.equal(await acceptsConnections(smtpPort), false);
  const summary = (await service.call('stats.summary', {})).body.value as unknown as { listener: { waitingForDomain: boolean } };
  assert.equal(summary.listener.waitingForDomain, true);

  assert.equal((await service.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1 }] })).status, 200);
  assert.equal(await acceptsConnections(smtpPort), true);
  await sendRaw(smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('first domain'));

  const info = (await service.call('app.info', {})).body.value as unknown as { host: string; version: string; dataDir: string };
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.deepEqual({ host: info.host, version: info.version, dataDir: info.dataDir }, { host: 'service', version, dataDir });
});

