import net from 'node:net';
import tls from 'node:tls';
import type { z } from 'zod';
import type { certificateSchema, routeTlsSchema } from '../../contract/route-check-schema.js';

export type RouteTls = z.infer<typeof routeTlsSchema>;
type Certificate = z.infer<typeof certificateSchema>;

/** Plain words for the chain errors small-office servers hit most; the OpenSSL code is kept beside them. */
const CHAIN_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate (intermediate certificate missing?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not trusted on this computer',
};

/**
 * What the TLS session of a route test shows: protocol, cipher, the server's certificate and whether it
 * verifies. The session is opened without rejecting the certificate so that it can be shown even when it
 * fails; verification is then done here as tls.connect would do it: the chain (`authorized`) and the name
 * (checkServerIdentity against the configured host, RFC 6125).
 */
export function tlsReport(socket: tls.TLSSocket, host: string): RouteTls {
  const peer = socket.getPeerCertificate(false);
  const certificate = peer && Object.keys(peer).length > 0 ? describeCertificate(peer) : null;
  let verifyError: string | null = null;
  if (!socket.authorized) {
    const code = String(socket.authorizationError ?? 'UNKNOWN');
    verifyError = CHAIN_ERRORS[code] ? `${CHAIN_ERRORS[code]} (${code})` : code;
  } else if (peer) {
    const identity = tls.checkServerIdentity(host, peer);
    if (identity) verifyError = `${identity.message} (${(identity as NodeJS.ErrnoException).code ?? 'ERR_TLS_CERT_ALTNAME_INVALID'})`;
  }
  const cipher = socket.getCipher() as { name?: string } | null;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: cipher?.name ?? null,
    certificate,
    verified: verifyError === null,
    verifyError,
  };
}

/** The OpenSSL code in a verifyError, for the failure's `originalCode`. */
export function verifyErrorCode(verifyError: string): string {
  return /\(([A-Z0-9_]+)\)$/.exec(verifyError)?.[1] ?? verifyError;
}

function describeCertificate(peer: tls.PeerCertificate): Certificate {
  const subject = distinguishedName(peer.subject);
  const issuer = distinguishedName(peer.issuer);
  return {
    subject,
    issuer,
    subjectAltNames: (peer.subjectaltname ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    validFrom: isoDate(peer.valid_from),
    validTo: isoDate(peer.valid_to),
    fingerprint256: peer.fingerprint256,
    serialNumber: peer.serialNumber,
    selfSigned: subject === issuer,
  };
}

/** "CN=mail.example.com, O=Example" from Node's object form (a repeated field is an array). */
function distinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name as unknown as Record<string, string | string[]>)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${key}=${item}`))
    .join(', ');
}

/** OpenSSL's "Nov 27 23:00:00 2027 GMT" as ISO 8601; kept as is when it does not parse. */
function isoDate(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** True for a TLS socket (after STARTTLS nodemailer's `_socket` is one). */
export function isTlsSocket(socket: unknown): socket is tls.TLSSocket {
  return socket instanceof tls.TLSSocket || (socket instanceof net.Socket && typeof (socket as Partial<tls.TLSSocket>).getPeerCertificate === 'function');
}
