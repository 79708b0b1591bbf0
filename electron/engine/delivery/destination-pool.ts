import type { AttemptStage } from '../../contract/report-schema.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { DeliveryOptions, Destination } from './delivery-types.js';
import { openSmtpSession, type HostLookup } from './open-smtp-session.js';
import type { SmtpSession } from './smtp-session.js';
import { SmtpSessionError } from './smtp-session-error.js';

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

type ClosedReason = 'max-messages' | 'idle' | 'not-reusable' | 'reset-failed' | 'pool-closed' | 'ended';

/**
 * Sessions to one destination (host:port, TLS mode, certificate check, credentials). Limits: at most
 * `maxConnectionsPerDestination` sessions at once, counting those being opened and those still closing (a
 * server that caps connections per client counts them until the TCP connection is gone), and at most
 * `maxMessagesPerConnection` messages per session, then QUIT. An unused session is closed after
 * `idleTimeoutMs`. A reused session gets RSET first (RFC 5321 4.1.1.5), which also finds sessions the
 * server dropped while idle.
 */
export class DestinationPool {
  readonly label: string;
  private options: DeliveryOptions;
  private readonly idle: SmtpSession[] = [];
  private readonly active = new Set<SmtpSession>();
  private readonly closing = new Set<SmtpSession>();
  private readonly idleTimers = new Map<SmtpSession, TimerHandle>();
  private readonly waiters: (() => void)[] = [];
  private opening = 0;
  private closed = false;
  private lastConnectedAt: string | null = null;
  private lastError: DestinationFailure | null = null;

  constructor(
    private readonly destination: Destination,
    options: DeliveryOptions,
    private readonly deps: DestinationPoolDeps,
  ) {
    this.label = `${destination.host}:${destination.port}`;
    this.options = options;
  }

  /** Takes new limits and timeouts; sessions above a lowered limit drain as they finish. */
  configure(options: DeliveryOptions): void {
    this.options = options;
    this.wake();
  }

  /**
   * A session ready for MAIL FROM, reused or new; waits while the destination is at its limit. Rejects
   * with SmtpSessionError when a new session cannot be opened. Give it back with `release`.
   */
  async acquire(): Promise<SmtpSession> {
    for (;;) {
      if (this.closed) throw poolClosedError();
      const reused = this.idle.pop();
      if (reused) {
        this.cancelIdleTimer(reused);
        this.active.add(reused);
        if (await this.resetForReuse(reused)) return reused;
        continue;
      }
      if (this.size() < this.options.maxConnectionsPerDestination) return this.open();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /**
   * Gives a session back. `reusable` is false after a failure that leaves the session in doubt (no reply,
   * a broken stream); such a session is closed rather than trusted with the next message.
   */
  release(session: SmtpSession, reusable: boolean): void {
    if (!this.active.delete(session)) return;
    const reason: ClosedReason | null = session.closed
      ? 'ended'
      : this.closed
        ? 'pool-closed'
        : !reusable
          ? 'not-reusable'
          : session.messagesSent >= this.options.maxMessagesPerConnection
            ? 'max-messages'
            : null;
    if (reason !== null) return this.retire(session, reason);
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

  /**
   * QUITs idle sessions, drops active ones (their messages fail with ECONNECTION and are deferred), refuses
   * new work, and resolves when every TCP connection is closed.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiters.splice(0)) wake();
    for (const session of this.idle.splice(0)) {
      this.cancelIdleTimer(session);
      this.retire(session, 'pool-closed');
    }
    for (const session of [...this.active]) session.close();
    await Promise.all([...this.active, ...this.closing].map((session) => session.whenGone()));
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
    this.active.add(session);
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
    this.closing.add(session);
    this.deps.logger.log('info', 'DELIVERY_SESSION_CLOSED', {
      destination: this.label,
      remote: session.remoteAddress,
      messages: session.messagesSent,
      reason,
    });
    if (reason === 'not-reusable' || reason === 'reset-failed') session.close();
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

  private size(): number {
    return this.opening + this.active.size + this.idle.length + this.closing.size;
  }
}

function poolClosedError(): SmtpSessionError {
  return new SmtpSessionError('Delivery stopped: the connection pool is closed', {
    stage: 'connect',
    errorCode: 'EABORT',
    remoteAddress: null,
    localAddress: null,
  });
}
