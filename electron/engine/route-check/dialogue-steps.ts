import type { RouteStep, RouteStepName, TranscriptEntry } from '../../contract/route-check-schema.js';
import { parseReplyCode } from '../delivery/smtp-reply.js';

/** The step a command opens, by its verb; null for a line that is not a command of ours. */
export function stepOfCommand(line: string): RouteStepName | null {
  const verb = (/^\S+/.exec(line)?.[0] ?? '').toUpperCase();
  switch (verb) {
    case 'EHLO':
    case 'HELO':
    case 'LHLO':
      return 'ehlo';
    case 'STARTTLS':
      return 'starttls';
    case 'AUTH':
      return 'auth';
    case 'MAIL':
      return 'mail';
    case 'RCPT':
      return 'rcpt';
    case 'RSET':
      return 'rset';
    case 'QUIT':
      return 'quit';
    default:
      return null;
  }
}

interface OpenStep {
  step: RouteStepName;
  startMs: number;
  /** AUTH: the server asked for more (334), so the next client line belongs to this step. */
  continuation: boolean;
  /** STARTTLS: the server said go ahead (220); the step ends when the handshake is done. */
  handshaking: boolean;
}

/**
 * The SMTP steps of one connection, read off its transcript: the banner from the TCP connect to the first
 * reply, then each command to the reply that ends it (RFC 5321 4.2: a reply is complete at its last line,
 * nodemailer hands over whole replies). AUTH lasts through its 334 continuations; STARTTLS lasts from the
 * command through the TLS handshake, which ends when the next command goes out over TLS. A step still open
 * at the end failed at `endMs` (connection lost, timeout, handshake error).
 */
export function dialogueSteps(entries: readonly TranscriptEntry[], connectedAtMs: number, endMs: number): RouteStep[] {
  const steps: RouteStep[] = [];
  let open: OpenStep | null = { step: 'banner', startMs: connectedAtMs, continuation: false, handshaking: false };
  const close = (step: OpenStep, ok: boolean, atMs: number, detail: string): void => {
    steps.push({ step: step.step, ok, durationMs: Math.max(0, atMs - step.startMs), detail });
  };
  for (const entry of entries) {
    if (entry.direction === 'client') {
      if (open?.continuation) {
        open.continuation = false;
        continue;
      }
      if (open?.handshaking) close(open, true, entry.atMs, 'TLS handshake done');
      else if (open) close(open, false, entry.atMs, 'No reply before the next command');
      const step = stepOfCommand(entry.text);
      open = step === null ? null : { step, startMs: entry.atMs, continuation: false, handshaking: false };
    } else if (entry.direction === 'server' && open) {
      const code = parseReplyCode(entry.text);
      if (open.step === 'auth' && code === 334) {
        open.continuation = true;
        continue;
      }
      const positive = code !== null && code >= 200 && code < 400;
      if (open.step === 'starttls' && positive) {
        open.handshaking = true;
        continue;
      }
      close(open, positive, entry.atMs, open.step === 'ehlo' && positive ? offered(entry.text) : entry.text);
      open = null;
    }
  }
  if (open) close(open, false, endMs, open.handshaking ? 'TLS handshake failed' : 'No reply');
  return steps;
}

function offered(reply: string): string {
  const extensions = ehloExtensions(reply);
  return extensions.length === 0 ? 'No extensions offered' : `Offers ${extensions.join(', ')}`;
}

/** The ESMTP extensions of an EHLO reply (RFC 5321 4.1.1.1): every line after the first, without its code. */
export function ehloExtensions(reply: string): string[] {
  return reply
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.replace(/^\d{3}[ -]/, '').trim())
    .filter((line) => line !== '');
}
