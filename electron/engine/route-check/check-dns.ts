import type { Resolver } from 'node:dns/promises';
import { domainToASCII } from 'node:url';
import type { CheckDnsResult, DnsWarningCode } from '../../contract/route-check-schema.js';

export interface CheckDnsOptions {
  resolver: Resolver;
  /** This spool's host name: listener.hostname, else the computer's name. */
  hostname: string;
  /** This machine's addresses (os.networkInterfaces()), to recognise an MX host published under another name. */
  localAddresses: readonly string[];
}

type Warning = CheckDnsResult['warnings'][number];
type MxHost = CheckDnsResult['mx'][number];

/**
 * What senders see when they look up where to deliver mail for `name` (RFC 5321 5.1): its MX records by
 * preference, each host's addresses, and whether this spool is among them as a backup, that is with a
 * higher preference number than the office's primary server. Problems come back as warnings in plain
 * words; only a bug throws.
 */
export async function checkDns(name: string, options: CheckDnsOptions): Promise<CheckDnsResult> {
  const domain = domainToASCII(normaliseHost(name)) || normaliseHost(name);
  const hostname = normaliseHost(options.hostname);
  const localAddresses = new Set(options.localAddresses.map(normaliseAddress));
  const spool: CheckDnsResult['spool'] = { hostname, addresses: [...localAddresses], inMx: false, preference: null, primaryPreference: null };
  const result = (fields: Partial<CheckDnsResult>, warnings: Warning[]): CheckDnsResult => ({
    domain,
    mx: [],
    fallbackAddresses: [],
    spool,
    ...fields,
    warnings,
    ok: warnings.length === 0,
  });

  let records: { priority: number; exchange: string }[];
  try {
    records = await options.resolver.resolveMx(domain);
  } catch (error) {
    const code = dnsCode(error);
    if (code !== 'ENODATA') return result({}, [lookupWarning(code, domain)]);
    records = [];
  }

  if (records.length === 0) {
    const fallbackAddresses = await addressesOf(domain, options.resolver);
    return result({ fallbackAddresses: fallbackAddresses.addresses }, [
      warning(
        'NO_MX',
        `${domain} has no MX record: senders deliver to the domain's own address (${fallbackAddresses.addresses.join(', ') || 'none found'}) and never try this spool. ` +
          `Add an MX record for your office server with a low number (e.g. 10) and one for ${hostname} with a higher number (e.g. 20).`,
      ),
    ]);
  }

  // RFC 7505: the single record "0 ." says the domain accepts no mail at all (c-ares gives the root as "").
  const published = records.map((record) => ({ preference: record.priority, exchange: normaliseHost(record.exchange) }));
  if (published.every((record) => record.exchange === '')) {
    return result({}, [warning('NULL_MX', `${domain} publishes a null MX (RFC 7505): it says it accepts no mail at all, so senders never try any server, this spool included.`)]);
  }

  const mx: MxHost[] = await Promise.all(
    published
      .filter((record) => record.exchange !== '')
      .sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange))
      .map(async (record) => {
        const found = await addressesOf(record.exchange, options.resolver);
        const byName = record.exchange === hostname;
        const byAddress = !byName && found.addresses.some((address) => localAddresses.has(normaliseAddress(address)));
        return {
          preference: record.preference,
          exchange: record.exchange,
          addresses: found.addresses,
          addressError: found.addresses.length === 0 ? (found.error ?? 'ENODATA') : null,
          isThisSpool: byName || byAddress,
          matchedBy: byName ? 'name' : byAddress ? 'address' : null,
        } satisfies MxHost;
      }),
  );

  const own = mx.filter((host) => host.isThisSpool);
  const others = mx.filter((host) => !host.isThisSpool);
  const preference = own.length === 0 ? null : Math.min(...own.map((host) => host.preference));
  const primaryPreference = others.length === 0 ? null : Math.min(...others.map((host) => host.preference));
  Object.assign(spool, { inMx: own.length > 0, preference, primaryPreference });

  const warnings: Warning[] = [];
  const primary = others.find((host) => host.preference === primaryPreference)?.exchange;
  if (preference === null) {
    const suggestion = primaryPreference === null ? 20 : primaryPreference + 10;
    warnings.push(
      warning(
        'SPOOL_NOT_IN_MX',
        `Senders will never try this spool: ${hostname} is not among the MX hosts of ${domain}. ` +
          `Add an MX record for ${domain} pointing to ${hostname} with a higher number than your primary (${primary ?? 'none'}, ${primaryPreference ?? '-'}), e.g. ${suggestion}.` +
          (hostname.includes('.') ? '' : ` "${hostname}" is this computer's local name: set the listener host name (Settings) to the spool's public name first.`),
      ),
    );
  } else if (primaryPreference === null) {
    warnings.push(
      warning(
        'SPOOL_ONLY_MX',
        `This spool is the only MX host of ${domain}: all its mail comes here first, and the office server receives only what this spool forwards. ` +
          `Add an MX record for your office server with a lower number than ${preference} so that senders try it first.`,
      ),
    );
  } else if (preference < primaryPreference) {
    warnings.push(
      warning(
        'SPOOL_OUTRANKS_PRIMARY',
        `This spool (${preference}) ranks above your primary ${primary ?? ''} (${primaryPreference}): senders try the spool first and mail takes a detour. ` +
          `Give ${hostname} a higher number than ${primaryPreference}, e.g. ${primaryPreference + 10}.`,
      ),
    );
  } else if (preference === primaryPreference) {
    warnings.push(
      warning(
        'SPOOL_TIES_PRIMARY',
        `This spool has the same number (${preference}) as your primary ${primary ?? ''}: senders pick one of the two at random (RFC 5321 5.1), so about half the mail takes a detour through the spool. ` +
          `Give ${hostname} a higher number, e.g. ${primaryPreference + 10}.`,
      ),
    );
  }
  for (const host of mx) {
    if (host.addressError === null) continue;
    warnings.push(warning('MX_HOST_NO_ADDRESS', `The MX host ${host.exchange} has no address (DNS ${host.addressError}): senders cannot deliver to it.`));
  }
  return result({ mx }, warnings);
}

/** A and AAAA of a host, asked together; the error code is kept when neither gave an address. */
async function addressesOf(host: string, resolver: Resolver): Promise<{ addresses: string[]; error: string | null }> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
  const failed = [v4, v6].find((lookup): lookup is PromiseRejectedResult => lookup.status === 'rejected' && dnsCode(lookup.reason) !== 'ENODATA');
  return { addresses, error: failed ? (dnsCode(failed.reason) ?? 'error') : null };
}

function lookupWarning(code: string | undefined, domain: string): Warning {
  switch (code) {
    case 'ENOTFOUND':
      return warning('NXDOMAIN', `${domain} does not exist in DNS (NXDOMAIN): check the spelling, or register the domain and publish its MX records.`);
    case 'ESERVFAIL':
    case 'EREFUSED':
    case 'EBADRESP':
    case 'EFORMERR':
      return warning('DNS_FAILURE', `The DNS server could not answer for ${domain} (${code === 'ESERVFAIL' ? 'SERVFAIL' : code}): the domain's name servers may be down or misconfigured. Try again later.`);
    default:
      return warning('DNS_UNREACHABLE', `No DNS server answered the question for ${domain} (${code ?? 'unknown error'}): check this computer's network and DNS settings.`);
  }
}

function warning(code: DnsWarningCode, message: string): Warning {
  return { code, message };
}

function dnsCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Host names compare case-insensitively, without the root's trailing dot. */
function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/** "::ffff:192.0.2.1" and "192.0.2.1" are the same machine; IPv6 compares lowercase. */
function normaliseAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1').replace(/%.*$/, '');
}
