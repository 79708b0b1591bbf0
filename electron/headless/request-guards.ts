import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/**
 * Host header names this server answers to. Anything else is refused: a web page whose DNS name was
 * re-pointed at 127.0.0.1 (DNS rebinding) would otherwise count as same-origin and read the API.
 */
export function allowedHostHeaders(port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const hosts = new Set(names.map((name) => `${name}:${port}`));
  // Browsers leave the port out of Host (and Origin) when it is the scheme's default, 80 for http.
  if (port === 80) for (const name of names) hosts.add(name);
  return hosts;
}

/** The validated Host header in lower case, or undefined when missing or not one of ours. */
export function checkedHost(req: IncomingMessage, allowed: Set<string>): string | undefined {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.has(host) ? host : undefined;
}

/**
 * True when the request has no Origin (curl, scripts, same-origin GETs) or comes from a page this server
 * served. Browsers always send Origin on cross-site POSTs and on EventSource/fetch from other origins,
 * so this refuses every other web page even before the token check.
 */
export function isOwnOrigin(req: IncomingMessage, host: string): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin.toLowerCase() === `http://${host}`;
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Constant-time comparison. Hashing first gives both sides the same length, which timingSafeEqual needs,
 * without leaking the token's length through an early return.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
