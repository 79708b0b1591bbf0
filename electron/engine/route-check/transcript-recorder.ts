import { format } from 'node:util';
import type { TranscriptEntry } from '../../contract/route-check-schema.js';

/** Placeholder for AUTH credentials in the transcript. */
export const HIDDEN = '<credentials hidden>';

/**
 * Collects a route test's transcript from nodemailer's bunyan-style logger with `transactionLog` on: every
 * command (`tnx: 'client'`) and reply (`tnx: 'server'`, a multi-line reply as one entry, its lines joined by
 * LF exactly as nodemailer reassembled them) plus nodemailer's info, warn and error notes. Debug notes
 * other than the traffic (DNS cache, "handshake finished") are dropped.
 *
 * While `hideCredentials` is on (the AUTH exchange), client lines keep only the AUTH verb and mechanism:
 * nodemailer already masks the password, but its masked forms are base64 an admin cannot read and AUTH
 * LOGIN still carries the user name.
 */
export class TranscriptRecorder {
  readonly entries: TranscriptEntry[] = [];
  hideCredentials = false;

  /** @param elapsedMs ms since the start of the test */
  constructor(readonly elapsedMs: () => number) {}

  add(direction: TranscriptEntry['direction'], text: string): void {
    this.entries.push({ direction, text, atMs: this.elapsedMs() });
  }

  /** The object to pass as nodemailer's `logger` option. */
  logger(): Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (...args: unknown[]) => void> {
    const entry =
      (level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') =>
      (data: unknown, message?: unknown, ...args: unknown[]): void => {
        const tnx = typeof data === 'object' && data !== null ? (data as { tnx?: unknown }).tnx : undefined;
        const text = args.length > 0 ? format(String(message), ...args) : String(message ?? '');
        if (tnx === 'client') this.add('client', this.hideCredentials ? hideAuth(text) : text);
        else if (tnx === 'server') this.add('server', text);
        else if (level !== 'trace' && level !== 'debug') this.add('info', text);
      };
    return { trace: entry('trace'), debug: entry('debug'), info: entry('info'), warn: entry('warn'), error: entry('error'), fatal: entry('fatal') };
  }
}

/** "AUTH PLAIN AHVzZXI..." → "AUTH PLAIN <credentials hidden>"; a continuation line → "<credentials hidden>". */
export function hideAuth(line: string): string {
  const match = /^(AUTH\s+\S+)(\s+\S.*)?$/i.exec(line);
  if (!match) return HIDDEN;
  return match[2] === undefined ? (match[1] ?? HIDDEN) : `${match[1] ?? 'AUTH'} ${HIDDEN}`;
}
