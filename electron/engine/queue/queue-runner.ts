import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Destination, Settings } from '../../contract/settings-schema.js';
import type { DeliveryReport, OutboundMessage, RecipientResult } from '../delivery/delivery-types.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import { isoTimeMs } from '../runtime/iso-time.js';
import type { Logger } from '../runtime/logger.js';
import type { ProbeOutcome } from '../recovery/probe-destinations.js';
import { RecoveryProber, type ProbeState } from '../recovery/recovery-prober.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { SpoolStore } from '../spool/spool-store.js';
import { effectiveRetryPolicy, retryDelayMs } from './retry-schedule.js';

/** A recipient that failed for good, as a DSN reports it (RFC 3464 2.3). */
export interface FailedRecipient {
  address: string;
  status: string;
  remoteMta: string | null;
  diagnostic: string | null;
  lastAttemptDate: string | null;
}

export interface QueueRunnerDependencies {
  spool: SpoolStore;
  settings: () => Settings;
  clock: Clock;
  logger: Logger;
  /** Where this entry goes: its domain's Mail Server Settings, or the sender's MX / relay for a DSN. */
  route: (entry: QueueEntry) => Promise<Destination[]>;
  deliver: (message: OutboundMessage, destinations: Destination[]) => Promise<DeliveryReport>;
  recordAttempt: (record: AttemptRecord) => void;
  /** Queues a DSN to the entry's sender; must be durable before it resolves (the entry is removed after). */
  notifySender: (entry: QueueEntry, recipients: FailedRecipient[], kind: 'failure' | 'delay') => Promise<void>;
  onChange: (domains: string[]) => void;
  random?: () => number;
  /** Fast recovery (engine/recovery/): probes a deferred domain's server; without it, only the retry schedule applies. */
  recovery?: {
    probe: (destinations: Destination[]) => Promise<ProbeOutcome>;
    lastAttempt: (domain: string) => AttemptRecord | undefined;
  };
}

const MAX_IN_FLIGHT = 256; // messages being delivered at once, all destinations together
/** A message up to this size is read whole for delivery (off this thread); at most 256 × 128 KiB = 32 MiB held. */
const READ_WHOLE_MAX_BYTES = 128 * 1024;
const SAFETY_SCAN_MS = 60_000; // rescan at least this often, in case a timer was clamped or missed
const HOUR_MS = 3_600_000;

type PendingAction = (entry: QueueEntry) => Promise<unknown>;

/**
 * Decides what to send when, hands it to delivery, and applies the outcome to the spool. The runner owns
 * the retry schedule, lifetimes and bounces; delivery only talks SMTP.
 */
/** Retry delay after a deferral caused by the destination's connection or rate limit (errorCode ETHROTTLED). */
export const THROTTLED_RETRY_MS = 60_000;

export class QueueRunner {
  private readonly readyByDomain = new Map<string, string[]>();
  private readonly ready = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly inFlightByDomain = new Map<string, number>();
  private readonly afterFlight = new Map<string, PendingAction>();
  /** Domains none of whose servers could be reached: skip connecting until then (like Postfix's dead-destination cache). */
  private readonly suspended = new Map<string, { until: number; reason: string }>();
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private readonly prober: RecoveryProber | null;

  constructor(private readonly deps: QueueRunnerDependencies) {
    const recovery = deps.recovery;
    this.prober = recovery
      ? new RecoveryProber({
          spool: deps.spool,
          settings: deps.settings,
          clock: deps.clock,
          logger: deps.logger,
          route: deps.route,
          probe: recovery.probe,
          lastAttempt: recovery.lastAttempt,
          inFlight: (domain) => this.inFlightByDomain.get(domain) ?? 0,
          recover: (domain) => this.retryNow([...deps.spool.all()].filter((entry) => entry.domain === domain)),
        })
      : null;
  }

  start(): void {
    this.running = true;
    this.prober?.start();
    this.scan();
  }

  /** Stops starting deliveries; resolves when those in flight have finished and been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.prober?.stop();
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get deliveringCount(): number {
    return this.inFlight.size;
  }

  /** New entries are due at once. */
  /** New entries: due ones start now; one scheduled later (its domain is suspended) wakes the timer in time. */
  enqueue(entries: QueueEntry[]): void {
    this.prober?.refresh();
    const now = this.deps.clock.now();
    for (const entry of entries) {
      if (entry.state !== 'queued' || entry.nextAttemptAt === null) continue;
      const at = isoTimeMs(entry.nextAttemptAt);
      if (at <= now) this.markReady(entry);
      else if (this.running && at < this.timerAt) this.setTimer(at, now);
    }
    this.pump();
  }

  /**
   * When a new message for `domain` may first be tried: now, or the end of the domain's suspension (none
   * of its servers could be reached a moment ago, so connecting again for every new arrival is pointless).
   */
  firstAttemptAt(domain: string): number {
    const now = this.deps.clock.now();
    const suspension = this.suspended.get(domain);
    return suspension && suspension.until > now ? suspension.until : now;
  }

  /** Until when the domain counts as unreachable (ms), or null: shown on the dashboard. */
  suspendedUntil(domain: string): number | null {
    const suspension = this.suspended.get(domain);
    return suspension && suspension.until > this.deps.clock.now() ? suspension.until : null;
  }

  /** Fast-recovery probing of the domain (last probe, next probe, result), or null when it is not watched. */
  probeState(domain: string): Readonly<ProbeState> | null {
    return this.prober?.state(domain) ?? null;
  }

  /** "Retry now": due immediately, and the domain is no longer treated as unreachable. */
  retryNow(entries: QueueEntry[]): number {
    const now = new Date(this.deps.clock.now()).toISOString();
    let count = 0;
    for (const entry of entries) {
      this.suspended.delete(entry.domain);
      if (entry.state === 'delivering' && this.inFlight.has(entry.id)) {
        // The attempt in flight reschedules the entry when it ends: make it due again right after, or the request is lost.
        if (!this.afterFlight.has(entry.id)) this.afterFlight.set(entry.id, async (current) => void this.retryNow([current]));
        count += 1;
        continue;
      }
      if (entry.state !== 'queued') continue;
      this.deps.spool.patchTransient(entry.id, { nextAttemptAt: now });
      this.markReady(entry);
      count += 1;
    }
    this.pump();
    this.deps.onChange([...new Set(entries.map((entry) => entry.domain))]);
    return count;
  }

  /** Runs `action` now, or right after the delivery in flight for that entry has been applied. */
  async whenIdle(id: string, action: PendingAction): Promise<void> {
    if (this.inFlight.has(id)) {
      this.afterFlight.set(id, action);
      return;
    }
    const entry = this.deps.spool.get(id);
    if (entry) await action(entry);
  }

  /** O(1): the id stays in its domain's list as a stale slot that pump() skips. */
  forgetReady(id: string): void {
    this.ready.delete(id);
  }

  private markReady(entry: QueueEntry): void {
    if (this.ready.has(entry.id) || this.inFlight.has(entry.id)) return;
    this.ready.add(entry.id);
    const list = this.readyByDomain.get(entry.domain) ?? [];
    list.push(entry.id);
    this.readyByDomain.set(entry.domain, list);
  }

  /** Finds every due entry, oldest due first, and sets the timer for the next one. */
  private scan(): void {
    if (!this.running) return;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.prober?.refresh(); // a changed retry.probeIntervalMinutes takes effect within SAFETY_SCAN_MS
    const now = this.deps.clock.now();
    const due: { entry: QueueEntry; at: number }[] = [];
    let earliest = now + SAFETY_SCAN_MS;
    for (const entry of this.deps.spool.all()) {
      if (entry.state !== 'queued' || entry.nextAttemptAt === null) continue;
      const at = isoTimeMs(entry.nextAttemptAt);
      if (at <= now) due.push({ entry, at });
      else if (at < earliest) earliest = at;
    }
    due.sort((a, b) => a.at - b.at);
    for (const { entry } of due) this.markReady(entry);
    this.setTimer(earliest, now);
    this.pump();
  }

  private setTimer(at: number, now: number): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.deps.clock.setTimeout(() => this.scan(), Math.max(0, at - now));
  }

  /** Starts deliveries while there is room: round-robin over domains so one backlog never starves another. */
  private pump(): void {
    if (!this.running) return;
    const perDomainCap = this.deps.settings().delivery.maxConnectionsPerDestination * 2;
    let progressed = true;
    while (progressed && this.inFlight.size < MAX_IN_FLIGHT) {
      progressed = false;
      for (const [domain, list] of this.readyByDomain) {
        if (this.inFlight.size >= MAX_IN_FLIGHT) return;
        if ((this.inFlightByDomain.get(domain) ?? 0) >= perDomainCap) continue;
        const id = list.shift();
        if (list.length === 0) this.readyByDomain.delete(domain);
        if (id === undefined) continue;
        progressed = true; // a slot was consumed, launched or not: keep going
        if (!this.ready.delete(id)) continue; // stale slot of a forgotten id
        const entry = this.deps.spool.get(id);
        if (entry?.state === 'queued') this.launch(entry);
      }
    }
  }

  private launch(entry: QueueEntry): void {
    this.inFlight.add(entry.id);
    this.inFlightByDomain.set(entry.domain, (this.inFlightByDomain.get(entry.domain) ?? 0) + 1);
    this.deps.spool.patchTransient(entry.id, { state: 'delivering' });
    void this.attempt(entry)
      .catch(async (error: unknown) => {
        this.deps.logger.log('error', 'DELIVERY_RUN_FAILED', { id: entry.id, message: (error as Error).message });
        this.deps.spool.patchTransient(entry.id, { state: 'queued', nextAttemptAt: new Date(this.deps.clock.now() + 60_000).toISOString() });
      })
      .finally(async () => {
        this.inFlight.delete(entry.id);
        const left = (this.inFlightByDomain.get(entry.domain) ?? 1) - 1;
        if (left <= 0) this.inFlightByDomain.delete(entry.domain);
        else this.inFlightByDomain.set(entry.domain, left);
        const action = this.afterFlight.get(entry.id);
        this.afterFlight.delete(entry.id);
        const current = this.deps.spool.get(entry.id);
        if (action && current) await action(current).catch((error: unknown) => this.deps.logger.log('error', 'QUEUE_ACTION_FAILED', { id: entry.id, message: (error as Error).message }));
        if (this.inFlight.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        this.pump();
      });
  }

  private async attempt(entry: QueueEntry): Promise<void> {
    const now = this.deps.clock.now();
    const suspension = this.suspended.get(entry.domain);
    const suspended = suspension !== undefined && suspension.until > now;
    let report: DeliveryReport;
    if (suspended) {
      report = suspendedReport(entry, suspension.reason, now);
    } else {
      // A body that no longer matches what was received (torn by a power cut) is quarantined, never sent.
      // One delivered whole is read once: its bytes are checked, then sent. A read that fails (a file cut
      // short) leaves verifyBody to read the file itself and say why.
      const readOnce = entry.size <= READ_WHOLE_MAX_BYTES && this.deps.spool.needsVerifying(entry.id);
      const read = readOnce ? await this.deps.spool.readMessage(entry.id).catch(() => undefined) : undefined;
      if (!(await this.deps.spool.verifyBody(entry.id, read))) {
        this.deps.onChange([entry.domain]);
        return;
      }
      report = await this.routeAndDeliver(entry, now, read);
      this.updateSuspension(entry, report);
    }
    for (const record of report.attempts) this.deps.recordAttempt(record);
    await this.apply(entry, report, { fsync: !suspended }); // a deferral without contacting the server need not reach the disk platter
  }

  /** Delivers to the entry's destinations; a routing failure becomes a deferral that says why. */
  private async routeAndDeliver(entry: QueueEntry, now: number, read?: Buffer): Promise<DeliveryReport> {
    let destinations: Destination[];
    try {
      destinations = await this.deps.route(entry);
    } catch (error) {
      return routeFailureReport(entry, (error as Error).message, now);
    }
    if (destinations.length === 0) return routeFailureReport(entry, 'No mail server is configured for this domain', now);
    const message = toOutbound(entry, this.deps.spool.bodyPath(entry.id));
    if (read !== undefined) message.readBody = async () => read;
    else if (entry.size <= READ_WHOLE_MAX_BYTES) message.readBody = () => this.deps.spool.readMessage(entry.id);
    return this.deps.deliver(message, destinations);
  }

  private updateSuspension(entry: QueueEntry, report: DeliveryReport): void {
    const unreachable = report.attempts.length > 0 && report.attempts.every((attempt) => attempt.code === null && attempt.stage === 'connect');
    if (!unreachable) {
      this.suspended.delete(entry.domain);
      return;
    }
    const last = report.attempts[report.attempts.length - 1];
    const policy = effectiveRetryPolicy(this.deps.settings().retry, this.domainOf(entry));
    this.suspended.set(entry.domain, {
      until: this.deps.clock.now() + retryDelayMs(1, policy),
      reason: `${last?.destination ?? ''}: ${last?.response ?? 'unreachable'}`,
    });
  }

  private domainOf(entry: QueueEntry) {
    return this.deps.settings().domains.find((domain) => domain.name === entry.domain);
  }

  /** Applies a delivery report: per-recipient state, next attempt, DSNs, removal. DSNs are durable before removal. */
  private async apply(entry: QueueEntry, report: DeliveryReport, options: { fsync: boolean }): Promise<void> {
    const now = this.deps.clock.now();
    const nowIso = new Date(now).toISOString();
    const results = new Map(report.recipients.map((result) => [result.address, result]));
    const lastAttempt = report.attempts[report.attempts.length - 1];
    const policy = effectiveRetryPolicy(this.deps.settings().retry, this.domainOf(entry));
    const allDelivered = entry.to.every((address) => results.get(address)?.outcome === 'delivered');
    if (allDelivered && entry.to.length > 0) {
      // Done: the entry goes away, so writing its final state first would only cost a write and an fsync.
      await this.deps.spool.remove(entry.id);
      this.deps.onChange([entry.domain]);
      return;
    }
    const updated = await this.deps.spool.update(entry.id, (next) => {
      next.attempts += 1;
      next.lastAttemptAt = nowIso;
      next.lastResponse = lastAttempt?.response ?? next.lastResponse;
      for (const recipient of next.recipients) {
        const result = results.get(recipient.address);
        if (!result) continue;
        recipient.status = result.outcome;
        recipient.code = result.code;
        recipient.response = result.response;
      }
      next.to = next.recipients.filter((r) => r.status === 'pending' || r.status === 'deferred').map((r) => r.address);
      next.state = 'queued';
      // Refused by the destination's own connection or rate limit (the pool already lowered its limit): soon, not in 1-2 hours.
      const delayMs = lastAttempt?.errorCode === 'ETHROTTLED' ? THROTTLED_RETRY_MS : retryDelayMs(next.attempts, policy, this.deps.random);
      next.nextAttemptAt = next.to.length > 0 ? new Date(now + delayMs).toISOString() : null;
    }, options);
    if (!updated) return; // deleted meanwhile
    const remoteMta = lastAttempt ? lastAttempt.destination.replace(/:\d+$/, '') : null;
    const failed = report.recipients.filter((result) => result.outcome === 'bounced').map((result) => failedRecipient(result, remoteMta, nowIso));
    const expired = updated.to.length > 0 && now >= Date.parse(updated.expiresAt);
    if (expired) {
      for (const address of updated.to) {
        const result = results.get(address);
        failed.push({
          address,
          status: '4.4.7', // RFC 3463: delivery time expired
          remoteMta,
          diagnostic: result?.response ?? updated.lastResponse,
          lastAttemptDate: nowIso,
        });
      }
      this.deps.logger.log('warn', 'QUEUE_EXPIRED', { id: entry.id, domain: entry.domain, recipients: updated.to.length });
    }
    if (failed.length > 0) await this.deps.notifySender(updated, failed, 'failure');
    if (updated.to.length === 0 || expired) {
      await this.deps.spool.remove(entry.id);
    } else {
      await this.maybeWarnSender(updated, remoteMta, nowIso, results);
    }
    this.deps.onChange([entry.domain]);
  }

  /** RFC 3464 "delayed" notice after queue.delayWarningHours, once per message (off by default). */
  private async maybeWarnSender(entry: QueueEntry, remoteMta: string | null, nowIso: string, results: Map<string, RecipientResult>): Promise<void> {
    const hours = this.deps.settings().queue.delayWarningHours;
    if (hours <= 0 || entry.warned || entry.kind !== 'inbound') return;
    if (this.deps.clock.now() - Date.parse(entry.createdAt) < hours * HOUR_MS) return;
    const delayed = entry.to.map((address) => {
      const result = results.get(address);
      return { address, status: result?.enhancedCode ?? '4.0.0', remoteMta, diagnostic: result?.response ?? entry.lastResponse, lastAttemptDate: nowIso };
    });
    await this.deps.notifySender(entry, delayed, 'delay');
    await this.deps.spool.update(entry.id, (next) => {
      next.warned = true;
    });
  }
}

function toOutbound(entry: QueueEntry, bodyPath: string): OutboundMessage {
  return { queueId: entry.id, messageId: entry.messageId, domain: entry.domain, from: entry.from, recipients: entry.to, bodyPath, size: entry.size };
}

function failedRecipient(result: RecipientResult, remoteMta: string | null, nowIso: string): FailedRecipient {
  return { address: result.address, status: result.enhancedCode ?? '5.0.0', remoteMta, diagnostic: result.response, lastAttemptDate: nowIso };
}

function deferredReport(entry: QueueEntry, response: string, errorCode: string, now: number): DeliveryReport {
  const record: AttemptRecord = {
    time: new Date(now).toISOString(),
    queueId: entry.id,
    messageId: entry.messageId,
    domain: entry.domain,
    from: entry.from,
    recipients: entry.to,
    destination: '',
    remoteAddress: null,
    localAddress: null,
    stage: 'connect',
    code: null,
    enhancedCode: null,
    response,
    errorCode,
    durationMs: 0,
    outcome: 'deferred',
  };
  return {
    attempts: [record],
    recipients: entry.to.map((address) => ({ address, outcome: 'deferred', code: null, enhancedCode: null, response })),
  };
}

function suspendedReport(entry: QueueEntry, reason: string, now: number): DeliveryReport {
  const report = deferredReport(entry, `Delivery temporarily suspended: ${reason}`, 'ESUSPENDED', now);
  const [first] = report.attempts;
  if (first) first.destination = reason.split(': ')[0] ?? '';
  return report;
}

function routeFailureReport(entry: QueueEntry, reason: string, now: number): DeliveryReport {
  return deferredReport(entry, reason, 'EROUTE', now);
}
