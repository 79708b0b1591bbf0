import net from 'node:net';
import { performance } from 'node:perf_hooks';
import SMTPConnection, { type Options, type SMTPError } from 'nodemailer/lib/smtp-connection';
import type { AttemptStage } from '../../contract/report-schema.js';
import type { RouteFailure, RouteStep, TestRouteInput, TestRouteResult } from '../../contract/route-check-schema.js';
import type { Destination } from '../../contract/settings-schema.js';
import { systemHostLookup, type HostLookup } from '../delivery/open-smtp-session.js';
import { parseEnhancedCode, parseReplyCode } from '../delivery/smtp-reply.js';
import { SmtpSessionError } from '../delivery/smtp-session-error.js';
import { stageOfCommand } from '../delivery/stage-of-command.js';
import { assertNever } from '../runtime/assert-never.js';
import { dialogueSteps, ehloExtensions, stepOfCommand } from './dialogue-steps.js';
import { TranscriptRecorder } from './transcript-recorder.js';
import { isTlsSocket, tlsReport, verifyErrorCode, type RouteTls } from './tls-report.js';

export interface TestRouteOptions {
  /** Name sent in EHLO: delivery.heloName, else the listener host name. */
  heloName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  /** Host name → addresses, as delivery resolves them (getaddrinfo); injected in tests. */
  lookup?: HostLookup;
  /** Wall clock for `startedAt` (ms since the epoch). */
  now?: () => number;
}

/** QUIT gets this long for its 221 before the connection is dropped, in ms: nothing depends on the answer. */
const QUIT_WAIT_MS = 5_000;

/**
 * A dry run of delivery to one destination (the "Test" button of Mail Server Settings): resolve, connect,
 * banner, EHLO, STARTTLS per the TLS mode, AUTH when configured, MAIL FROM, RCPT TO for the chosen
 * recipient, then RSET and QUIT. DATA is never sent, so nothing is delivered (RFC 5321 4.1.1.5: RSET
 * discards the transaction). Addresses of a host name are tried in turn while the failure is at the
 * connect stage, as delivery does. Never throws: every failure is data in the result.
 */
export async function testRoute(input: TestRouteInput, options: TestRouteOptions): Promise<TestRouteResult> {
  const started = performance.now();
  const startedAt = new Date((options.now ?? Date.now)()).toISOString();
  const elapsed = (): number => Math.round(performance.now() - started);
  const recorder = new TranscriptRecorder(elapsed);
  const { destination, recipient } = input;
  const sender = input.sender ?? '';
  const steps: RouteStep[] = [];
  const base = { startedAt, destination: `${destination.host}:${destination.port}`, sender, transcript: recorder.entries };

  let addresses: string[];
  if (net.isIP(destination.host) !== 0) {
    addresses = [destination.host];
  } else {
    const resolveStart = elapsed();
    recorder.add('info', `Looking up ${destination.host}`);
    try {
      addresses = await lookupWithin(destination.host, options.connectTimeoutMs, options.lookup ?? systemHostLookup);
      if (addresses.length === 0) throw Object.assign(new Error(`No address found for ${destination.host}`), { code: 'ENOTFOUND' });
      recorder.add('info', `${destination.host} has ${addresses.join(', ')}`);
      steps.push({ step: 'resolve', ok: true, durationMs: elapsed() - resolveStart, detail: `${destination.host} has ${addresses.join(', ')}` });
    } catch (error) {
      const failure = dnsFailure(error, destination.host);
      recorder.add('info', failure.message);
      steps.push({ step: 'resolve', ok: false, durationMs: elapsed() - resolveStart, detail: failure.message });
      return { ...base, ok: false, stage: 'connect', steps, extensions: [], tls: null, localAddress: null, remoteAddress: null, failure };
    }
  }

  let session: SessionOutcome | null = null;
  for (const [index, address] of addresses.entries()) {
    session = await runSession(address, input, sender, recipient, options, recorder);
    steps.push(...session.steps);
    if (session.failure?.stage !== 'connect' || index === addresses.length - 1) break;
    recorder.add('info', `Trying the next address of ${destination.host}`);
  }
  if (!session) throw new Error('unreachable: a host has at least one address here');
  const { failure } = session;
  return {
    ...base,
    ok: failure === null,
    stage: failure?.stage ?? 'done',
    steps,
    extensions: session.extensions,
    tls: session.tls,
    localAddress: session.localAddress,
    remoteAddress: session.remoteAddress,
    failure,
  };
}

interface SessionOutcome {
  steps: RouteStep[];
  failure: RouteFailure | null;
  tls: RouteTls | null;
  extensions: string[];
  localAddress: string | null;
  remoteAddress: string | null;
}

/** nodemailer's own command primitives (what its `reset()` uses), for MAIL and RCPT without its DATA. */
interface CommandInternals {
  _sendCommand(line: string): void;
  _responseActions: ((reply: string) => void)[];
}

/** One connection to one address, from TCP connect to QUIT. */
async function runSession(
  address: string,
  input: TestRouteInput,
  sender: string,
  recipient: string,
  options: TestRouteOptions,
  recorder: TranscriptRecorder,
): Promise<SessionOutcome> {
  const { destination } = input;
  const firstEntry = recorder.entries.length;
  const connectStart = recorder.elapsedMs();
  recorder.add('info', `Connecting to ${address} port ${destination.port}`);
  // Our own socket (nodemailer's documented `socket` option), as SmtpSession does: its 'connect' gives the
  // addresses even when STARTTLS fails later and nodemailer's socket is the destroyed TLS one.
  const socket = new net.Socket();
  const gone = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let connectedAtMs: number | null = null;
  let localAddress: string | null = null;
  let remoteAddress: string | null = null;
  socket.once('connect', () => {
    localAddress = socket.localAddress ?? null;
    remoteAddress = socket.remoteAddress ?? null;
    recorder.add('info', `Connected to ${remoteAddress ?? address} port ${destination.port} from ${localAddress ?? 'unknown'}`);
    connectedAtMs = recorder.elapsedMs();
  });
  const connection = new SMTPConnection(connectionOptions(destination, address, options, socket, recorder));
  let lastError: SMTPError | null = null;
  connection.on('error', (error: SMTPError) => {
    lastError = error;
  });
  const settle = <T>(start: (done: (error: SMTPError | null, result?: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error: SMTPError | null, result?: T): void => {
        if (settled) return;
        settled = true;
        connection.removeListener('end', onEnd);
        if (error) reject(error);
        else resolve(result as T);
      };
      // nodemailer emits 'end' before it hands the error to the callback: wait a turn so the real error wins.
      const onEnd = (): void => void setImmediate(() => finish(lastError ?? closedError()));
      if (connection.destroyed) return finish(lastError ?? closedError());
      connection.once('end', onEnd);
      start(finish);
    });
  const command = (line: string): Promise<string> =>
    settle<string>((done) => {
      const internals = connection as unknown as Partial<CommandInternals>;
      if (typeof internals._sendCommand !== 'function' || !Array.isArray(internals._responseActions)) {
        throw new Error('nodemailer no longer has _sendCommand/_responseActions: the route test needs updating');
      }
      internals._responseActions.push((reply) => done(null, reply));
      internals._sendCommand(line);
    });

  let failure: RouteFailure | null = null;
  let tls: RouteTls | null = null;
  let tlsRefused = false;
  const fail = (error: unknown, at: AttemptStage): void => {
    const wrapped = SmtpSessionError.fromNodemailer(error, { stage: at, remoteAddress, localAddress });
    const session = at === 'tls' && wrapped.errorCode === 'ESOCKET' ? wrapped.withErrorCode('ETLS') : wrapped;
    failure = failureOf(session);
  };
  try {
    try {
      await settle<void>((done) => connection.connect((error) => done(error ?? null)));
    } catch (error) {
      fail(error, connection.upgrading === true ? 'tls' : (stageOfCommand((error as SMTPError).command) ?? 'connect'));
      return outcome();
    }
    const current = (connection as unknown as { _socket: unknown })._socket;
    if (connection.secure && isTlsSocket(current)) {
      tls = tlsReport(current, destination.host);
      recorder.add('info', tlsSummary(tls));
      if (!tls.verified && destination.verifyCertificate) {
        // Delivery refuses this certificate during the handshake; the test goes on long enough to show it.
        tlsRefused = true;
        failure = {
          stage: 'tls',
          code: null,
          enhancedCode: null,
          response: tls.verifyError,
          errorCode: 'ETLS',
          originalCode: verifyErrorCode(tls.verifyError ?? ''),
          message: `The certificate does not verify and "Check the server certificate" is on: ${tls.verifyError ?? ''}`,
        };
        await quit();
        return outcome();
      }
    }
    if (destination.auth) {
      recorder.hideCredentials = true;
      try {
        await settle<boolean | undefined>((done) => connection.login({ user: destination.auth?.user, pass: destination.auth?.pass }, done));
      } catch (error) {
        fail(error, stageOfCommand((error as SMTPError).command) ?? 'auth');
        await quit();
        return outcome();
      } finally {
        recorder.hideCredentials = false;
      }
    }
    const extensions = lastEhloExtensions(recorder, firstEntry);
    // RFC 6531 3.4: an internationalised address needs SMTPUTF8 on MAIL FROM, as nodemailer adds it for delivery.
    const utf8 = /[^\p{ASCII}]/u.test(sender + recipient) && extensions.some((extension) => extension.toUpperCase() === 'SMTPUTF8');
    const mailReply = await command(`MAIL FROM:<${sender}>${utf8 ? ' SMTPUTF8' : ''}`).catch((error: unknown) => fail(error, 'mail'));
    if (typeof mailReply !== 'string') return outcome();
    if (!isPositive(mailReply)) {
      failure = replyFailure('mail', 'Mail command failed', mailReply);
      await quit();
      return outcome();
    }
    const rcptReply = await command(`RCPT TO:<${recipient}>`).catch((error: unknown) => fail(error, 'rcpt'));
    if (typeof rcptReply !== 'string') return outcome();
    if (!isPositive(rcptReply)) failure = replyFailure('rcpt', 'Recipient command failed', rcptReply);
    // The transaction ends here: RSET drops it (RFC 5321 4.1.1.5), DATA is never sent.
    await command('RSET').catch(() => undefined);
    await quit();
    return outcome();
  } finally {
    connection.close();
    if (socket.pending && !socket.destroyed) socket.destroy();
    await gone;
  }

  async function quit(): Promise<void> {
    if (connection.destroyed) return;
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<void>((resolve) => {
      connection.once('end', () => resolve());
      timer = setTimeout(resolve, Math.min(QUIT_WAIT_MS, options.socketTimeoutMs));
    });
    connection.quit();
    await ended;
    clearTimeout(timer);
  }

  function outcome(): SessionOutcome {
    const endMs = recorder.elapsedMs();
    const connectStep: RouteStep =
      connectedAtMs === null
        ? { step: 'connect', ok: false, durationMs: Math.max(0, endMs - connectStart), detail: (failure as RouteFailure | null)?.response ?? 'Not connected' }
        : { step: 'connect', ok: true, durationMs: connectedAtMs - connectStart, detail: `Connected to ${remoteAddress ?? address} port ${destination.port} from ${localAddress ?? 'unknown'}` };
    const entries = recorder.entries.slice(firstEntry);
    const steps = connectedAtMs === null ? [] : dialogueSteps(entries, connectedAtMs, endMs);
    const current = tls as RouteTls | null;
    if (current) {
      const starttls = steps.findLast((step) => step.step === 'starttls');
      if (starttls) {
        starttls.detail = tlsSummary(current);
        if (tlsRefused) starttls.ok = false;
      }
    }
    return {
      steps: [connectStep, ...steps],
      failure,
      tls: current,
      extensions: lastEhloExtensions(recorder, firstEntry),
      localAddress,
      remoteAddress: remoteAddress ?? (connectedAtMs === null ? address : null),
    };
  }
}

function connectionOptions(destination: Destination, address: string, options: TestRouteOptions, socket: net.Socket, recorder: TranscriptRecorder): Options {
  const servername = net.isIP(destination.host) === 0 ? destination.host : null;
  const base: Options = {
    host: address,
    port: destination.port,
    socket,
    ...(servername !== null ? { servername } : {}),
    ...(options.heloName !== '' ? { name: options.heloName } : {}),
    connectionTimeout: options.connectTimeoutMs,
    greetingTimeout: options.connectTimeoutMs,
    socketTimeout: options.socketTimeoutMs,
    logger: recorder.logger(),
    transactionLog: true,
    // The certificate is checked by tlsReport after the handshake, so that it can be shown when it fails;
    // with verifyCertificate on, a failed check ends the test before AUTH, as delivery ends at the handshake.
    tls: { ...(servername !== null ? { servername } : {}), rejectUnauthorized: false },
  };
  switch (destination.tls) {
    case 'opportunistic':
      return base;
    case 'required':
      return { ...base, requireTLS: true };
    case 'none':
      return { ...base, ignoreTLS: true };
    default:
      return assertNever(destination.tls);
  }
}

function isPositive(reply: string): boolean {
  const code = parseReplyCode(reply);
  return code !== null && code >= 200 && code < 300;
}

/** A refusal of MAIL or RCPT, recorded as delivery records it (nodemailer's EENVELOPE). */
function replyFailure(stage: 'mail' | 'rcpt', message: string, reply: string): RouteFailure {
  return { stage, code: parseReplyCode(reply), enhancedCode: parseEnhancedCode(reply), response: reply, errorCode: 'EENVELOPE', originalCode: null, message: `${message}: ${reply}` };
}

function failureOf(error: SmtpSessionError): RouteFailure {
  return {
    stage: error.stage,
    code: error.code,
    enhancedCode: parseEnhancedCode(error.response),
    response: error.responseText,
    errorCode: error.errorCode,
    originalCode: error.originalCode,
    message: error.message,
  };
}

function dnsFailure(error: unknown, host: string): RouteFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const originalCode = typeof code === 'string' ? code : null;
  const message = `Could not look up ${host}: ${error instanceof Error ? error.message : String(error)}`;
  return { stage: 'connect', code: null, enhancedCode: null, response: message, errorCode: 'EDNS', originalCode, message };
}

async function lookupWithin(host: string, timeoutMs: number, lookup: HostLookup): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DNS lookup timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    return await Promise.race([lookup(host), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The extensions of the last successful EHLO reply of this connection. */
function lastEhloExtensions(recorder: TranscriptRecorder, from: number): string[] {
  let extensions: string[] = [];
  let afterEhlo = false;
  for (const entry of recorder.entries.slice(from)) {
    if (entry.direction === 'client') afterEhlo = stepOfCommand(entry.text) === 'ehlo' && /^EHLO/i.test(entry.text);
    else if (entry.direction === 'server' && afterEhlo) {
      if (isPositive(entry.text)) extensions = ehloExtensions(entry.text);
      afterEhlo = false;
    }
  }
  return extensions;
}

function tlsSummary(tls: RouteTls): string {
  const certificate = tls.certificate;
  const parts = [[tls.protocol, tls.cipher].filter((part) => part !== null).join(' ')];
  if (certificate) parts.push(`certificate ${certificate.subject} issued by ${certificate.issuer}, valid until ${certificate.validTo}`);
  parts.push(tls.verified ? 'verifies' : `does not verify: ${tls.verifyError ?? 'unknown reason'}`);
  return parts.filter((part) => part !== '').join('; ');
}

function closedError(): SMTPError {
  const error: SMTPError = new Error('Connection closed unexpectedly');
  error.code = 'ECONNECTION';
  error.command = 'CONN';
  return error;
}
