import net from 'node:net';
import type { Readable } from 'node:stream';
import SMTPConnection, { type Envelope, type Options, type SentMessageInfo, type SMTPError } from 'nodemailer/lib/smtp-connection';
import type { AttemptStage } from '../../contract/report-schema.js';
import type { TlsMode } from '../../contract/settings-schema.js';
import { assertNever } from '../runtime/assert-never.js';
import { SmtpSessionError } from './smtp-session-error.js';
import { stageOfCommand } from './stage-of-command.js';

/** One address of a destination to open a session to. */
export interface SmtpSessionTarget {
  /** IP address to dial (already resolved). */
  address: string;
  port: number;
  /** Name for SNI and certificate checks: the configured host name, or null when it is an IP literal. */
  servername: string | null;
  tls: TlsMode;
  verifyCertificate: boolean;
  auth: { user: string; pass: string } | undefined;
  heloName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
}

/**
 * One SMTP session (RFC 5321 3.1 to 3.3) over a nodemailer SMTPConnection, connected, past EHLO, STARTTLS
 * and AUTH. It turns nodemailer's callbacks and events into promises that always settle: nodemailer's
 * `close()` forgets a send in flight without calling its callback, so every wait also watches 'end'.
 */
export class SmtpSession {
  /** Our source IP for this connection, null until the TCP connection is up. */
  localAddress: string | null = null;
  /** Messages handed to `send` on this session, counted against maxMessagesPerConnection. */
  messagesSent = 0;

  private readonly connection: SMTPConnection;
  private readonly socket: net.Socket;
  private readonly gone: Promise<void>;
  private readonly dialed: string;
  private lastError: SMTPError | null = null;
  private remote: string | null = null;

  private constructor(target: SmtpSessionTarget) {
    // Our own unconnected socket (nodemailer's documented `socket` option) so that its 'connect' gives us the
    // local and remote address even when STARTTLS later fails: by then nodemailer's `_socket` is the TLS
    // socket, already destroyed and without addresses.
    this.socket = new net.Socket();
    this.dialed = target.address;
    this.socket.once('connect', () => {
      this.remote = this.socket.remoteAddress ?? null;
      this.localAddress = this.socket.localAddress ?? null;
    });
    // The TCP connection is gone only when the raw socket closes (STARTTLS wraps it, it stays the one
    // underneath); the pool counts a session against its limit until then.
    this.gone = new Promise((resolve) => {
      if (this.socket.closed) resolve();
      else this.socket.once('close', () => resolve());
    });
    this.connection = new SMTPConnection(connectionOptions(target, this.socket));
    // nodemailer emits 'error' for every socket failure, also on an idle session; an EventEmitter without
    // a listener would throw it. The error also reaches the callback in flight, if any.
    this.connection.on('error', (error: SMTPError) => {
      this.lastError = error;
    });
  }

  /** Connects, greets (EHLO, STARTTLS per `tls`) and logs in; rejects with SmtpSessionError. */
  static async open(target: SmtpSessionTarget): Promise<SmtpSession> {
    const session = new SmtpSession(target);
    try {
      await session.handshake();
      if (target.auth) await session.login(target.auth);
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  /** The IP actually connected to; before the TCP connection is up (or when it failed), the one dialed. */
  get remoteAddress(): string {
    return this.remote ?? this.dialed;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  /** True once the connection ended, by us, the server or an error. */
  get closed(): boolean {
    return this.connection.destroyed;
  }

  /** Resolves when the TCP connection is fully closed. */
  whenGone(): Promise<void> {
    return this.gone;
  }

  /** Calls `listener` once when the connection ends, whoever ended it. */
  onEnd(listener: () => void): void {
    if (this.connection.destroyed) queueMicrotask(listener);
    else this.connection.once('end', listener);
  }

  /**
   * Sends one message: MAIL FROM, RCPT TO for each recipient, DATA with the body stream (nodemailer's
   * DataStream turns bare CR and LF into CRLF and dot-stuffs, RFC 5321 4.5.2). Resolves with nodemailer's
   * info (accepted, rejected, rejectedErrors, response); rejects with SmtpSessionError.
   */
  send(envelope: Envelope, body: Readable): Promise<SentMessageInfo> {
    this.messagesSent += 1;
    // nodemailer pipes the body only after the 354 reply to DATA, and piping resumes the stream: the one
    // sign from outside that the transaction reached the data stage.
    let dataStarted = false;
    body.once('resume', () => {
      dataStarted = true;
    });
    return this.settle<SentMessageInfo>(
      (done) => this.connection.send(envelope, body, done),
      (error) => sendStage(error, dataStarted),
      () => body.destroy(),
    );
  }

  /** RSET (RFC 5321 4.1.1.5) before a message on a reused session. */
  async reset(): Promise<void> {
    await this.settle<boolean | undefined>(
      (done) => this.connection.reset(done),
      () => 'mail',
    );
  }

  /** QUIT, then close (RFC 5321 4.1.1.10). Safe on a session that already ended. */
  quit(): void {
    if (this.connection.destroyed) return;
    this.connection.quit();
  }

  /** Drops the connection without QUIT; a send in flight fails with ECONNECTION. */
  close(): void {
    this.connection.close();
    // A socket that never connected has nothing for nodemailer to end; destroy it so that 'close' (and
    // with it `whenGone`) still comes.
    if (this.socket.pending && !this.socket.destroyed) this.socket.destroy();
  }

  private handshake(): Promise<void> {
    return this.settle<void>(
      (done) =>
        this.connection.connect((error) => {
          if (error) done(error);
          else done(null);
        }),
      (error) => this.setupStage(error),
    );
  }

  private login(auth: { user: string; pass: string }): Promise<boolean | undefined> {
    return this.settle<boolean | undefined>(
      (done) => this.connection.login({ user: auth.user, pass: auth.pass }, done),
      (error) => stageOfCommand(error.command) ?? 'auth',
    );
  }

  /**
   * Runs one nodemailer call and settles exactly once: with its callback, or when the connection ends
   * without calling back. nodemailer emits 'end' before it hands the error to the callback, so the 'end'
   * path waits a turn to let the real error win.
   */
  private settle<T>(
    start: (done: (error: SMTPError | null, result?: T) => void) => void,
    stageOf: (error: SMTPError) => AttemptStage,
    cleanup: () => void = () => {},
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (error: SMTPError | null, result?: T): void => {
        if (settled) return;
        settled = true;
        this.connection.removeListener('end', onEnd);
        cleanup();
        if (error) reject(this.failure(error, stageOf(error)));
        else resolve(result as T);
      };
      const onEnd = (): void => {
        setImmediate(() => finish(this.lastError ?? connectionClosedError()));
      };
      this.connection.once('end', onEnd);
      start(finish);
    });
  }

  private failure(error: SMTPError, stage: AttemptStage): SmtpSessionError {
    const failure = SmtpSessionError.fromNodemailer(error, {
      stage,
      remoteAddress: this.remoteAddress,
      localAddress: this.localAddress,
    });
    // A certificate or handshake failure during STARTTLS surfaces from the TLS socket's 'error' listener,
    // which nodemailer labels ESOCKET. Its own catalogue has ETLS for exactly this ("TLS handshake or
    // STARTTLS failed"); the system code (e.g. DEPTH_ZERO_SELF_SIGNED_CERT) stays in `originalCode`.
    return stage === 'tls' && failure.errorCode === 'ESOCKET' ? failure.withErrorCode('ETLS') : failure;
  }

  /** Stage of a failure before the session is ready: 'CONN' errors during the TLS upgrade belong to 'tls'. */
  private setupStage(error: SMTPError): AttemptStage {
    if (this.connection.upgrading === true) return 'tls';
    return stageOfCommand(error.command) ?? 'connect';
  }
}

function connectionOptions(target: SmtpSessionTarget, socket: net.Socket): Options {
  const options: Options = {
    host: target.address,
    port: target.port,
    socket,
    ...(target.servername !== null ? { servername: target.servername } : {}),
    ...(target.heloName !== '' ? { name: target.heloName } : {}),
    connectionTimeout: target.connectTimeoutMs,
    greetingTimeout: target.connectTimeoutMs,
    socketTimeout: target.socketTimeoutMs,
    logger: false,
    tls: {
      // SNI must be a host name, never an IP literal (RFC 6066 section 3).
      ...(target.servername !== null ? { servername: target.servername } : {}),
      rejectUnauthorized: target.verifyCertificate,
    },
  };
  switch (target.tls) {
    case 'opportunistic':
      // nodemailer's default: STARTTLS when the server offers it (RFC 3207). opportunisticTLS stays off, so
      // a failed upgrade fails the session instead of continuing in plaintext.
      return options;
    case 'required':
      return { ...options, requireTLS: true };
    case 'none':
      return { ...options, ignoreTLS: true };
    default:
      return assertNever(target.tls);
  }
}

/** Stage of a failed send: nodemailer names MAIL, RCPT and DATA; for socket errors ('CONN') we know better. */
function sendStage(error: SMTPError, dataStarted: boolean): AttemptStage {
  const stage = stageOfCommand(error.command);
  if (stage === 'mail' || stage === 'rcpt' || stage === 'data') return stage;
  return dataStarted ? 'data' : 'mail';
}

function connectionClosedError(): SMTPError {
  const error: SMTPError = new Error('Connection closed unexpectedly');
  error.code = 'ECONNECTION';
  error.command = 'CONN';
  return error;
}
