import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Destination, Settings } from '../../contract/settings-schema.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import { isoTimeMs } from '../runtime/iso-time.js';
import type { Logger } from '../runtime/logger.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { ProbeOutcome } from './probe-destinations.js';

export interface RecoveryProberDependencies {
  spool: { all(): Iterable<QueueEntry> };
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** Where the entry goes, as delivery would route it. */
  route: (entry: QueueEntry) => Promise<Destination[]>;
  /** One light connection per destination, in order, until one answers (probe-destinations.ts). */
  probe: (destinations: Destination[]) => Promise<ProbeOutcome>;
  /** The newest attempt for the domain (kept across restarts by the engine). */
  lastAttempt: (domain: string) => AttemptRecord | undefined;
  /** Messages of the domain being delivered right now. */
  inFlight: (domain: string) => number;
  /** The server answered: lift the suspension and make the domain's queued mail due now; returns how many. */
  recover: (domain: string) => number;
}

/** Per-domain probe state, for the dashboard. Times in ms since epoch. */
export interface ProbeState {
  /** Whether the domain is being probed (deferred, mail queued, next regular attempt more than one interval away). */
  active: boolean;
  lastProbeAt: number | null;
  nextProbeAt: number | null;
  lastResult: 'answered' | 'failed' | null;
  /** The failed probe's reply or network error, null after an answer. */
  lastResponse: string | null;
  /** When a probe last found the server back. */
  recoveredAt: number | null;
  /** Recoveries in a row after which delivery failed again before the transaction: each doubles the interval. */
  falseRecoveries: number;
  /** A recovery whose first delivery has not been seen yet. */
  awaitingDelivery: boolean;
  probing: boolean;
}

const MINUTE_MS = 60_000;
/** Backoff cap for a server that answers probes but keeps failing deliveries before MAIL FROM (unit: ms). */
const MAX_BACKOFF_MS = 60 * MINUTE_MS;
/** Timers may fire a little late; a probe due within this is taken on this beat, not the next (unit: ms). */
const SLACK_MS = 1_000;

/**
 * Fast recovery: while a domain's mail waits because its server could not be reached, asks the server every
 * `retry.probeIntervalMinutes` with one light connection (connect, banner, EHLO, QUIT) instead of waiting
 * for the next regular retry (60-120 min). When it answers, the domain's queued mail becomes due at once; the
 * runner's per-domain cap and the destination pools' connection limits pace the ramp-up. A failed probe
 * changes nothing: no message attempt is counted, nothing is written to the spool.
 *
 * Probes run on one beat for all domains; each beat scans the spool once (as the runner's safety scan does).
 */
export class RecoveryProber {
  private readonly states = new Map<string, ProbeState>();
  private timer: TimerHandle | null = null;
  private beatMs = 0;
  private running = false;

  constructor(private readonly deps: RecoveryProberDependencies) {}

  start(): void {
    this.running = true;
    this.schedule(this.intervalMs());
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Picks up a changed probe interval (called on every runner scan, so within a minute of a settings change). */
  refresh(): void {
    if (this.running && this.intervalMs() !== this.beatMs) this.schedule(this.intervalMs());
  }

  /** The domain's probe state, or null when it was never probed or has no queued mail left. */
  state(domain: string): Readonly<ProbeState> | null {
    return this.states.get(domain) ?? null;
  }

  private intervalMs(): number {
    return this.deps.settings().retry.probeIntervalMinutes * MINUTE_MS;
  }

  private schedule(beatMs: number): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.beatMs = beatMs;
    if (!this.running || beatMs <= 0) return; // 0 = off; refresh() starts the beat again when it is turned on
    this.timer = this.deps.clock.setTimeout(() => this.beat(), beatMs);
  }

  private beat(): void {
    if (!this.running) return;
    this.schedule(this.intervalMs());
    if (this.beatMs <= 0) return;
    const now = this.deps.clock.now();
    const queued = this.queuedByDomain();
    for (const [domain, state] of this.states) {
      if (!queued.has(domain) && !state.probing) this.states.delete(domain);
    }
    for (const [domain, info] of queued) {
      const state = this.states.get(domain);
      if (state) this.noteDeliveryAfterRecovery(domain, state);
      const intervalMs = Math.min(this.beatMs * 2 ** (state?.falseRecoveries ?? 0), Math.max(MAX_BACKOFF_MS, this.beatMs));
      if (!this.eligible(domain, info, now, intervalMs)) {
        if (state) {
          state.active = false;
          state.nextProbeAt = null;
        }
        continue;
      }
      const current = state ?? this.newState();
      this.states.set(domain, current);
      current.active = true;
      // From the last probe, so a longer interval after a false recovery applies at once.
      const dueAt = current.lastProbeAt === null ? now : current.lastProbeAt + intervalMs;
      const due = dueAt <= now + SLACK_MS;
      current.nextProbeAt = due ? now + intervalMs : dueAt;
      if (!due || current.probing) continue; // one probe at a time per domain
      void this.probe(domain, info.oldest, current);
    }
  }

  /**
   * Worth probing: queued mail, none being delivered, not held, the last attempt failed before the
   * transaction at a step the probe repeats (connect, banner, EHLO), and the next regular attempt is more
   * than one interval away. A failure at STARTTLS or AUTH is not probed: the probe skips both, so its
   * answer would say nothing about them.
   */
  private eligible(domain: string, info: QueuedInfo, now: number, intervalMs: number): boolean {
    if (info.delivering || this.deps.inFlight(domain) > 0) return false;
    if (this.deps.settings().domains.find((d) => d.name === domain)?.held === true) return false;
    if (info.earliestAt - now <= intervalMs) return false;
    const last = this.deps.lastAttempt(domain);
    return last !== undefined && failedBeforeTransaction(last);
  }

  /** After a recovery, did the first delivery get past the greeting? If not, the next probes come less often. */
  private noteDeliveryAfterRecovery(domain: string, state: ProbeState): void {
    if (!state.awaitingDelivery || state.recoveredAt === null) return;
    const last = this.deps.lastAttempt(domain);
    if (!last || Date.parse(last.time) < state.recoveredAt) return;
    state.awaitingDelivery = false;
    state.falseRecoveries = failedBeforeTransaction(last) ? state.falseRecoveries + 1 : 0;
  }

  private async probe(domain: string, entry: QueueEntry, state: ProbeState): Promise<void> {
    state.probing = true;
    state.lastProbeAt = this.deps.clock.now();
    try {
      const destinations = await this.deps.route(entry);
      const outcome = await this.deps.probe(destinations);
      if (!this.running) return;
      if (!outcome.answered) {
        state.lastResult = 'failed';
        state.lastResponse = outcome.response;
        this.deps.logger.log('debug', 'RECOVERY_PROBE_FAILED', {
          domain,
          destination: outcome.destination,
          code: outcome.code,
          errorCode: outcome.errorCode,
          response: outcome.response,
        });
        return;
      }
      state.lastResult = 'answered';
      state.lastResponse = null;
      state.recoveredAt = this.deps.clock.now();
      state.awaitingDelivery = true;
      state.active = false;
      state.nextProbeAt = null;
      const retried = this.deps.recover(domain);
      this.deps.logger.log('info', 'RECOVERY_PROBE_ANSWERED', { domain, destination: outcome.destination, retried });
    } catch (error) {
      // A routing failure (no MX, DNS down) is not the server's answer: the next beat asks again.
      state.lastResult = 'failed';
      state.lastResponse = error instanceof Error ? error.message : String(error);
      this.deps.logger.log('debug', 'RECOVERY_PROBE_FAILED', { domain, response: state.lastResponse });
    } finally {
      state.probing = false;
    }
  }

  private newState(): ProbeState {
    return { active: true, lastProbeAt: null, nextProbeAt: null, lastResult: null, lastResponse: null, recoveredAt: null, falseRecoveries: 0, awaitingDelivery: false, probing: false };
  }

  /** One pass over the spool: per domain with queued (not held) mail, its oldest entry and earliest next attempt. */
  private queuedByDomain(): Map<string, QueuedInfo> {
    const byDomain = new Map<string, QueuedInfo>();
    for (const entry of this.deps.spool.all()) {
      if (entry.state === 'held') continue;
      let info = byDomain.get(entry.domain);
      if (!info) {
        info = { oldest: entry, earliestAt: Infinity, delivering: false };
        byDomain.set(entry.domain, info);
      }
      if (entry.state === 'delivering') info.delivering = true;
      if (entry.createdAt < info.oldest.createdAt) info.oldest = entry;
      if (entry.state === 'queued' && entry.nextAttemptAt !== null) info.earliestAt = Math.min(info.earliestAt, isoTimeMs(entry.nextAttemptAt));
    }
    return byDomain;
  }
}

/** Deferred at a step the probe repeats: unreachable, refused at the banner (e.g. 421), or at EHLO. */
function failedBeforeTransaction(attempt: AttemptRecord): boolean {
  return attempt.outcome === 'deferred' && (attempt.stage === 'connect' || attempt.stage === 'ehlo');
}

interface QueuedInfo {
  oldest: QueueEntry;
  earliestAt: number;
  delivering: boolean;
}
