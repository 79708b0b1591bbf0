import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { CheckDnsResult } from '../../../electron/contract/route-check-schema.js';
import { checkDns } from '../../../electron/engine/route-check/check-dns.js';
import { startEngine, type Harness } from '../../support/engine-harness.js';
import { DnsTestServer } from '../../support-bounce/dns-test-server.js';
import { closedPort } from '../delivery/smtp-test-server.js';

const SPOOL = 'spool.office.example';
const spoolZone = { a: ['192.0.2.25'] };
const mailZone = { a: ['192.0.2.10'], aaaa: ['2001:db8::10'] };

const dns = new DnsTestServer(
  {
    'good.example': { mx: [{ preference: 20, exchange: 'Spool.Office.Example.' }, { preference: 10, exchange: 'mail.good.example' }] },
    'mail.good.example': mailZone,
    [SPOOL]: spoolZone,
    'missing.example': { mx: [{ preference: 10, exchange: 'mail.good.example' }] },
    'only.example': { mx: [{ preference: 10, exchange: 'SPOOL.office.example.' }] },
    'above.example': { mx: [{ preference: 10, exchange: 'mail.good.example' }, { preference: 5, exchange: SPOOL }] },
    'tie.example': { mx: [{ preference: 10, exchange: 'mail.good.example' }, { preference: 10, exchange: SPOOL }] },
    'byaddress.example': { mx: [{ preference: 10, exchange: 'mail.good.example' }, { preference: 20, exchange: 'backup.byaddress.example' }] },
    'backup.byaddress.example': { a: ['127.0.0.1'] },
    'noaddress.example': { mx: [{ preference: 10, exchange: 'mail.good.example' }, { preference: 20, exchange: SPOOL }, { preference: 30, exchange: 'gone.noaddress.example' }] },
    'nomx.example': { a: ['192.0.2.80'] },
    'nullmx.example': { mx: [{ preference: 0, exchange: '.' }] },
  },
  ['broken.example'],
);
let dnsAddress: string;

before(async () => {
  dnsAddress = await dns.start();
});
after(() => dns.stop());

/** A real engine whose resolver asks the loopback DNS server, with this spool named spool.office.example. */
async function engineWithDns(t: TestContext): Promise<Harness> {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsAddress]);
  const harness = await startEngine(t, { resolver });
  await harness.call('settings.update', { listener: { hostname: SPOOL } });
  return harness;
}

const codes = (result: CheckDnsResult): string[] => result.warnings.map((warning) => warning.code);

describe('domains.checkDns through a real engine and a loopback DNS server', () => {
  it('lists the MX hosts by preference with their addresses, and finds the spool as a backup: no warning', async (t) => {
    const harness = await engineWithDns(t);

    const result = await harness.call('domains.checkDns', { name: 'Good.Example.' });

    assert.equal(result.ok, true, JSON.stringify(result.warnings));
    assert.equal(result.domain, 'good.example');
    assert.deepEqual(
      result.mx.map((host) => [host.preference, host.exchange, host.addresses, host.isThisSpool, host.matchedBy]),
      [
        [10, 'mail.good.example', ['192.0.2.10', '2001:db8::10'], false, null],
        [20, SPOOL, ['192.0.2.25'], true, 'name'],
      ],
    );
    assert.deepEqual([result.spool.hostname, result.spool.inMx, result.spool.preference, result.spool.primaryPreference], [SPOOL, true, 20, 10]);
    assert.ok(harness.logger.entries.some((entry) => entry.code === 'DNS_CHECKED' && entry.fields.domain === 'good.example'));
  });

  it('warns when the spool is missing from the MX hosts', async (t) => {
    const result = await (await engineWithDns(t)).call('domains.checkDns', { name: 'missing.example' });

    assert.deepEqual(codes(result), ['SPOOL_NOT_IN_MX']);
    assert.match(result.warnings[0]?.message ?? '', /Senders will never try this spool: .*add an MX record for missing\.example pointing to spool\.office\.example with a higher number than your primary \(mail\.good\.example, 10\), e\.g\. 20/i);
    assert.equal(result.spool.inMx, false);
  });

  it('warns when the spool is the only MX host (names compared without case and trailing dot)', async (t) => {
    const result = await (await engineWithDns(t)).call('domains.checkDns', { name: 'only.example' });

    assert.deepEqual(codes(result), ['SPOOL_ONLY_MX']);
    assert.deepEqual([result.spool.preference, result.spool.primaryPreference], [10, null]);
  });

  it('warns when the spool ranks above the primary, and when it ties with it', async (t) => {
    const harness = await engineWithDns(t);

    const above = await harness.call('domains.checkDns', { name: 'above.example' });
    assert.deepEqual(codes(above), ['SPOOL_OUTRANKS_PRIMARY']);
    assert.deepEqual(above.mx.map((host) => host.preference), [5, 10]);
    assert.match(above.warnings[0]?.message ?? '', /ranks above your primary mail\.good\.example \(10\)/);

    const tie = await harness.call('domains.checkDns', { name: 'tie.example' });
    assert.deepEqual(codes(tie), ['SPOOL_TIES_PRIMARY']);
  });

  it('recognises this machine by address when the MX host has another name', async (t) => {
    const result = await (await engineWithDns(t)).call('domains.checkDns', { name: 'byaddress.example' });

    assert.equal(result.ok, true, JSON.stringify(result.warnings));
    const backup = result.mx.find((host) => host.exchange === 'backup.byaddress.example');
    assert.deepEqual([backup?.isThisSpool, backup?.matchedBy], [true, 'address']);
    assert.deepEqual([result.spool.preference, result.spool.primaryPreference], [20, 10]);
  });

  it('warns about an MX host without an address', async (t) => {
    const result = await (await engineWithDns(t)).call('domains.checkDns', { name: 'noaddress.example' });

    assert.deepEqual(codes(result), ['MX_HOST_NO_ADDRESS']);
    assert.equal(result.mx[2]?.addressError, 'ENOTFOUND');
  });

  it('warns when the domain has no MX record (senders fall back to its address), a null MX, or does not exist', async (t) => {
    const harness = await engineWithDns(t);

    const nomx = await harness.call('domains.checkDns', { name: 'nomx.example' });
    assert.deepEqual(codes(nomx), ['NO_MX']);
    assert.deepEqual(nomx.fallbackAddresses, ['192.0.2.80']);
    assert.match(nomx.warnings[0]?.message ?? '', /no MX record: senders deliver to the domain's own address \(192\.0\.2\.80\)/);

    assert.deepEqual(codes(await harness.call('domains.checkDns', { name: 'nullmx.example' })), ['NULL_MX']);
    assert.deepEqual(codes(await harness.call('domains.checkDns', { name: 'nowhere.example' })), ['NXDOMAIN']);
  });

  it('reports SERVFAIL as a DNS failure', async (t) => {
    const result = await (await engineWithDns(t)).call('domains.checkDns', { name: 'broken.example' });

    assert.deepEqual(codes(result), ['DNS_FAILURE']);
    assert.match(result.warnings[0]?.message ?? '', /SERVFAIL/);
  });

  it('refuses a name that is not a domain', async (t) => {
    const harness = await engineWithDns(t);

    for (const name of ['', 'localhost', 'bad name.example']) {
      await assert.rejects(harness.call('domains.checkDns', { name }), (error: unknown) => (error as { error?: { code?: string } }).error?.code === 'INVALID_INPUT');
    }
    await assert.rejects(harness.call('domains.checkDns', { name: 'good.example', extra: 1 } as never), /INVALID_INPUT/);
  });
});

describe('checkDns with no DNS server answering', () => {
  it('reports the DNS server as unreachable', async () => {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([`127.0.0.1:${await closedPort()}`]);

    const result = await checkDns('good.example', { resolver, hostname: SPOOL, localAddresses: [] });

    assert.deepEqual(codes(result), ['DNS_UNREACHABLE']);
    assert.match(result.warnings[0]?.message ?? '', /No DNS server answered/);
  });
});
