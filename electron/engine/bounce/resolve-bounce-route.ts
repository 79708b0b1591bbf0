import type { MxRecord } from 'node:dns';
import type { Resolver } from 'node:dns/promises';
import { domainToASCII } from 'node:url';
import { AppError } from '../../contract/app-error.js';
import type { Destination, Settings } from '../../contract/settings-schema.js';
import { shouldBounce } from './should-bounce.js';

export type BounceRelaySettings = Settings['bounceRelay'];

export interface BounceRouteOptions {
  /**
   * Our own host names, lowercase. RFC 5321 5.1: an MTA that finds itself among a domain's MX hosts
   * must use only the hosts with a better (lower) preference, or mail would loop back to it.
   */
  localHostNames?: readonly string[] | undefined;
  /** Orders MX hosts of equal preference (RFC 5321 5.1 asks for random order); inject for repeatable tests. */
  random?: (() => number) | undefined;
}

/** Internet mail to MX hosts: port 25 (RFC 5321 4.5.4 / 5.1), STARTTLS when offered, no certificate check (most MX certificates would fail it). */
const MX_PORT = 25;

/**
 * Where to deliver a bounce for `senderAddress`, in the order to try: the bounce relay when it is
 * enabled, else the sender domain's MX hosts by preference, else the domain itself when it has no MX
 * but an address (the implicit MX of RFC 5321 5.1).
 *
 * Errors are AppError NOT_FOUND; `retryable` says whether asking again later can help (a DNS timeout)
 * or not (the domain does not exist, or publishes a null MX: RFC 7505).
 */
export async function resolveBounceRoute(
  senderAddress: string,
  relay: BounceRelaySettings,
  resolver: Resolver,
  options: BounceRouteOptions = {},
): Promise<Destination[]> {
  if (!shouldBounce(senderAddress)) {
    throw new AppError('INVALID_INPUT', 'No bounce is sent to the null sender <> (RFC 5321 4.5.5)');
  }
  if (relay.enabled) return [relayDestination(relay)];

  const domain = senderDomain(senderAddress);
  let records: MxRecord[];
  try {
    records = await resolver.resolveMx(domain);
  } catch (error) {
    if (dnsCode(error) === 'ENODATA') return implicitMx(domain, resolver);
    throw dnsFailure(error, domain, 'MX records');
  }
  if (records.length === 0) return implicitMx(domain, resolver);

  // RFC 7505 3: a null MX is the single record "0 ." (c-ares reports the root as an empty name).
  const hosts = records.map((record) => ({ preference: record.priority, host: normaliseHost(record.exchange) }));
  const usable = hosts.filter((entry) => entry.host !== '');
  if (usable.length === 0) {
    throw new AppError('NOT_FOUND', `The domain ${domain} accepts no mail (it publishes a null MX, RFC 7505): the bounce cannot be delivered`);
  }

  const local = new Set((options.localHostNames ?? []).map(normaliseHost));
  const ownPreference = Math.min(...usable.filter((entry) => local.has(entry.host)).map((entry) => entry.preference));
  const better = usable.filter((entry) => entry.preference < ownPreference);
  if (better.length === 0) {
    throw new AppError('NOT_FOUND', `This spool is the best MX host of ${domain}: deliver its bounces through the domain's mail server settings instead`);
  }

  const random = options.random ?? Math.random;
  const ordered = better
    .map((entry) => ({ ...entry, tieBreak: random() }))
    .sort((a, b) => a.preference - b.preference || a.tieBreak - b.tieBreak);
  const seen = new Set<string>();
  const destinations: Destination[] = [];
  for (const { host } of ordered) {
    if (seen.has(host)) continue;
    seen.add(host);
    destinations.push(mxDestination(host));
  }
  return destinations;
}

function relayDestination(relay: BounceRelaySettings): Destination {
  const host = relay.host.trim();
  if (host === '') {
    throw new AppError('SETTINGS_INVALID', 'The bounce relay is enabled but has no host: enter one or turn the relay off', {
      issues: [{ path: 'bounceRelay.host', message: 'Enter the relay host or turn the relay off' }],
    });
  }
  return { host, port: relay.port, tls: relay.tls, verifyCertificate: relay.verifyCertificate, ...(relay.auth ? { auth: relay.auth } : {}) };
}

function mxDestination(host: string): Destination {
  return { host, port: MX_PORT, tls: 'opportunistic', verifyCertificate: false };
}

/** RFC 5321 5.1: no MX records, but an A or AAAA record: the domain itself is the mail host. */
async function implicitMx(domain: string, resolver: Resolver): Promise<Destination[]> {
  const lookups = await Promise.allSettled([resolver.resolve4(domain), resolver.resolve6(domain)]);
  if (lookups.some((lookup) => lookup.status === 'fulfilled' && lookup.value.length > 0)) return [mxDestination(domain)];
  const temporary = lookups.find((lookup): lookup is PromiseRejectedResult => lookup.status === 'rejected' && !isPermanentDnsCode(dnsCode(lookup.reason)));
  if (temporary) throw dnsFailure(temporary.reason, domain, 'address');
  throw new AppError('NOT_FOUND', `The domain ${domain} has no MX record and no address (A/AAAA): the bounce cannot be delivered`);
}

/** The part after the last @, in the ASCII form DNS needs (IDNA, e.g. bücher.example → xn--bcher-kva.example). */
function senderDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : domainToASCII(normaliseHost(address.slice(at + 1).replace(/>$/, '')));
  if (domain === '') throw new AppError('INVALID_INPUT', `"${address}" has no valid domain to return the bounce to`);
  return domain;
}

function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function dnsCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** NXDOMAIN (ENOTFOUND) and "no such record" (ENODATA) are answers; anything else (timeout, SERVFAIL) may pass. */
function isPermanentDnsCode(code: string | undefined): boolean {
  return code === 'ENOTFOUND' || code === 'ENODATA';
}

function dnsFailure(error: unknown, domain: string, lookup: 'MX records' | 'address'): AppError {
  const code = dnsCode(error) ?? 'unknown error';
  if (code === 'ENOTFOUND') {
    return new AppError('NOT_FOUND', `The domain ${domain} does not exist (DNS NXDOMAIN): the bounce cannot be delivered`, { cause: error });
  }
  return new AppError('NOT_FOUND', `Could not look up the ${lookup} of ${domain} (DNS ${code}); will try again later`, { retryable: true, cause: error });
}
