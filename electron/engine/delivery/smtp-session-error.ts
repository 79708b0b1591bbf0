import type { SMTPError } from 'nodemailer/lib/smtp-connection';
import type { AttemptStage } from '../../contract/report-schema.js';
import { parseReplyCode } from './smtp-reply.js';

/** Where a failed session stood: the stage reached and the addresses of the socket, when it got that far. */
export interface SessionFailureContext {
  stage: AttemptStage;
  remoteAddress: string | null;
  localAddress: string | null;
}

/**
 * A failure to open or use an SMTP session, with everything nodemailer said about it. `code`, `response`,
 * `errorCode` and `command` are kept exactly as nodemailer reported them: they are what the admin sees
 * in the attempt log (STYLE.md, "Errors as a catalogue").
 */
export class SmtpSessionError extends Error {
  readonly stage: AttemptStage;
  /** SMTP reply code, null when the server never answered (network, TLS, timeout). */
  readonly code: number | null;
  /** The reply exactly as the server sent it; null when there was none. */
  readonly response: string | null;
  /** nodemailer error code (ECONNECTION, ETIMEDOUT, ESOCKET, EENVELOPE, EMESSAGE, ETLS, EDNS...). */
  readonly errorCode: string | null;
  /** The code of the underlying system error, e.g. ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT. */
  readonly originalCode: string | null;
  /** SMTP command in flight, as nodemailer names it ('CONN', 'MAIL FROM', 'RCPT TO', 'DATA'...). */
  readonly command: string | null;
  /** Per-recipient refusals at RCPT TO when every recipient was refused (nodemailer's EENVELOPE). */
  readonly rejectedErrors: readonly SMTPError[];
  readonly remoteAddress: string | null;
  readonly localAddress: string | null;

  constructor(
    message: string,
    fields: SessionFailureContext & {
      code?: number | null;
      response?: string | null;
      errorCode?: string | null;
      originalCode?: string | null;
      command?: string | null;
      rejectedErrors?: readonly SMTPError[];
      cause?: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.name = 'SmtpSessionError';
    this.stage = fields.stage;
    this.code = fields.code ?? null;
    this.response = fields.response ?? null;
    this.errorCode = fields.errorCode ?? null;
    this.originalCode = fields.originalCode ?? null;
    this.command = fields.command ?? null;
    this.rejectedErrors = fields.rejectedErrors ?? [];
    this.remoteAddress = fields.remoteAddress;
    this.localAddress = fields.localAddress;
  }

  /** Wraps a nodemailer error without losing any of its fields. */
  static fromNodemailer(error: unknown, context: SessionFailureContext): SmtpSessionError {
    if (error instanceof SmtpSessionError) return error;
    const source: Partial<SMTPError> = error instanceof Error ? (error as SMTPError) : {};
    const message = error instanceof Error ? error.message : String(error);
    const response = typeof source.response === 'string' && source.response !== '' ? source.response : null;
    return new SmtpSessionError(message, {
      ...context,
      code: typeof source.responseCode === 'number' ? source.responseCode : parseReplyCode(response),
      response,
      errorCode: typeof source.code === 'string' ? source.code : null,
      originalCode: typeof source.originalCode === 'string' ? source.originalCode : null,
      command: typeof source.command === 'string' ? source.command : null,
      rejectedErrors: Array.isArray(source.rejectedErrors) ? source.rejectedErrors : [],
      cause: error,
    });
  }

  /** The same failure under another nodemailer error code. */
  withErrorCode(errorCode: string): SmtpSessionError {
    return new SmtpSessionError(this.message, {
      stage: this.stage,
      code: this.code,
      response: this.response,
      errorCode,
      originalCode: this.originalCode,
      command: this.command,
      rejectedErrors: this.rejectedErrors,
      remoteAddress: this.remoteAddress,
      localAddress: this.localAddress,
      cause: this.cause,
    });
  }

  /** True when the server answered a transaction command (MAIL, RCPT, DATA) with a reply code. */
  get isTransactionReply(): boolean {
    return this.code !== null && (this.stage === 'mail' || this.stage === 'rcpt' || this.stage === 'data') && this.command !== 'CONN';
  }

  /**
   * The text for `AttemptRecord.response`: the server's reply exactly as sent; without one, the error
   * message with the system code when the message does not already name it (ECONNREFUSED is in Node's
   * "connect ECONNREFUSED 192.0.2.1:25", DEPTH_ZERO_SELF_SIGNED_CERT is not in "self-signed certificate").
   */
  get responseText(): string {
    if (this.response !== null) return this.response;
    const message = readableMessage(this.message, this.errorCode, this.stage);
    if (this.originalCode !== null && !message.includes(this.originalCode)) return `${message} (${this.originalCode})`;
    return message;
  }
}

/** What the client was waiting for at each stage, for a timeout message. */
const awaitedAt: Record<AttemptStage, string> = {
  connect: 'the greeting',
  tls: 'the TLS handshake',
  ehlo: 'the reply to EHLO',
  auth: 'the reply to AUTH',
  mail: 'the reply to MAIL FROM',
  rcpt: 'the reply to RCPT TO',
  data: 'the reply to the message (DATA)',
  done: 'the reply',
};

/**
 * nodemailer's own words where they say too little for the Outbound report: its socket timeout is just
 * "Timeout", and a failed TLS handshake carries OpenSSL's raw error line ("80FC...:error:0A00010B:SSL
 * routines:ssl3_get_record:wrong version number:../deps/openssl/...:350:"). Both keep their key words, so
 * the classification table still reads them the same.
 */
function readableMessage(message: string, errorCode: string | null, stage: AttemptStage): string {
  if (errorCode === 'ETIMEDOUT' && message === 'Timeout') return `Timeout: no data from the server while waiting for ${awaitedAt[stage]} (socket timeout)`;
  const openssl = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*routines:[^:]*:([^:]+):/.exec(message);
  if (openssl?.[1] !== undefined) return `TLS handshake failed: ${openssl[1]}`;
  return message;
}
