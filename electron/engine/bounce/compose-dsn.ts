import { DateTime } from 'luxon';
import MailComposer from 'nodemailer/lib/mail-composer';
import { AppError } from '../../contract/app-error.js';
import { shouldBounce } from './should-bounce.js';

/** An instant: a Date or an ISO 8601 string (as stored in queue entries). */
export type DsnDate = Date | string;

/** One recipient's line in the report (RFC 3464 2.3 per-recipient fields). */
export interface DsnRecipient {
  address: string;
  /** RFC 3463 enhanced status code: 5.x.x or 4.x.x (an expired message) for failed, 4.x.x for delayed. */
  status: string;
  action: 'failed' | 'delayed';
  /** Host that gave the reply (Remote-MTA), null when none was reached. */
  remoteMta: string | null;
  /** The last reply exactly as the server sent it, or the network error text; null when there is none. */
  diagnostic: string | null;
  lastAttemptDate: DsnDate | null;
}

export interface DsnInput {
  /** failure: the message is returned; delay: a warning, the message stays queued (RFC 3464 Action: delayed). */
  kind: 'failure' | 'delay';
  /** Our host name: Reporting-MTA and the MAILER-DAEMON address. */
  reportingMta: string;
  /** Envelope sender of the original message: the DSN goes to it. */
  originalSender: string;
  /** Header block of the original message, returned as text/rfc822-headers. */
  originalHeaders: string;
  /** When we accepted the original message. */
  arrivalDate: DsnDate;
  recipients: DsnRecipient[];
  queueId: string;
  /** ENVID given with MAIL FROM (RFC 3461 4.4), if any. */
  originalEnvelopeId?: string | null | undefined;
  /** For a delay warning: when the spool gives up (RFC 3464 2.3.9 Will-Retry-Until). */
  willRetryUntil?: DsnDate | null | undefined;
  /** Date header, ms since epoch; pass clock.now(). Defaults to the system time. */
  dateMs?: number | undefined;
}

const SUBJECTS = {
  failure: 'Undelivered Mail Returned to Sender',
  delay: 'Delayed Mail (still being retried)',
} as const satisfies Record<DsnInput['kind'], string>;

const CRLF = '\r\n';

/**
 * Composes a delivery status notification (RFC 3464) as a multipart/report (RFC 6522) with three parts:
 * a text/plain explanation quoting each remote reply, the message/delivery-status fields, and the
 * original headers as text/rfc822-headers. MailComposer builds the MIME tree and encodings; only the root
 * Content-Type is changed afterwards, since MailComposer knows no multipart/report.
 *
 * The result must be sent with the null sender MAIL FROM:<> (RFC 5321 4.5.5, RFC 3464 2), so that it can
 * never be bounced in turn.
 */
export async function composeDsn(input: DsnInput): Promise<Buffer> {
  checkInput(input);
  const dateMs = input.dateMs ?? Date.now();
  const composer = new MailComposer({
    from: { name: 'Mail Delivery System', address: `MAILER-DAEMON@${input.reportingMta}` },
    to: input.originalSender,
    subject: SUBJECTS[input.kind],
    date: new Date(dateMs),
    messageId: `<${input.queueId}.${input.kind}.${dateMs}@${input.reportingMta}>`,
    // RFC 3834 5: marks the message as automatic, so auto-responders do not answer it.
    headers: { 'Auto-Submitted': 'auto-replied' },
    // CRLF everywhere, whatever line ends the stored headers came with (RFC 5322 2.1).
    newline: 'win',
    text: humanReport(input),
    attachments: [
      // message/* is never transfer-encoded (RFC 2046 5.2.1); MailComposer labels it 7bit or 8bit.
      { contentType: 'message/delivery-status', content: deliveryStatus(input), contentDisposition: 'inline' },
      {
        contentType: 'text/rfc822-headers',
        content: headerBlock(input.originalHeaders),
        contentDisposition: 'inline',
        filename: false,
        // false: let the node choose 7bit, or quoted-printable for 8-bit (SMTPUTF8) headers.
        contentTransferEncoding: false,
      },
    ],
  });
  const root = composer.compile();
  // RFC 6522 3: the report-type parameter names the machine-readable second part. The boundary that
  // MailComposer generated is kept: the node adds it to any multipart Content-Type it emits.
  root.setHeader('Content-Type', 'multipart/report; report-type=delivery-status');
  return root.build();
}

function checkInput(input: DsnInput): void {
  if (!shouldBounce(input.originalSender)) {
    throw new AppError('INVALID_INPUT', 'No report is sent to the null sender <>: it would be bounced back and forth (RFC 5321 4.5.5)');
  }
  if (input.recipients.length === 0) throw new AppError('INVALID_INPUT', 'A delivery report needs at least one recipient');
  const expectedAction = input.kind === 'failure' ? 'failed' : 'delayed';
  // Header-like fields: a CR or LF in one would start a new field or end the block (header injection).
  const singleLine: [string, string | null | undefined][] = [
    ['reportingMta', input.reportingMta],
    ['originalSender', input.originalSender],
    ['queueId', input.queueId],
    ['originalEnvelopeId', input.originalEnvelopeId],
  ];
  for (const recipient of input.recipients) {
    singleLine.push(['recipients.address', recipient.address], ['recipients.remoteMta', recipient.remoteMta]);
    if (recipient.action !== expectedAction) {
      throw new AppError('INVALID_INPUT', `A ${input.kind} report lists recipients with Action: ${expectedAction}; ${recipient.address} has ${recipient.action}`);
    }
    // RFC 3464 2.3.4 with RFC 3463: delayed is always transient (4); failed is 5, or 4 when the message expired.
    const allowedClasses = recipient.action === 'delayed' ? '4' : '45';
    const match = /^([245])\.\d{1,3}\.\d{1,3}$/.exec(recipient.status);
    if (!match?.[1] || !allowedClasses.includes(match[1])) {
      throw new AppError('INVALID_INPUT', `Status "${recipient.status}" of ${recipient.address} is not an RFC 3463 code valid for Action: ${recipient.action} (e.g. ${recipient.action === 'delayed' ? '4.4.1' : '5.1.1'})`);
    }
  }
  for (const [field, value] of singleLine) {
    if (value && /[\r\n]/.test(value)) throw new AppError('INVALID_INPUT', `${field} must be a single line`);
  }
  for (const date of [input.arrivalDate, input.willRetryUntil, ...input.recipients.map((recipient) => recipient.lastAttemptDate)]) {
    if (date && !toDateTime(date).isValid) throw new AppError('INVALID_INPUT', `"${String(date)}" is not a valid date (use a Date or ISO 8601)`);
  }
}

function toDateTime(date: DsnDate): DateTime {
  return typeof date === 'string' ? DateTime.fromISO(date, { zone: 'utc' }) : DateTime.fromJSDate(date, { zone: 'utc' });
}

/** RFC 5322 3.3 date-time, in UTC: `Fri, 27 Nov 2026 09:15:00 +0000`. */
function mailDate(date: DsnDate): string {
  return toDateTime(date).toRFC2822() ?? String(date);
}

function replyLines(reply: string): string[] {
  return reply.split(/\r\n|\r|\n/);
}

/** The message/delivery-status body: per-message fields, then one block per recipient (RFC 3464 2.1). */
function deliveryStatus(input: DsnInput): string {
  const perMessage: string[] = [];
  if (input.originalEnvelopeId) perMessage.push(`Original-Envelope-Id: ${input.originalEnvelopeId}`);
  perMessage.push(`Reporting-MTA: dns; ${input.reportingMta}`);
  // Extension field (RFC 3464 2.4): lets the sender's admin quote our queue id when asking about it.
  perMessage.push(`X-MXSpool-Queue-ID: ${input.queueId}`);
  perMessage.push(`Arrival-Date: ${mailDate(input.arrivalDate)}`);

  const blocks = [perMessage.join(CRLF)];
  for (const recipient of input.recipients) {
    const fields = [`Final-Recipient: ${recipientField(recipient.address)}`, `Action: ${recipient.action}`, `Status: ${recipient.status}`];
    if (recipient.remoteMta) fields.push(`Remote-MTA: dns; ${recipient.remoteMta}`);
    if (recipient.diagnostic) fields.push(`Diagnostic-Code: ${diagnosticCode(recipient.diagnostic)}`);
    if (recipient.lastAttemptDate) fields.push(`Last-Attempt-Date: ${mailDate(recipient.lastAttemptDate)}`);
    if (recipient.action === 'delayed' && input.willRetryUntil) fields.push(`Will-Retry-Until: ${mailDate(input.willRetryUntil)}`);
    blocks.push(fields.join(CRLF));
  }
  return blocks.join(CRLF + CRLF) + CRLF;
}

/**
 * `rfc822; <address>` for an ASCII address; an internationalised one (SMTPUTF8, RFC 6531) is written as
 * `utf-8; ` with RFC 6533's utf-8-addr-xtext, so the delivery-status part stays 7-bit: every character
 * outside printable ASCII, and `+`, `=` and `\` themselves, as `\x{HEX}` (upper case, no leading zeros).
 */
export function recipientField(address: string): string {
  if (/^[\x21-\x7e]+$/.test(address)) return `rfc822; ${address}`;
  let xtext = '';
  for (const char of address) {
    const code = char.codePointAt(0)!;
    const plain = code >= 0x21 && code <= 0x7e && char !== '+' && char !== '=' && char !== '\\';
    xtext += plain ? char : `\\x{${code.toString(16).toUpperCase()}}`;
  }
  return `utf-8; ${xtext}`;
}

/**
 * `smtp; <reply>` when the text is an SMTP reply (RFC 3464 2.3.6 / 9.2), else an X- type for a network
 * error such as "connect ECONNREFUSED". A multi-line reply is folded: each line continues the field on a
 * line starting with a space (RFC 5322 2.2.3), the reply's own text unchanged.
 */
function diagnosticCode(diagnostic: string): string {
  const type = /^[2-5]\d\d(?:[ -]|$)/.test(diagnostic) ? 'smtp' : 'X-MXSpool';
  return `${type}; ${replyLines(diagnostic).join(CRLF + ' ')}`;
}

function humanReport(input: DsnInput): string {
  const lines = [`This is the mail system at host ${input.reportingMta}.`, ''];
  if (input.kind === 'failure') {
    lines.push(
      'Your message could not be delivered to one or more recipients and is',
      'returned to you. The reason for each recipient is below; the headers of',
      'your message are attached.',
    );
  } else {
    lines.push('This is a warning only: you do not need to resend your message.', '', 'Your message has not been delivered yet to the recipients below.');
    if (input.willRetryUntil) lines.push(`Delivery will be retried until ${mailDate(input.willRetryUntil)}.`);
    else lines.push('Delivery is still being retried.');
  }
  lines.push('');
  for (const recipient of input.recipients) {
    const what = recipient.action === 'failed' ? 'could not be delivered' : 'not delivered yet';
    lines.push(recipient.remoteMta ? `<${recipient.address}>: host ${recipient.remoteMta} said:` : `<${recipient.address}>: ${what} (status ${recipient.status})${recipient.diagnostic ? ':' : ''}`);
    // Indented, each reply line otherwise exactly as received: the admin on the other side searches for it.
    if (recipient.diagnostic) for (const line of replyLines(recipient.diagnostic)) lines.push(`    ${line}`);
    lines.push('');
  }
  lines.push(`Queue ID: ${input.queueId}`, '');
  return lines.join(CRLF);
}

/** The header block only: trailing blank lines (the header/body separator) are dropped, one CRLF ends it. */
function headerBlock(headers: string): string {
  return headers.replace(/(?:\r\n|\r|\n)\s*$/, '') + CRLF;
}
