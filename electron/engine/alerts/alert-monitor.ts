import { randomUUID } from 'node:crypto';
import type { Alert, AlertKind } from '../../contract/alerts-schema.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Settings } from '../../contract/settings-schema.js';
import type { JsonLinesLog } from '../logs/json-lines-log.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import { isoTimeMs } from '../runtime/iso-time.js';
import type { Logger } from '../runtime/logger.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import { toAsciiDomain } from '../intake/recipient-policy.js';
import { alertMessage } from './alert-message.js';

const CHECK_INTERVAL_MS = 60_000; // once a minute: alerts are about minutes and hours, not seconds
const KEPT_ALERTS = 200;
const RELOAD_DAYS = 30; // how far back alerts.list looks after a restart
const DAY_MS = 24 * 3600 * 1000;

export interface AlertMonitorOptions {
  entries: () => Iterable<QueueEntry>;
  settings: () => Settings;
  lastAttempt: (domain: string) => AttemptRecord | undefined;
  clock: Clock;
  logger: Logger;
  log: JsonLinesLog<Alert>;
  onAlert: (alert: Alert) => void;
}

/**
 * Watches the queue once a minute and raises each alert once per episode: a domain is `stuck` until it
 * delivers again or its queue empties (then `recovered`), and `expiring` until no message is within the
 * warning window of its lifetime. Episodes survive a restart: they are rebuilt from the alert log.
 */
export class AlertMonitor {
  private readonly recent: Alert[] = []; // oldest first
  private readonly stuck = new Set<string>();
  private readonly expiring = new Set<string>();
  private timer: TimerHandle | null = null;

  constructor(private readonly options: AlertMonitorOptions) {}

  /** Reads the newest alerts of the last days and which domains were still stuck or expiring. */
  async load(): Promise<void> {
    const now = this.options.clock.now();
    for await (const alert of this.options.log.readRange(now - RELOAD_DAYS * DAY_MS, now + CHECK_INTERVAL_MS)) {
      this.keep(alert);
      if (alert.kind === 'stuck') this.stuck.add(alert.domain);
      else if (alert.kind === 'recovered') this.stuck.delete(alert.domain);
      else this.expiring.add(alert.domain); // re-checked at the first check: cleared if nothing expires soon
    }
  }

  start(): void {
    if (this.timer) return;
    this.check();
  }

  stop(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  async close(): Promise<void> {
    this.stop();
    await this.options.log.close();
  }

  /** Newest first. */
  list(): Alert[] {
    return [...this.recent].reverse();
  }

  /** One pass over the queue; raises the alerts due now. Runs every minute once started. */
  check(): void {
    try {
      this.checkNow();
    } catch (error) {
      this.options.logger.log('error', 'ALERT_CHECK_FAILED', { message: (error as Error).message });
    }
    this.timer = this.options.clock.setTimeout(() => this.check(), CHECK_INTERVAL_MS);
  }

  private checkNow(): void {
    const settings = this.options.settings();
    const { alerts } = settings;
    const now = this.options.clock.now();
    const byDomain = new Map<string, QueueEntry[]>();
    for (const entry of this.options.entries()) {
      const list = byDomain.get(entry.domain) ?? [];
      list.push(entry);
      byDomain.set(entry.domain, list);
    }

    for (const domain of new Set([...byDomain.keys(), ...this.stuck])) {
      const waiting = (byDomain.get(domain) ?? []).filter((entry) => entry.state !== 'held');
      const last = this.options.lastAttempt(domain);
      const delivered = last?.outcome === 'delivered';
      if (this.stuck.has(domain)) {
        if (waiting.length === 0 || delivered) {
          this.stuck.delete(domain);
          this.raise('recovered', domain, {});
        }
        continue;
      }
      const oldest = oldestCreated(waiting);
      const stuckMinutes = domainSettings(settings, domain)?.alertStuckMinutes ?? alerts.stuckMinutes;
      if (oldest !== null && now - Date.parse(oldest) > stuckMinutes * 60_000 && !delivered) {
        this.stuck.add(domain);
        this.raise('stuck', domain, { count: waiting.length, oldestCreatedAt: oldest, minutes: Math.floor((now - Date.parse(oldest)) / 60_000) });
      }
    }

    const windowMs = alerts.lifetimeWarningHours * 3600 * 1000;
    for (const domain of new Set([...byDomain.keys(), ...this.expiring])) {
      const soon = windowMs <= 0 ? [] : (byDomain.get(domain) ?? []).filter((entry) => isoTimeMs(entry.expiresAt) - now <= windowMs);
      if (soon.length === 0) {
        this.expiring.delete(domain);
        continue;
      }
      if (this.expiring.has(domain)) continue;
      this.expiring.add(domain);
      const oldest = oldestCreated(soon);
      this.raise('expiring', domain, { count: soon.length, hours: alerts.lifetimeWarningHours, ...(oldest ? { oldestCreatedAt: oldest } : {}) });
    }
  }

  private raise(kind: AlertKind, domain: string, facts: { count?: number; oldestCreatedAt?: string; minutes?: number; hours?: number }): void {
    const alert: Alert = {
      id: randomUUID(),
      time: new Date(this.options.clock.now()).toISOString(),
      kind,
      domain,
      message: alertMessage(kind, domain, facts),
      ...(facts.count !== undefined ? { count: facts.count } : {}),
      ...(facts.oldestCreatedAt !== undefined ? { oldestCreatedAt: facts.oldestCreatedAt } : {}),
    };
    this.keep(alert);
    this.options.log.append(alert);
    this.options.logger.log(kind === 'recovered' ? 'info' : 'warn', 'ALERT_RAISED', { kind, domain, count: alert.count });
    this.options.onAlert(alert);
  }

  private keep(alert: Alert): void {
    this.recent.push(alert);
    if (this.recent.length > KEPT_ALERTS) this.recent.splice(0, this.recent.length - KEPT_ALERTS);
  }
}

function oldestCreated(entries: QueueEntry[]): string | null {
  let oldest: string | null = null;
  let oldestMs = Infinity;
  // One parse per entry: this runs every minute over the whole queue (100,000 entries after a long outage).
  for (const entry of entries) {
    const createdMs = isoTimeMs(entry.createdAt);
    if (oldest === null || createdMs < oldestMs) {
      oldest = entry.createdAt;
      oldestMs = createdMs;
    }
  }
  return oldest;
}

/** The configured domain a queue entry belongs to (entries keep the name as it was configured). */
function domainSettings(settings: Settings, name: string): Settings['domains'][number] | undefined {
  const ascii = toAsciiDomain(name);
  return settings.domains.find((domain) => domain.name === name || (ascii !== null && toAsciiDomain(domain.name) === ascii));
}
