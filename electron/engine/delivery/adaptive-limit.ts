import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { LimitKind } from './limit-replies.js';

/** Consecutive delivered messages before a lowered limit is raised by one step. */
export const RAISE_AFTER_SUCCESSES = 20;

/**
 * Trying again the connection count the server last refused takes this many times more successes: the
 * found limit holds for a while (the dashboard shows it), yet a server whose limit was raised is found out.
 */
export const CEILING_PATIENCE = 5;

/** The limits the admin configured for one destination. */
export interface ConfiguredLimits {
  maxConnections: number;
  /** 0 = no limit. */
  maxMessagesPerMinute: number;
}

/** What the dashboard shows: the limits in force now and why they differ from the configured ones. */
export interface ThrottleState {
  /** Sessions allowed at once now. */
  connectionLimit: number;
  configuredLimit: number;
  /** Messages allowed per minute now; null = no limit. */
  ratePerMinute: number | null;
  /** The configured rate; null = no limit. */
  configuredRatePerMinute: number | null;
  /** The server reply that lowered the limits; null while the configured limits apply. */
  reason: string | null;
  /** ISO 8601, UTC: when the limits were last lowered; null while the configured limits apply. */
  since: string | null;
}

/**
 * AIMD limits for one destination, as TCP congestion control does: a limit reply halves the connection limit
 * (min 1; lower still when fewer sessions were open at the refusal, since the server let only those in) and, for a rate reply, sets a messages-per-minute gate at half the rate we were sending at;
 * every RAISE_AFTER_SUCCESSES delivered messages in a row raise the connection limit by one and the rate by
 * a quarter, up to the configured values, where the reason is cleared.
 *
 * A cut applies once per "epoch": sessions opened before a cut were opened under the old limit, so their
 * refusals say nothing new and do not halve it again (otherwise one burst of refusals would drive it to 1).
 */
export class AdaptiveLimit {
  private configured: ConfiguredLimits;
  private connectionLimit: number;
  private rate: number | null;
  private reason: string | null = null;
  private since: string | null = null;
  private successes = 0;
  private epochCounter = 0;
  /** The connection count the server last refused (ours open at that moment, the refused one included). */
  private ceiling: number | null = null;

  constructor(
    private readonly label: string,
    configured: ConfiguredLimits,
    private readonly deps: { clock: Clock; logger: Logger },
  ) {
    this.configured = configured;
    this.connectionLimit = configured.maxConnections;
    this.rate = configuredRate(configured);
  }

  /** Bumped by every cut; a refusal is news only if the session was started in the current epoch. */
  get epoch(): number {
    return this.epochCounter;
  }

  get connections(): number {
    return this.connectionLimit;
  }

  get ratePerMinute(): number | null {
    return this.rate;
  }

  /** New configured limits: a lowered limit stays lowered (within the new maximum); an unthrottled one follows. */
  configure(configured: ConfiguredLimits): void {
    const changed = configured.maxConnections !== this.configured.maxConnections || configured.maxMessagesPerMinute !== this.configured.maxMessagesPerMinute;
    this.configured = configured;
    if (!changed) return;
    if (this.reason === null) {
      this.connectionLimit = configured.maxConnections;
      this.rate = configuredRate(configured);
    } else {
      this.connectionLimit = Math.min(this.connectionLimit, configured.maxConnections);
      const max = configuredRate(configured);
      if (max !== null && (this.rate === null || this.rate > max)) this.rate = max;
    }
  }

  /**
   * A limit reply from a session started in `epoch`, while `othersOpen` of our other sessions to this
   * destination were open. Returns true when it lowered a limit; false when it was stale (an older epoch)
   * or the limits are already at their floor.
   */
  onLimitReply(kind: LimitKind, reply: string, epoch: number, sentInLastMinute: number, othersOpen: number): boolean {
    this.successes = 0;
    if (epoch !== this.epochCounter) return false;
    if (kind === 'connections') this.ceiling = othersOpen + 1;
    const connections = Math.max(1, Math.min(Math.floor(this.connectionLimit / 2), kind === 'connections' ? othersOpen : Infinity));
    let rate = this.rate;
    if (kind === 'rate') {
      const current = this.rate === null ? sentInLastMinute : Math.min(this.rate, sentInLastMinute);
      rate = Math.max(1, Math.floor(current / 2));
    }
    if (connections === this.connectionLimit && rate === this.rate) return false;
    this.epochCounter += 1;
    this.connectionLimit = connections;
    this.rate = rate;
    this.reason = reply;
    this.since = new Date(this.deps.clock.now()).toISOString();
    this.deps.logger.log('warn', 'DELIVERY_LIMIT_LOWERED', {
      destination: this.label,
      kind,
      connections,
      ratePerMinute: rate,
      configuredConnections: this.configured.maxConnections,
      reply,
    });
    return true;
  }

  /** A message was delivered (accepted at DATA). */
  onSuccess(): void {
    if (this.reason === null) return;
    this.successes += 1;
    const atCeiling = this.ceiling !== null && this.connectionLimit + 1 >= this.ceiling;
    if (this.successes < RAISE_AFTER_SUCCESSES * (atCeiling ? CEILING_PATIENCE : 1)) return;
    this.successes = 0;
    if (atCeiling) this.ceiling = null;
    this.connectionLimit = Math.min(this.configured.maxConnections, this.connectionLimit + 1);
    const max = configuredRate(this.configured);
    if (this.rate !== null) {
      const raised = this.rate + Math.max(1, Math.ceil(this.rate / 4));
      this.rate = max !== null && raised >= max ? max : raised;
    }
    // Without a configured rate, the gate goes once concurrency is back: the rate it allowed then was enough.
    if (max === null && this.connectionLimit === this.configured.maxConnections) this.rate = null;
    if (this.connectionLimit === this.configured.maxConnections && this.rate === max) {
      this.ceiling = null;
      this.reason = null;
      this.since = null;
      this.deps.logger.log('info', 'DELIVERY_LIMIT_RESTORED', { destination: this.label, connections: this.connectionLimit, ratePerMinute: this.rate });
      return;
    }
    this.deps.logger.log('info', 'DELIVERY_LIMIT_RAISED', {
      destination: this.label,
      connections: this.connectionLimit,
      ratePerMinute: this.rate,
      configuredConnections: this.configured.maxConnections,
    });
  }

  state(): ThrottleState {
    return {
      connectionLimit: this.connectionLimit,
      configuredLimit: this.configured.maxConnections,
      ratePerMinute: this.rate,
      configuredRatePerMinute: configuredRate(this.configured),
      reason: this.reason,
      since: this.since,
    };
  }
}

function configuredRate(configured: ConfiguredLimits): number | null {
  return configured.maxMessagesPerMinute > 0 ? configured.maxMessagesPerMinute : null;
}
