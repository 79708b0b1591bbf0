import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';
import { DnsTestServer } from '../../support-bounce/dns-test-server.js';

test('settings.dns.servers: the DNS check asks the configured server, changed without a restart; bad entries are refused', async (t) => {
  const dns = new DnsTestServer({ 'office.example': { mx: [{ preference: 10, exchange: 'mail.office.example' }], a: ['192.0.2.10'] }, 'mail.office.example': { a: ['192.0.2.10'] } });
  const server = await dns.start();
  t.after(() => dns.stop());
  const h = await startEngine(t); // no resolver option: the engine uses the settings

  await h.call('settings.update', { dns: { servers: [server] } });
  const result = await h.call('domains.checkDns', { name: 'office.example' });
  assert.deepEqual(result.mx.map((mx) => [mx.preference, mx.exchange]), [[10, 'mail.office.example']]);
  assert.ok(dns.queries.some((query) => query.name === 'office.example'), 'the loopback server was asked');

  const issues = await h.call('settings.update', { dns: { servers: ['dns.example.com'] } }).then(
    () => assert.fail('a host name is not a DNS server address'),
    (error: { error?: { issues?: { path: string; message: string }[] } }) => error.error?.issues ?? [],
  );
  assert.equal(issues[0]?.path, 'dns.servers.0');
  assert.match(issues[0]?.message ?? '', /IP address/);
  assert.deepEqual(h.engine.settings.dns.servers, [server], 'the valid list stays');
});

test('dns.servers accepts the forms the resolver takes, nothing else', async () => {
  const { dnsSchema } = await import('../../../electron/contract/settings-schema.js');
  for (const good of ['1.1.1.1', '192.168.1.1:53', '::1', '2001:db8::53', '[::1]:5353']) assert.ok(dnsSchema.safeParse({ servers: [good] }).success, good);
  for (const bad of ['dns.example.com', '1.1.1.1:0', '1.1.1.1:70000', '[1.1.1.1]:53', '::1:53x', '']) assert.ok(!dnsSchema.safeParse({ servers: [bad] }).success, bad);
});
