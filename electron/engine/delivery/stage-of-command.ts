import type { AttemptStage } from '../../contract/report-schema.js';

/**
 * The stage an SMTP command belongs to, from nodemailer's `error.command`. Returns null for what names no
 * protocol step ('API' for misuse of the client, 'RSET'): the caller knows better where the session stood.
 * 'CONN' is nodemailer's label for anything on the socket itself, including errors long after connecting,
 * so the caller refines it too.
 */
export function stageOfCommand(command: string | null | undefined): AttemptStage | null {
  const upper = (command ?? '').trim().toUpperCase();
  if (upper === 'CONN') return 'connect';
  if (upper === 'STARTTLS') return 'tls';
  if (upper === 'EHLO' || upper === 'HELO' || upper === 'LHLO') return 'ehlo';
  if (upper.startsWith('AUTH')) return 'auth';
  if (upper === 'MAIL FROM') return 'mail';
  if (upper === 'RCPT TO') return 'rcpt';
  if (upper === 'DATA' || upper === 'MESSAGE') return 'data';
  return null;
}
