import { domainToASCII, domainToUnicode } from 'node:url';
import type { Domain } from '../../contract/settings-schema.js';
import { replies, type SmtpReply } from './smtp-reply.js';

/**
 * Decides which recipients this MX accepts: only addresses in a configured, enabled office domain, and,
 * where the domain lists its users, only those. Anything else is refused at RCPT time, so the spool
 * never holds mail it would later have to bounce and never relays for anyone.
 */
export class RecipientPolicy {
  private readonly byAsciiName: Map<string, Domain>;
  /**
   * Domain part as written → its configured domain, or null. An outage backlog names the same few domains
   * thousands of times and the UTS #46 mapping was 1 % of intake; cleared when full, so a client walking
   * through made-up domains cannot grow it.
   */
  private readonly resolved = new Map<string, Domain | null>();
  /** Per domain that lists its users: their local parts, lower case (worked out once, not per RCPT). */
  private readonly listed = new Map<Domain, Set<string>>();

  constructor(domains: readonly Domain[]) {
    this.byAsciiName = new Map();
    for (const domain of domains) {
      const ascii = toAsciiDomain(domain.name);
      if (!domain.enabled || !ascii) continue;
      this.byAsciiName.set(ascii, domain);
      if (!domain.acceptAllRecipients) this.listed.set(domain, listedLocalParts(domain.recipients, ascii));
    }
  }

  /** The configured domain of an address, or the refusal to send. */
  check(address: string): { domain: Domain } | { refusal: SmtpReply } {
    const at = address.lastIndexOf('@');
    if (at <= 0 || at === address.length - 1) return { refusal: replies.badRecipientSyntax() };
    const localPart = address.slice(0, at);
    const domainPart = address.slice(at + 1);
    // Routing syntax inside the local part (percent hack, bang paths, RFC 5321 4.1.1.3 source routes,
    // quoted "@"): a downstream server could act on it and forward elsewhere, so it is a relay attempt.
    if (/[@%!:"\\]/.test(localPart) || localPart.startsWith('@')) return { refusal: replies.relayDenied() };
    // Literal addresses ([192.0.2.1]) and trailing dots never name an office domain.
    if (domainPart.startsWith('[') || domainPart.endsWith('.')) return { refusal: replies.relayDenied() };
    const domain = this.configuredDomain(domainPart);
    if (!domain) return { refusal: replies.relayDenied() };
    if (!domain.acceptAllRecipients && !this.listed.get(domain)?.has(localPart.toLowerCase())) {
      return { refusal: replies.unknownRecipient(address) };
    }
    return { domain };
  }

  private configuredDomain(domainPart: string): Domain | null {
    let domain = this.resolved.get(domainPart);
    if (domain !== undefined) return domain;
    const ascii = toAsciiDomain(domainPart);
    domain = (ascii && isCanonicalForm(domainPart, ascii) ? this.byAsciiName.get(ascii) : undefined) ?? null;
    if (this.resolved.size >= RESOLVED_DOMAINS_KEPT) this.resolved.clear();
    this.resolved.set(domainPart, domain);
    return domain;
  }
}

const RESOLVED_DOMAINS_KEPT = 1000;

/** Lower-case ASCII (A-label) form of a domain, or null if it is not a valid name (UTS #46 via node:url). */
export function toAsciiDomain(name: string): string | null {
  const ascii = domainToASCII(name.trim().toLowerCase());
  return ascii === '' ? null : ascii;
}

/**
 * UTS #46 maps many spellings onto one name: full-width letters, the ideographic full stop, soft hyphens
 * and other ignorable characters all turn into "example.com". Those are display-layer mappings, not valid
 * IDNA2008 names (RFC 5890, RFC 6531 3.2), so only the name as written is accepted: its A-label form or
 * its U-label form, in any letter case and in either Unicode composition (NFC is applied first).
 */
function isCanonicalForm(domainPart: string, ascii: string): boolean {
  const written = domainPart.normalize('NFC').toLowerCase();
  return written === ascii || written === domainToUnicode(ascii);
}

/** A domain's recipient list as local parts: `user`, or `user@domain` where the domain is this one (in any written form). */
function listedLocalParts(recipients: readonly string[], domainAscii: string): Set<string> {
  const localParts = new Set<string>();
  for (const entry of recipients) {
    const value = entry.trim().toLowerCase();
    const at = value.lastIndexOf('@');
    if (at === -1) localParts.add(value);
    else if (toAsciiDomain(value.slice(at + 1)) === domainAscii) localParts.add(value.slice(0, at));
  }
  return localParts;
}
