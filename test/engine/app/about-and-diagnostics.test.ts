import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactSecrets } from '../../../electron/engine/diagnostics/diagnostics-export.js';
import { startEngine } from '../../support/engine-harness.js';
import { sampleMessage, sendRaw } from '../../support/mail-peers.js';

test('app.info names the host, version and data folder the engine was given', async (t) => {
  const h = await startEngine(t, { appInfo: { host: 'desktop', version: '1.2.3', electronVersion: '45.5.0' } });
  const info = await h.call('app.info', {});
  assert.equal(info.name, 'MX Spool');
  assert.equal(info.version, '1.2.3');
  assert.equal(info.host, 'desktop');
  assert.equal(info.dataDir, h.dataDir);
  assert.equal(info.settingsFile, `${h.dataDir}/settings.json`.replaceAll('/', process.platform === 'win32' ? '\\' : '/'));
  assert.deepEqual(info.versions, { node: process.versions.node, electron: '45.5.0' });
  assert.equal(info.startedAt, new Date(h.clock.now()).toISOString());
});

test('app.openDataFolder uses the host\'s opener, and answers opened: false without one', async (t) => {
  const opened: string[] = [];
  const desktop = await startEngine(t, { openFolder: async (folder) => (opened.push(folder), true) });
  assert.deepEqual(await desktop.call('app.openDataFolder', {}), { opened: true, path: desktop.dataDir });
  assert.deepEqual(opened, [desktop.dataDir]);

  const failing = await startEngine(t, { openFolder: async () => Promise.reject(new Error('no file manager')) });
  assert.deepEqual(await failing.call('app.openDataFolder', {}), { opened: false, path: failing.dataDir });

  const service = await startEngine(t);
  assert.deepEqual(await service.call('app.openDataFolder', {}), { opened: false, path: service.dataDir });
});

test('diagnostics.export: one JSON file with settings minus passwords, the queue summary and the recent log', async (t) => {
  const h = await startEngine(t, { appInfo: { host: 'service', version: '0.1.0' } });
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 1, tls: 'none', auth: { user: 'spool', pass: 'office-Secret-4711' } }] });
  await h.call('settings.update', { bounceRelay: { enabled: true, host: '127.0.0.1', port: 2, auth: { user: 'relay', pass: 'relay-Secret-0815' } } });
  await sendRaw(h.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('diagnostics'));

  const exported = await h.call('diagnostics.export', {});
  assert.match(exported.fileName, /^mx-spool-diagnostics-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.json$/);
  assert.equal(exported.contentType, 'application/json');
  assert.doesNotMatch(exported.content, /office-Secret-4711|relay-Secret-0815/, 'no password leaves in the file');
  const document = JSON.parse(exported.content) as Record<string, unknown>;
  assert.equal(document['format'], 'mx-spool-diagnostics/1');
  assert.equal((document['app'] as { version: string }).version, '0.1.0');
  const settings = document['settings'] as { domains: { destinations: { auth: { user: string; pass: string } }[] }[]; bounceRelay: { auth: { user: string; pass: string } } };
  assert.deepEqual(settings.domains[0]!.destinations[0]!.auth, { user: 'spool', pass: '(set; not exported)' });
  assert.deepEqual(settings.bounceRelay.auth, { user: 'relay', pass: '(set; not exported)' });
  const queue = document['queue'] as { queued: number; domains: { domain: string; queued: number }[] };
  assert.equal(queue.queued, 1);
  assert.equal(queue.domains.find((domain) => domain.domain === 'example.com')?.queued, 1);
  assert.doesNotMatch(exported.content, /u@example\.com/, 'no addresses of queued mail');
  const log = document['log'] as string[];
  const loaded = log.findIndex((line) => / INFO SPOOL_LOADED /.test(line));
  const listening = log.findIndex((line) => / INFO SMTP_LISTENING /.test(line));
  assert.ok(loaded >= 0 && listening > loaded, `the recent log, oldest first:\n${log.join('\n')}`);
  assert.ok('listener' in document && 'alerts' in document);
});

test('redactSecrets replaces every secret-named value at any depth and keeps empty ones', () => {
  assert.deepEqual(redactSecrets({ a: { pass: 'x', list: [{ Password: 'y', user: 'u' }] }, token: '', secret: null, other: 'kept' }), {
    a: { pass: '(set; not exported)', list: [{ Password: '(set; not exported)', user: 'u' }] },
    token: '',
    secret: null,
    other: 'kept',
  });
});
