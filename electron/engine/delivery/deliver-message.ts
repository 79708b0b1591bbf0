import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { SentMessageInfo, SMTPError } from 'nodemailer/lib/smtp-connection';
import type { AttemptOutcome, AttemptRecord, RefusedRecipient } from '../../contract/report-schema.js';
import type { Clock } from '../runtime/clock.js';
import type { DeliveryOptions, DeliveryReport, Destination, OutboundMessage, RecipientResult } from './delivery-types.js';
import { THROTTLED_ERROR_CODE, type DestinationPool } from './destination-pool.js';
import type { DestinationPools } from './destination-pools.js';
import { outcomeOfReplyCode, parseEnhancedCode, parseReplyCode } from './smtp-reply.js';
import type { SmtpSession } from './smtp-session.js';
import { SmtpSessionError } from './smtp-session-error.js';

/** The fields of an attempt record that depend on how the session went. */
type AttemptFields = Pick<AttemptRecord, 'remoteAddress' | 'localAddress' | 'stage' | 'code' | 'enhancedCode' | 'response' | 'errorCode'>;
type RecordAttempt = (fields: AttemptFields, recipients: RecipientResult[]) => AttemptRecord;

/** What one destination gave: its attempt record, an outcome per recipient, and whether to try the next one. */
interface DestinationResult {
  attempt: AttemptRecord;
  recipients: RecipientResult[];
  tryNext: boolean;
}

/**
 * Delivers one stored message to a domain's destinations, in order. The next destination is tried only when
 * this one gave no final answer: it could not be reached, refused the session before MAIL FROM (e.g. a 421
 * greeting, a failed STARTTLS), or the connection broke before any reply to the transaction, as a client
 * moves down its list of MX hosts (RFC 5321 5.1). Any reply to MAIL, RCPT or DATA is the answer for this run,
 * a 5xx one included (RFC 5321 4.2.1).
 */
export async function deliverMessage(
  message: OutboundMessage,
  destinations: Destination[],
  pools: DestinationPools,
  options: DeliveryOptions,
  clock: Clock,
): Promise<DeliveryReport> {
  if (message.recipients.length === 0) return { attempts: [], recipients: [] };
  if (destinations.length === 0) {
    return { attempts: [], recipients: allDeferred(message.recipients, null, `No mail server configured for ${message.domain}`) };
  }
  // Read (or opened) before taking a connection: a missing body is a spool problem, not the destination's
  // (this replaces a separate access check). A message waiting for a connection holds its bytes or its
  // descriptor; the runner's bound on deliveries in flight bounds those too.
  let opened: FileHandle | null = null;
  let bytes: Uint8Array | null = null;
  try {
    if (message.readBody) bytes = await message.readBody();
    else opened = await fs.promises.open(message.bodyPath, 'r');
  } catch (error) {
    return { attempts: [], recipients: allDeferred(message.recipients, null, `Cannot read the stored message: ${error instanceof Error ? error.message : String(error)}`) };
  }
  // From the first byte to the stored size, never to the end of file: a packed spool file holds the entry's
  // state after the message, and the stream stops without asking the disk for an end of file. The first
  // attempt reads the handle opened above (its stream closes it); a next destination, rarely needed, opens
  // the file again.
  const range = { start: 0, end: message.size - 1 };
  const bodyStream = (): Readable => {
    if (bytes !== null) return Readable.from(bytes.length > 0 ? [bytes] : [], { objectMode: false });
    const handle = opened;
    opened = null;
    if (message.size === 0) {
      void handle?.close();
      return Readable.from([]);
    }
    return handle ? handle.createReadStream(range) : fs.createReadStream(message.bodyPath, range);
  };
  try {
    const attempts: AttemptRecord[] = [];
    let recipients: RecipientResult[] = [];
    for (const destination of destinations) {
      const result = await tryDestination(message, bodyStream, destination, pools.poolFor(destination, options), clock);
      attempts.push(result.attempt);
      recipients = result.recipients;
      if (!result.tryNext) break;
    }
    return { attempts, recipients };
  } finally {
    await opened?.close(); // no attempt got as far as reading it
  }
}

async function tryDestination(message: OutboundMessage, bodyStream: () => Readable, destination: Destination, pool: DestinationPool, clock: Clock): Promise<DestinationResult> {
  const startedAtMs = clock.now();
  const record: RecordAttempt = (fields, recipients) => ({
    time: new Date(startedAtMs).toISOString(),
    queueId: message.queueId,
    messageId: message.messageId,
    domain: message.domain,
    from: message.from,
    recipients: [...message.recipients],
    destination: pool.label,
    ...fields,
    durationMs: Math.max(0, clock.now() - startedAtMs),
    outcome: attemptOutcome(recipients),
  });

  // Again when a session reused without RSET was found gone at MAIL FROM (DestinationPool.dropIfGone), as
  // after a failed RSET. Each such session is closed; past a few, the next failure is recorded as it is.
  for (let gone = 0; ; gone += 1) {
    const result = await sendOnce(message, bodyStream, pool, record, gone < MAX_SESSIONS_GONE);
    if (result !== 'session-gone') return result;
  }
}

/** Sessions found gone at MAIL FROM that one message passes over before its failure counts. */
const MAX_SESSIONS_GONE = 3;

async function sendOnce(
  message: OutboundMessage,
  bodyStream: () => Readable,
  pool: DestinationPool,
  record: RecordAttempt,
  mayPassOver: boolean,
): Promise<DestinationResult | 'session-gone'> {
  let session: SmtpSession;
  try {
    session = await pool.acquire();
  } catch (error) {
    return sessionFailed(message, SmtpSessionError.fromNodemailer(error, { stage: 'connect', remoteAddress: null, localAddress: null }), record);
  }

  // Only now, when a connection is ready.
  const body = bodyStream();
  try {
    // '' is the null sender: nodemailer sends MAIL FROM:<> (RFC 5321 4.5.5). SIZE lets the server refuse a
    // message too large before we send it (RFC 1870); BODY=8BITMIME, sent only when offered, because stored
    // messages are relayed byte for byte and may hold 8-bit text (RFC 6152).
    const envelope = { from: message.from, to: message.recipients, size: message.size, use8BitMime: true };
    const info = await session.send(envelope, body);
    // Some recipients refused with a limit reply (452 4.5.3 Too many recipients, 451 4.7.1 Too many messages).
    const throttled = noteLimitReplies(pool, session, info.rejectedErrors ?? []);
    pool.release(session, true, true);
    const recipients = recipientsFromInfo(message.recipients, info);
    const attempt = record(
      {
        remoteAddress: session.remoteAddress,
        localAddress: session.localAddress,
        stage: 'done',
        code: parseReplyCode(info.response),
        enhancedCode: parseEnhancedCode(info.response),
        response: info.response,
        errorCode: throttled ? THROTTLED_ERROR_CODE : null,
      },
      recipients,
    );
    // The attempt's reply is the one to DATA; a recipient refused at RCPT TO has its own reply, which the
    // admin must see too. Left out when there is none, so the common record stays as small as before.
    const refused = refusedAtRcpt(info.rejectedErrors ?? []);
    return { attempt: refused.length > 0 ? { ...attempt, refusedRecipients: refused } : attempt, recipients, tryNext: false };
  } catch (error) {
    let failure = SmtpSessionError.fromNodemailer(error, { stage: 'mail', remoteAddress: session.remoteAddress, localAddress: session.localAddress });
    if (mayPassOver && pool.dropIfGone(session, failure)) return 'session-gone';
    // A limit reply once the session is up (451 4.7.1 at MAIL FROM, 421 4.7.0 before closing...) lowers the
    // destination's limits like a refused connection does, and the message is retried soon (ETHROTTLED).
    if (noteLimitReplies(pool, session, [failure, ...failure.rejectedErrors])) failure = failure.withErrorCode(THROTTLED_ERROR_CODE);
    // After a reply the session is in a known state (RSET cleans it before reuse); without one it is not.
    pool.release(session, failure.isTransactionReply);
    if (!failure.isTransactionReply) {
      pool.noteFailure(failure);
      return sessionFailed(message, failure, record);
    }
    const recipients = recipientsFromRefusal(message.recipients, failure);
    // Every RCPT TO refused: the attempt's reply is one of them (or nodemailer's summary), so each
    // recipient's own reply goes beside it, as when only some were refused.
    const attempt = record(failureFields(failure), recipients);
    const refused = refusedAtRcpt(failure.rejectedErrors);
    return { attempt: refused.length > 0 ? { ...attempt, refusedRecipients: refused } : attempt, recipients, tryNext: false };
  } finally {
    // Read to its end the stream has closed its file; a refusal before DATA left it unread and open.
    body.destroy();
  }
}

/**
 * Hands the first limit reply among `replies` to the pool (one per message: the pool cuts once per epoch
 * anyway); true when there was one.
 */
function noteLimitReplies(pool: DestinationPool, session: SmtpSession, replies: readonly { response?: string | null; responseCode?: number }[]): boolean {
  return replies.some((reply) => {
    const response = typeof reply.response === 'string' ? reply.response : null;
    const code = parseReplyCode(response) ?? (typeof reply.responseCode === 'number' ? reply.responseCode : null);
    return pool.noteLimitReply(session, code, response);
  });
}

/** No reply to the transaction: every recipient stays open for a later run, and the next destination may try. */
function sessionFailed(
  message: OutboundMessage,
  failure: SmtpSessionError,
  record: RecordAttempt,
): DestinationResult {
  // A reply before MAIL FROM (421 greeting, 5xx to STARTTLS or AUTH) refuses the session, not the message:
  // like Postfix's smtp_skip_5xx_greeting and smtp_sasl_auth_soft_bounce, it defers instead of bouncing.
  const recipients = allDeferred(message.recipients, failure.code, failure.responseText);
  return { attempt: record(failureFields(failure), recipients), recipients, tryNext: true };
}

function failureFields(failure: SmtpSessionError): AttemptFields {
  return {
    remoteAddress: failure.remoteAddress,
    localAddress: failure.localAddress,
    stage: failure.stage,
    code: failure.code,
    enhancedCode: parseEnhancedCode(failure.response),
    response: failure.responseText,
    errorCode: failure.errorCode,
  };
}

/** Outcome per recipient after DATA was accepted: refused ones by their RCPT reply, the rest by the final reply. */
function recipientsFromInfo(recipients: string[], info: SentMessageInfo): RecipientResult[] {
  const refusals = refusalsByRecipient(info.rejectedErrors ?? []);
  const accepted = new Set(info.accepted);
  const rejected = new Set(info.rejected);
  return recipients.map((address) => {
    const key = address.trim();
    const refusal = refusals.get(key);
    if (refusal) return fromReply(address, refusal.response ?? null, refusal.responseCode);
    if (accepted.has(key)) return fromReply(address, info.response, undefined);
    // Refused without an error object, or missing from both lists: keep it open rather than guess.
    return { address, outcome: 'deferred', code: null, enhancedCode: null, response: rejected.has(key) ? 'Recipient refused without a reply' : 'No reply for this recipient' };
  });
}

/**
 * Outcome per recipient when the transaction failed with a reply. When every RCPT TO was refused, each
 * recipient keeps its own reply; a refusal of MAIL FROM or DATA (or of the message at the end of DATA)
 * applies to all recipients.
 */
function recipientsFromRefusal(recipients: string[], failure: SmtpSessionError): RecipientResult[] {
  const refusals = refusalsByRecipient(failure.rejectedErrors);
  return recipients.map((address) => {
    const refusal = refusals.get(address.trim());
    if (refusal) return fromReply(address, refusal.response ?? null, refusal.responseCode);
    return fromReply(address, failure.response, failure.code ?? undefined);
  });
}

/**
 * The recipients refused at RCPT TO, each with its reply exactly as sent (in a transaction that went on for
 * the others, or one that ended because all were refused). nodemailer puts one error per refused RCPT in `rejectedErrors` (with `recipient` set);
 * a refusal without a reply code or text is not a server reply and is left out rather than guessed.
 */
function refusedAtRcpt(errors: readonly SMTPError[]): RefusedRecipient[] {
  const refused: RefusedRecipient[] = [];
  for (const error of errors) {
    if (typeof error.recipient !== 'string' || typeof error.response !== 'string') continue;
    const result = fromReply(error.recipient, error.response, error.responseCode);
    if (result.outcome === 'delivered' || result.response === null) continue;
    refused.push({ address: result.address, code: result.code, enhancedCode: result.enhancedCode, response: result.response, outcome: result.outcome });
  }
  return refused;
}

function refusalsByRecipient(errors: readonly SMTPError[]): Map<string, SMTPError> {
  const refusals = new Map<string, SMTPError>();
  for (const error of errors) if (typeof error.recipient === 'string') refusals.set(error.recipient, error);
  return refusals;
}

function fromReply(address: string, reply: string | null, responseCode: number | undefined): RecipientResult {
  const code = parseReplyCode(reply) ?? responseCode ?? null;
  return { address, outcome: code === null ? 'deferred' : outcomeOfReplyCode(code), code, enhancedCode: parseEnhancedCode(reply), response: reply };
}

function allDeferred(recipients: string[], code: number | null, response: string): RecipientResult[] {
  return recipients.map((address) => ({ address, outcome: 'deferred', code, enhancedCode: parseEnhancedCode(response), response }));
}

/**
 * 'deferred' while any recipient is left for a later run; otherwise 'bounced' when any was refused for good
 * (a message delivered to some recipients and bounced for others is finished: listing it among the
 * deferrals would show "250 Ok" as a reason mail waits); 'delivered' when all were.
 */
function attemptOutcome(recipients: RecipientResult[]): AttemptOutcome {
  if (recipients.length === 0 || recipients.some((r) => r.outcome === 'deferred')) return 'deferred';
  if (recipients.some((r) => r.outcome === 'bounced')) return 'bounced';
  return 'delivered';
}

