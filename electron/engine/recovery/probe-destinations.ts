import type { DeliveryOptions, Destination } from '../delivery/delivery-types.js';
import { openSmtpSession, systemHostLookup, type HostLookup } from '../delivery/open-smtp-session.js';
import { SmtpSessionError } from '../delivery/smtp-session-error.js';

/** What one probe round found: the first destination that answered, or the last failure. */
export interface ProbeOutcome {
  answered: boolean;
  /** host:port of the destination that answered, or of the last one tried. */
  destination: string;
  /** Reply code of the failure (e.g. 421 at the banner), null for a network error or success. */
  code: number | null;
  /** The server's reply or the network error text; null on success. */
  response: string | null;
  /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EDNS...), null on success. */
  errorCode: string | null;
}

/**
 * The lightest question that tells whether a server is back: connect, read the banner, EHLO, QUIT
 * (RFC 5321 3.1, 4.1.1.1, 4.1.1.10). No STARTTLS and no AUTH: the probe carries no mail, so it needs
 * neither, and a handshake per probe would cost the server more than the answer is worth. Tries the
 * destinations in order and stops at the first that answers with 2xx to both the banner and EHLO; a 4xx/5xx
 * banner (e.g. `421 Too many connections`) is not an answer. Never throws.
 */
export async function probeDestinations(destinations: Destination[], options: DeliveryOptions, lookup: HostLookup = systemHostLookup): Promise<ProbeOutcome> {
  let last: ProbeOutcome = { answered: false, destination: '', code: null, response: 'No mail server is configured for this domain', errorCode: null };
  for (const destination of destinations) {
    const label = `${destination.host}:${destination.port}`;
    // Only the plain handshake: tls 'none' keeps nodemailer from starting STARTTLS, no auth skips AUTH.
    const plain: Destination = { host: destination.host, port: destination.port, tls: 'none', verifyCertificate: false };
    try {
      const session = await openSmtpSession(plain, options, lookup);
      session.quit();
      return { answered: true, destination: label, code: null, response: null, errorCode: null };
    } catch (error) {
      const failure = SmtpSessionError.fromNodemailer(error, { stage: 'connect', remoteAddress: null, localAddress: null });
      last = { answered: false, destination: label, code: failure.code, response: failure.responseText, errorCode: failure.errorCode };
    }
  }
  return last;
}
