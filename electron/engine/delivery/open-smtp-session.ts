import dns from 'node:dns';
import net from 'node:net';
import type { DeliveryOptions, Destination } from './delivery-types.js';
import { SmtpSession } from './smtp-session.js';
import { SmtpSessionError } from './smtp-session-error.js';

/** Resolves a host name to its addresses, in the order to try them. Injected so tests need no DNS. */
export type HostLookup = (host: string) => Promise<string[]>;

/** getaddrinfo (hosts file, then DNS A/AAAA), in the resolver's order. */
export const systemHostLookup: HostLookup = async (host) => {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
};

/**
 * Opens a session to one destination: resolves its host and tries each address in turn while the failure
 * is at the connect stage (refused, unreachable, timed out, or a 4xx/5xx greeting), as RFC 5321 5.1 asks
 * for the addresses of one host. A failure later on (STARTTLS, EHLO, AUTH) is the server's answer and ends
 * the search. Rejects with the SmtpSessionError of the last address tried.
 */
export async function openSmtpSession(destination: Destination, options: DeliveryOptions, lookup: HostLookup): Promise<SmtpSession> {
  const isLiteral = net.isIP(destination.host) !== 0;
  const addresses = isLiteral ? [destination.host] : await resolve(destination.host, options.connectTimeoutMs, lookup);
  let lastFailure: SmtpSessionError | null = null;
  for (const address of addresses) {
    try {
      return await SmtpSession.open({
        address,
        port: destination.port,
        servername: isLiteral ? null : destination.host,
        tls: destination.tls,
        verifyCertificate: destination.verifyCertificate,
        auth: destination.auth,
        heloName: options.heloName,
        connectTimeoutMs: options.connectTimeoutMs,
        socketTimeoutMs: options.socketTimeoutMs,
      });
    } catch (error) {
      lastFailure = SmtpSessionError.fromNodemailer(error, { stage: 'connect', remoteAddress: address, localAddress: null });
      if (lastFailure.stage !== 'connect') throw lastFailure;
    }
  }
  throw lastFailure ?? dnsFailure(`No address found for ${destination.host}`, null);
}

/** Looks the host up, bounded by the connect timeout as nodemailer bounds its own lookup (unit: ms). */
async function resolve(host: string, timeoutMs: number, lookup: HostLookup): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(dnsFailure(`DNS lookup of ${host} timed out after ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([lookup(host), timeout]);
  } catch (error) {
    if (error instanceof SmtpSessionError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw dnsFailure(error instanceof Error ? error.message : String(error), typeof code === 'string' ? code : null);
  } finally {
    clearTimeout(timer);
  }
}

/** A lookup failure under nodemailer's code for it, EDNS; the resolver's own code (ENOTFOUND...) kept beside it. */
function dnsFailure(message: string, originalCode: string | null): SmtpSessionError {
  return new SmtpSessionError(message, { stage: 'connect', errorCode: 'EDNS', originalCode, command: 'CONN', remoteAddress: null, localAddress: null });
}
