import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import type { Settings } from '../../../electron/contract/settings-schema.js';
import { resolveBounceRoute } from '../../../electron/engine/bounce/resolve-bounce-route.js';
import { DnsTestServer } from '../../support-bounce/dns-test-server.js';

const relayOff: Settings['bounceRelay'] = { enabled: false, host: '', port: 25, tls: 'opportunistic', verifyCertificate: true };

const server = new DnsTestServer(
  {
    'example.org': {
      mx: [
        { preference: 20, exchange: 'backup.example.org' },
        { preference: 10, exchange: 'MX1.example.org.' },
        { preference: 30, exchange: 'mx1.example.org' },
      ],
    },
    'equal.example': {
      mx: [
        { preference: 10, exchange: 'a.equal.example' },
        { preference: 10, exchange: 'b.equal.example' },
        { preference: 5, exchange: 'first.equal.example' },
      ],
    },
    'implicit.example': { a: ['192.0.2.80'] },
    'implicit6.example': { aaaa: ['2001:db8::25'] },
    'nomail.example': { mx: [{ preference: 0, exchange: '.' }] },
    'noaddress.example': {},
    'office.example': {
      mx: [
        { preference: 10, exchange: 'mail.office.example' },
        { preference: 20, exchange: 'spool.office.example' },
        { preference: 30, exchange: 'third.office.example' },
      ],
    },
    'xn--bcher-kva.example': { mx: [{ preference: 10, exchange: 'mx.xn--bcher-kva.example' }] },
  },
  ['broken.example'],
);
let resolver: Resolver;

before(async () => {
  const address = await server.start();
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([address]);
});
after(async () => {
  await server.stop();
});

const hosts = (destinations: { host: string }[]): string[] => destinations.map((destination) => destination.host);
const notFound =
  (retryable: boolean, pattern: RegExp) =>
  (error: unknown): boolean =>
    error instanceof AppError && error.code === 'NOT_FOUND' && error.retryable === retryable && pattern.test(error.message);

describe('resolveBounceRoute', () => {
  it('orders the MX hosts by preference, once each, for port 25 with opportunistic TLS', async () => {
    const route = await resolveBounceRoute('sender@Example.ORG', relayOff, resolver);
    assert.deepEqual(route, [
      { host: 'mx1.example.org', port: 25, tls: 'opportunistic', verifyCertificate: false },
      { host: 'backup.example.org', port: 25, tls: 'opportunistic', verifyCertificate: false },
    ]);
  });

  it('orders hosts of equal preference by the injected random source', async () => {
    const ascending = [0.1, 0.9, 0.5];
    const route = await resolveBounceRoute('a@equal.example', relayOff, resolver, { random: () => ascending.shift() ?? 0 });
    assert.deepEqual(hosts(route), ['first.equal.example', 'a.equal.example', 'b.equal.example']);
    const descending = [0.9, 0.1, 0.5];
    const swapped = await resolveBounceRoute('a@equal.example', relayOff, resolver, { random: () => descending.shift() ?? 0 });
    assert.deepEqual(hosts(swapped), ['first.equal.example', 'b.equal.example', 'a.equal.example']);
  });

  it('falls back to the domain itself when it has an address but no MX (RFC 5321 5.1)', async () => {
    assert.deepEqual(hosts(await resolveBounceRoute('a@implicit.example', relayOff, resolver)), ['implicit.example']);
    assert.deepEqual(hosts(await resolveBounceRoute('a@implicit6.example', relayOff, resolver)), ['implicit6.example']);
  });

  it('refuses a domain with a null MX (RFC 7505), no address, or no existence, for good', async () => {
    await assert.rejects(resolveBounceRoute('a@nomail.example', relayOff, resolver), notFound(false, /accepts no mail/));
    await assert.rejects(resolveBounceRoute('a@noaddress.example', relayOff, resolver), notFound(false, /no MX record and no address/));
    await assert.rejects(resolveBounceRoute('a@missing.example', relayOff, resolver), notFound(false, /does not exist/));
  });

  it('reports a DNS server failure as retryable', async () => {
    await assert.rejects(resolveBounceRoute('a@broken.example', relayOff, resolver), notFound(true, /will try again later/));
  });

  it('uses only MX hosts better than this spool when it is one of them (RFC 5321 5.1)', async () => {
    const route = await resolveBounceRoute('a@office.example', relayOff, resolver, { localHostNames: ['Spool.Office.Example'] });
    assert.deepEqual(hosts(route), ['mail.office.example']);
    await assert.rejects(resolveBounceRoute('a@office.example', relayOff, resolver, { localHostNames: ['mail.office.example'] }), notFound(false, /best MX/));
  });

  it('looks up an internationalised domain in its ASCII form', async () => {
    assert.deepEqual(hosts(await resolveBounceRoute('kunde@bücher.example', relayOff, resolver)), ['mx.xn--bcher-kva.example']);
  });

  it('refuses the null sender and an address without a domain', async () => {
    await assert.rejects(resolveBounceRoute('', relayOff, resolver), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
    await assert.rejects(resolveBounceRoute('no-domain', relayOff, resolver), (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT');
  });
});

describe('resolveBounceRoute with the bounce relay', () => {
  // Points at a port nothing answers on: any DNS query would fail the test with a timeout error.
  const deadResolver = new Resolver({ timeout: 200, tries: 1 });
  deadResolver.setServers(['127.0.0.1:9']);

  it('sends every bounce through the relay, with its settings, without asking DNS', async () => {
    const relay: Settings['bounceRelay'] = { enabled: true, host: ' relay.example.net ', port: 587, tls: 'required', verifyCertificate: true, auth: { user: 'spool', pass: 'secret' } };
    const route = await resolveBounceRoute('sender@example.org', relay, deadResolver);
    assert.deepEqual(route, [{ host: 'relay.example.net', port: 587, tls: 'required', verifyCertificate: true, auth: { user: 'spool', pass: 'secret' } }]);
  });

  it('refuses an enabled relay without a host as a settings problem', async () => {
    await assert.rejects(resolveBounceRoute('sender@example.org', { ...relayOff, enabled: true }, deadResolver), (error: unknown) => error instanceof AppError && error.code === 'SETTINGS_INVALID');
  });
});
