import type { AttemptStage } from '../../contract/report-schema.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { AdaptiveLimit, type ConfiguredLimits, type ThrottleState } from './adaptive-limit.js';
import type { DeliveryOptions, Destination } from './delivery-types.js';
import { limitKindOfReply, type LimitKind } from './limit-replies.js';
import { openSmtpSession, type HostLookup } from './open-smtp-session.js';
import { RateGate } from './rate-gate.js';
import type { SmtpSession } from './smtp-session.js';
import { SmtpSessionError } from './smtp-session-error.js';

/**
 * A session refused with a limit reply (421 too many connections...) is tried again within the same
 * delivery, under the lowered limit, at most this many times; then the message is deferred with ETHROTTLED.
 */
export const MAX_LIMIT_RETRIES = 3;

/** errorCode of a failure caused by the destination's connection or rate limit: retry soon, not after the backoff. */
export const THROTTLED_ERROR_CODE = 'ETHROTTLED';

/** How long an unused session stays open for the next message (unit: ms). Servers wait 5 min (RFC 5321 4.5.3.2.7). */
export const DEFAULT_IDLE_TIMEOUT_MS = 5_000;

export interface DestinationPoolDeps {
  clock: Clock;
  logger: Logger;
  lookup: HostLookup;
  /** Unit: ms. */
  idleTimeoutMs: number;
}

/** The last failure to open or keep a session to this destination, for dashboards. */
export interface DestinationFailure {
  /** ISO 8601, UTC. */
  time: string;
  stage: AttemptStage;
  code: number | null;
  response: string;
  errorCode: string | null;
}

/** What a dashboard shows for one destination. */
export interface DestinationPoolState {
  /** host:port as configured. */
  destination: string;
  tls: Destination['tls'];
  verifyCertificate: boolean;
  authUser: string | null;
  /** Sessions carrying a message now. */
  active: number;
  /** Open sessions waiting for the next message. */
  idle: number;
  /** Sessions being opened or closed; they count against maxConnectionsPerDestination too. */
  opening: number;
  closing: number;
  /** Messages waiting for a free session. */
  waiting: number;
  /** ISO 8601, UTC; null until a session was opened. */
  lastConnectedAt: string | null;
  lastError: DestinationFailure | null;
}

type ClosedReason = 'max-messages' | 'idle' | 'not-reusable' | 'reset-failed' | 'gone-at-mail' | 'limit-reply' | 'pool-closed' | 'ended';

/** What the pool remembers about a session it handed out. */
interface HandedOut {
  /** messagesSent when handed out. */
  sentBefore: number;
  /** The limit epoch when handed out: a limit reply to a message started before the last cut is no news. */
  epoch: number;
  /** A limit reply came on this session: not a success, and the session is not reused. */
  limited: boolean;
  /** Handed out for reuse without RSET: its last transaction had ended with the reply to the message. */
  resetSkipped: boolean;
}

/**
 * Sessions to one destination (host:port, TLS mode, certificate check, credentials). Limits: at most
 * `maxConnectionsPerDestination` sessions at once, counting those being opened and those still closing (a
 * server that caps connections per client counts them until the TCP connection is gone), and at most
 * `maxMessagesPerConnection` messages per session, then QUIT. An unused session is closed after
 * `idleTimeoutMs`.
 *
 * A session whose last message got its final reply goes straight on to the next MAIL FROM: the server
 * has already cleared the transaction (RFC 5321 4.1.1.4), so RSET would only cost a round trip per
 * message, a fifth of a message's round trips, more over a long line to the office. Any other reused
 * session gets RSET first (RFC 5321 4.1.1.5). A session found closed or closing at MAIL FROM instead of at
 * RSET (the server dropped it while idle, or after its own per-connection limit) is dropped the same way:
 * the message takes another session and no attempt is recorded (`dropIfGone`). nodemailer's own pool
 * (smtp-pool/pool-resource.js) works the same way: RSET only after a refused message, and a message whose
 * reused connection the server closed before its first byte goes out over another connection.
 */
export class DestinationPool {
  readonly label: string;
  private options: DeliveryOptions;
  private readonly idle: SmtpSession[] = [];
  /** Active sessions, with what is needed to judge the message's outcome when they come back. */
  private readonly active = new Map<SmtpSession, HandedOut>();
  private readonly closing = new Set<SmtpSession>();
  private readonly idleTimers = new Map<SmtpSession, TimerHandle>();
  /** Idle sessions whose last transaction ended with the reply to the message: no RSET needed. */
  private readonly transactionEnded = new Set<SmtpSession>();
  private readonly waiters: (() => void)[] = [];
  private opening = 0;
  private closed = false;
  private lastConnectedAt: string | null = null;
  private lastError: DestinationFailure | null = null;
  private readonly limit: AdaptiveLimit;
  private readonly gate: RateGate;

  constructor(
    private destination: Destination,
    options: DeliveryOptions,
    private readonly deps: DestinationPoolDeps,
  ) {
    this.label = `${destination.host}:${destination.port}`;
    this.options = options;
    this.limit = new AdaptiveLimit(this.label, configuredLimits(destination, options), deps);
    this.gate = new RateGate(deps.clock);
    this.gate.setLimit(this.limit.ratePerMinute);
  }

  /**
   * Takes new limits and timeouts (and the destination's own overrides); sessions above a lowered limit
   * drain as they finish. Two domains sharing a pool with different overrides: the last one used wins.
   */
  configure(options: DeliveryOptions, destination: Destination = this.destination): void {
    this.options = options;
    this.destination = destination;
    this.limit.configure(configuredLimits(destination, options));
    this.gate.setLimit(this.limit.ratePerMinute);
    this.wake();
  }

  /**
   * A session ready for MAIL FROM, reused or new; waits while the destination is at its limit. Rejects
   * with SmtpSessionError when a new session cannot be opened. Give it back with `release`.
   */
  async acquire(): Promise<SmtpSession> {
    // Rate first, so a message waiting for its turn holds no session.
    await this.gate.take();
    let limitRetries = 0;
    for (;;) {
      if (this.closed) throw poolClosedError();
      const reused = this.idle.pop();
      if (reused) {
        this.cancelIdleTimer(reused);
        const handedOut = this.handOut(reused);
        this.active.set(reused, handedOut);
        if (this.transactionEnded.delete(reused)) {
          handedOut.resetSkipped = true;
          return reused;
        }
        if (await this.resetForReuse(reused)) return reused;
        continue;
      }
      if (this.size() < this.limit.connections) {
        const epoch = this.limit.epoch;
        try {
          return await this.open();
        } catch (error) {
          const retry = error instanceof SmtpSessionError ? this.onOpenRefused(error, epoch, limitRetries) : 'no';
          if (retry === 'no') throw error;
          if (retry === 'throttled') throw (error as SmtpSessionError).withErrorCode(THROTTLED_ERROR_CODE);
          limitRetries += 1;
          // A rate reply may have just set a gate: the retry waits its turn like any other message.
          await this.gate.take();
          continue;
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Gives a session back. `reusable` is false after a failure that leaves the session in doubt (no reply,
   * a broken stream); such a session is closed rather than trusted with the next message. A message that
   * got an answer other than a limit reply counts as a success for the adaptive limit. `transactionEnded`:
   * the message got the server's reply to its end of data, so the next one needs no RSET.
   */
  release(session: SmtpSession, reusable: boolean, transactionEnded = false): void {
    const handedOut = this.active.get(session);
    if (handedOut === undefined) return;
    this.active.delete(session);
    if (reusable && !handedOut.limited && session.messagesSent > handedOut.sentBefore) this.limit.onSuccess();
    this.gate.setLimit(this.limit.ratePerMinute);
    const reason: ClosedReason | null = session.closed
      ? 'ended'
      : this.closed
        ? 'pool-closed'
        : !reusable
          ? 'not-reusable'
          : handedOut.limited
            ? 'limit-reply'
            : session.messagesSent >= this.maxMessagesPerConnection()
              ? 'max-messages'
              : null;
    if (reason !== null) return this.retire(session, reason);
    if (transactionEnded) this.transactionEnded.add(session);
    this.idle.push(session);
    this.idleTimers.set(
      session,
      this.deps.clock.setTimeout(() => {
        this.idleTimers.delete(session);
        const index = this.idle.indexOf(session);
        if (index === -1) return;
        this.idle.splice(index, 1);
        this.retire(session, 'idle');
      }, this.deps.idleTimeoutMs),
    );
    this.wake();
  }

  /**
   * A reply on a session that is up (to MAIL FROM, RCPT TO, DATA, or a 421 closing it): when it is a limit
   * reply (451 4.7.1 Too many messages, 421 4.7.0 Too many connections...), lowers the limits as a refused
   * connection does and returns true, so the message is deferred with ETHROTTLED and retried soon. Call it
   * before `release`. The session is then QUIT rather than reused: the server may count per connection.
   */
  noteLimitReply(session: SmtpSession, code: number | null, response: string | null): boolean {
    const kind = limitKindOfReply(code, response);
    if (kind === null || response === null) return false;
    const handedOut = this.active.get(session);
    if (handedOut) handedOut.limited = true;
    // Too many recipients in one message: sending slower would not help (see LimitReplyKind).
    if (kind === 'recipients') return true;
    const others = this.active.size + this.idle.length + this.closing.size - (handedOut ? 1 : 0);
    this.cut(kind, response, handedOut?.epoch ?? -1, others);
    return true;
  }

  /**
   * A session reused without RSET that turned out closed or closing at MAIL FROM: no reply, or 421 (the
   * server closing the channel, RFC 5321 3.8). RSET would have found that, and the session would have been
   * dropped without a trace; so it is now. Returns true when dropped: the caller sends the same message on
   * another session and records nothing for this one. Call it before `noteLimitReply` and `release`.
   */
  dropIfGone(session: SmtpSession, failure: SmtpSessionError): boolean {
    const handedOut = this.active.get(session);
    if (handedOut?.resetSkipped !== true || failure.stage !== 'mail') return false;
    if (failure.isTransactionReply && failure.code !== 421) return false;
    this.active.delete(session);
    this.retire(session, 'gone-at-mail');
    return true;
  }

  /** Notes a session that broke mid-message, so the dashboard shows it like a failure to connect. */
  noteFailure(failure: SmtpSessionError): void {
    this.lastError = {
      time: new Date(this.deps.clock.now()).toISOString(),
      stage: failure.stage,
      code: failure.code,
      response: failure.responseText,
      errorCode: failure.errorCode,
    };
  }

  state(): DestinationPoolState {
    return {
      destination: this.label,
      tls: this.destination.tls,
      verifyCertificate: this.destination.verifyCertificate,
      authUser: this.destination.auth?.user ?? null,
      active: this.active.size,
      idle: this.idle.length,
      opening: this.opening,
      closing: this.closing.size,
      waiting: this.waiters.length,
      lastConnectedAt: this.lastConnectedAt,
      lastError: this.lastError,
    };
  }

  /** The limits in force now (lowered after limit replies) and why, for the dashboard. */
  throttle(): ThrottleState {
    return this.limit.state();
  }

  /**
   * A limit reply (e.g. 421 4.7.0 Too many connections) to a new session: lower the limits and try again
   * under them ('retry'); give up with ETHROTTLED when retries are used up or the limits cannot go lower
   * and this refusal was news; 'no' for any other failure, which keeps its own errorCode.
   */
  private onOpenRefused(failure: SmtpSessionError, epoch: number, retries: number): 'retry' | 'throttled' | 'no' {
    const kind = limitKindOfReply(failure.code, failure.response);
    if (kind === null) return 'no';
    const stale = epoch !== this.limit.epoch;
    // Too many recipients cannot come before MAIL FROM; were a server to say so, it is no reason to retry here.
    if (kind === 'recipients') return 'throttled';
    // What the server had let in when it refused: our established sessions. Those still opening are left
    // out, as the server may refuse them too; counting them would overstate the limit.
    const established = this.active.size + this.idle.length + this.closing.size;
    const lowered = this.cut(kind, failure.responseText, epoch, established);
    if (retries >= MAX_LIMIT_RETRIES || (!lowered && !stale)) return 'throttled';
    return 'retry';
  }

  /** Lowers the limits after a limit reply from a message or session started in `epoch`; true when lowered. */
  private cut(kind: LimitKind, reply: string, epoch: number, othersOpen: number): boolean {
    const lowered = this.limit.onLimitReply(kind, reply, epoch, this.gate.sentInLastMinute(), othersOpen);
    this.gate.setLimit(this.limit.ratePerMinute);
    this.wake();
    return lowered;
  }

  private handOut(session: SmtpSession): HandedOut {
    return { sentBefore: session.messagesSent, epoch: this.limit.epoch, limited: false, resetSkipped: false };
  }

  /**
   * QUITs idle sessions, drops active ones (their messages fail with ECONNECTION and are deferred), refuses
   * new work, and resolves when every TCP connection is closed.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.gate.close();
    for (const wake of this.waiters.splice(0)) wake();
    for (const session of this.idle.splice(0)) {
      this.cancelIdleTimer(session);
      this.retire(session, 'pool-closed');
    }
    for (const session of [...this.active.keys()]) session.close();
    await Promise.all([...this.active.keys(), ...this.closing].map((session) => session.whenGone()));
    // Sessions still being opened finish (or fail) within connectTimeoutMs; `open` retires them on arrival.
    while (this.opening > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    await Promise.all([...this.closing].map((session) => session.whenGone()));
  }

  private async open(): Promise<SmtpSession> {
    this.opening += 1;
    let session: SmtpSession;
    try {
      session = await openSmtpSession(this.destination, this.options, this.deps.lookup);
    } catch (error) {
      this.opening -= 1;
      const failure = error instanceof SmtpSessionError ? error : SmtpSessionError.fromNodemailer(error, { stage: 'connect', remoteAddress: null, localAddress: null });
      this.noteFailure(failure);
      this.deps.logger.log('warn', 'DELIVERY_SESSION_FAILED', {
        destination: this.label,
        stage: failure.stage,
        errorCode: failure.errorCode,
        code: failure.code,
        response: failure.responseText,
        remote: failure.remoteAddress,
      });
      this.wake();
      throw failure;
    }
    this.opening -= 1;
    this.lastConnectedAt = new Date(this.deps.clock.now()).toISOString();
    this.deps.logger.log('info', 'DELIVERY_SESSION_OPENED', {
      destination: this.label,
      remote: session.remoteAddress,
      local: session.localAddress,
      tls: session.secure,
    });
    session.onEnd(() => this.onSessionEnd(session));
    if (this.closed) {
      this.retire(session, 'pool-closed');
      throw poolClosedError();
    }
    this.active.set(session, this.handOut(session));
    return session;
  }

  /** RSET on a reused session; a session that fails it is dropped and the caller looks for another. */
  private async resetForReuse(session: SmtpSession): Promise<boolean> {
    try {
      await session.reset();
      return true;
    } catch {
      this.active.delete(session);
      this.retire(session, 'reset-failed');
      return false;
    }
  }

  /**
   * Ends a session and keeps counting it until its TCP connection is gone. A healthy session gets QUIT
   * (RFC 5321 4.1.1.10); one left in doubt is dropped: after a broken DATA stream a QUIT would only be read
   * as message text, and the slot would stay taken until the socket timeout.
   */
  private retire(session: SmtpSession, reason: ClosedReason): void {
    this.transactionEnded.delete(session);
    this.closing.add(session);
    this.deps.logger.log('info', 'DELIVERY_SESSION_CLOSED', {
      destination: this.label,
      remote: session.remoteAddress,
      messages: session.messagesSent,
      reason,
    });
    if (reason === 'not-reusable' || reason === 'reset-failed' || reason === 'gone-at-mail') session.close();
    else session.quit();
    void session.whenGone().then(() => {
      this.closing.delete(session);
      this.wake();
    });
  }

  /** The connection ended on its own (server closed it, socket error): forget it wherever it was. */
  private onSessionEnd(session: SmtpSession): void {
    this.cancelIdleTimer(session);
    const index = this.idle.indexOf(session);
    if (index !== -1) this.idle.splice(index, 1);
    // An active session is retired when its user releases it; a closing one is already counted.
    if (index !== -1) this.retire(session, 'ended');
  }

  private cancelIdleTimer(session: SmtpSession): void {
    const timer = this.idleTimers.get(session);
    if (timer === undefined) return;
    this.deps.clock.clearTimeout(timer);
    this.idleTimers.delete(session);
  }

  /** Lets every waiter look again; those that find no room wait again. */
  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  private maxMessagesPerConnection(): number {
    return this.destination.maxMessagesPerConnection ?? this.options.maxMessagesPerConnection;
  }

  private size(): number {
    return this.opening + this.active.size + this.idle.length + this.closing.size;
  }
}

/** The destination's own limits where set, the global delivery settings otherwise. */
function configuredLimits(destination: Destination, options: DeliveryOptions): ConfiguredLimits {
  return {
    maxConnections: destination.maxConnections ?? options.maxConnectionsPerDestination,
    maxMessagesPerMinute: destination.maxMessagesPerMinute ?? 0,
  };
}

function poolClosedError(): SmtpSessionError {
  return new SmtpSessionError('Delivery stopped: the connection pool is closed', {
    stage: 'connect',
    errorCode: 'EABORT',
    remoteAddress: null,
    localAddress: null,
  });
}
