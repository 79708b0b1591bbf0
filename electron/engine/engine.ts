import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Resolver } from 'node:dns/promises';
import type { ApiHandlers } from '../contract/api-handlers.js';
import type { AppInfo, ListenerStatus } from '../contract/app-schema.js';
import type { Settings } from '../contract/settings-schema.js';
import { AlertMonitor } from './alerts/alert-monitor.js';
import { ALERT_LOG_NAME, createAlertLog } from './alerts/alert-log.js';
import { mailAlert } from './alerts/alert-mailer.js';
import { createEngineHandlers } from './api/engine-handlers.js';
import { DestinationPools } from './delivery/destination-pools.js';
import { deliverMessage } from './delivery/deliver-message.js';
import type { DeliveryOptions } from './delivery/delivery-types.js';
import { EventHub } from './events/event-hub.js';
import { DiskSpaceGuard } from './intake/disk-space-guard.js';
import { ListenerControl } from './intake/listener-control.js';
import { SmtpIntake } from './intake/smtp-intake.js';
import { loadTlsMaterial } from './intake/tls-certificate.js';
import type { JsonLinesLog } from './logs/json-lines-log.js';
import { LogRetention } from './logs/log-retention.js';
import { speedUpDataStream } from './delivery/fast-dot-stuffing.js';
import { newestByDomain } from './logs/newest-by-domain.js';
import { ATTEMPT_LOG_NAME, INBOUND_LOG_NAME, createAttemptLog, createInboundLog } from './logs/record-logs.js';
import type { AttemptRecord, InboundRecord } from '../contract/report-schema.js';
import type { QueueSample } from '../contract/stats-schema.js';
import { QueueRunner } from './queue/queue-runner.js';
import { probeDestinations } from './recovery/probe-destinations.js';
import { SenderNotifier } from './queue/sender-notifier.js';
import type { GeneratedMailDeps } from './queue/spool-generated.js';
import { configuredResolver } from './runtime/configured-resolver.js';
import { systemClock, type Clock } from './runtime/clock.js';
import { createStreamLogger, type Logger } from './runtime/logger.js';
import { RecentLogLines } from './runtime/recent-log-lines.js';
import type { SecretCipher } from './settings/secret-cipher.js';
import { SettingsStore } from './settings/settings-store.js';
import { SpoolStore } from './spool/spool-store.js';
import { QUEUE_SAMPLE_LOG_NAME, createQueueSampleLog } from './stats/queue-sample-log.js';
import { QueueSampler } from './stats/queue-sampler.js';

export interface EngineOptions {
  /** Everything the engine keeps lives here: settings.json, spool/, logs/, tls/. */
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /** Override listener.host / listener.port from the settings (CLI flags, tests). */
  smtpHost?: string;
  smtpPort?: number;
  /** DNS resolver for bounce routing (tests point it at a loopback DNS server). */
  resolver?: Resolver;
  random?: () => number;
  /** Encrypts stored passwords: the desktop app passes Electron safeStorage; absent = plain text in a 0600 file. */
  secretCipher?: SecretCipher;
  /** Receiving starts only once a domain exists (the desktop app; the service with --wait-for-domain). */
  waitForDomain?: boolean;
  /** What app.info reports about the host; the engine knows nothing of Electron or package.json. */
  appInfo?: { host: AppInfo['host']; version: string; electronVersion?: string | null };
  /** Opens a folder in the OS file manager (the desktop app's shell.openPath); absent = app.openDataFolder answers opened: false. */
  openFolder?: (folder: string) => Promise<boolean>;
}

/**
 * The engine: plain Node, no Electron. Composes settings, spool, SMTP intake, the queue runner and the
 * logs, and offers the API handlers and events that both hosts (IPC and HTTP) serve.
 */
export class Engine {
  readonly handlers: ApiHandlers;
  readonly events: EventHub;
  readonly listener: ListenerControl;
  readonly startedAt: Date;
  /** Deletes day logs older than logs.retentionDays; runNow() applies a changed setting at once. */
  readonly logRetention: LogRetention;
  /** The first passes over the queue, scheduled by start() for the next turn; null once run (or never scheduled). */
  private firstPasses: { cancel: () => void } | null = null;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    readonly settingsStore: SettingsStore,
    readonly spool: SpoolStore,
    readonly attemptLog: JsonLinesLog<AttemptRecord>,
    readonly inboundLog: JsonLinesLog<InboundRecord>,
    readonly queueSampleLog: JsonLinesLog<QueueSample>,
    private readonly queueSampler: QueueSampler,
    private readonly intake: SmtpIntake,
    readonly runner: QueueRunner,
    private readonly pools: DestinationPools,
    readonly notifier: SenderNotifier,
    private readonly options: EngineOptions,
    private readonly clock: Clock,
    readonly logger: Logger,
    events: EventHub,
    lastAttempts: Map<string, AttemptRecord>,
    readonly alerts: AlertMonitor,
    /** The newest log lines, for diagnostics.export. */
    readonly recentLog: RecentLogLines,
  ) {
    this.events = events;
    this.startedAt = new Date(clock.now());
    this.listener = new ListenerControl({
      intake,
      settings: () => settingsStore.current,
      events,
      logger,
      smtpHost: options.smtpHost,
      smtpPort: options.smtpPort,
      waitForDomain: options.waitForDomain ?? false,
    });
    this.logRetention = new LogRetention({
      dir: path.join(dataDir, 'logs'),
      names: [ATTEMPT_LOG_NAME, INBOUND_LOG_NAME, QUEUE_SAMPLE_LOG_NAME, ALERT_LOG_NAME],
      retentionDays: () => settingsStore.current.logs.retentionDays,
      clock,
      logger,
    });
    this.handlers = createEngineHandlers({ engine: this, lastAttempts });
  }

  get engineOptions(): Readonly<EngineOptions> {
    return this.options;
  }

  static async open(options: EngineOptions): Promise<Engine> {
    const clock = options.clock ?? systemClock;
    // Every line also goes to a small in-memory ring, so "Export diagnostics" has the recent log without a log file.
    const recentLog = new RecentLogLines(options.logger ?? createStreamLogger((line) => process.stderr.write(line)));
    const logger: Logger = recentLog;
    // nodemailer's DATA dot-stuffing, same output with native scans (delivery/fast-dot-stuffing.ts).
    if (!(await speedUpDataStream())) logger.log('debug', 'DELIVERY_FAST_DOT_STUFFING_OFF', {});
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const settingsStore = await SettingsStore.open(options.dataDir, options.secretCipher ? { cipher: options.secretCipher } : {});
    const spool = await SpoolStore.open({ dir: path.join(options.dataDir, 'spool'), clock, logger });
    const attemptLog = createAttemptLog(path.join(options.dataDir, 'logs'), logger);
    const inboundLog = createInboundLog(path.join(options.dataDir, 'logs'), logger);
    const queueSampleLog = createQueueSampleLog(path.join(options.dataDir, 'logs'), logger);
    const queueSampler = new QueueSampler({ spool, append: (sample) => queueSampleLog.append(sample), clock });
    const settings = () => settingsStore.current;
    const hostname = () => settings().listener.hostname || os.hostname();
    const tls = await loadTlsMaterial({
      dataDir: options.dataDir,
      certFile: settings().listener.tlsCertFile,
      keyFile: settings().listener.tlsKeyFile,
      hostname: hostname(),
      logger,
    });
    const events = new EventHub(clock, () => spool.count);
    const lastAttempts = await loadLastAttempts(attemptLog, clock);
    const pools = new DestinationPools({ clock, logger });
    const recordAttempt = (record: AttemptRecord) => {
      attemptLog.append(record);
      lastAttempts.set(record.domain, record);
      events.emit('attempt.made', record);
    };
    const resolverFor = configuredResolver(options.resolver);
    // Mail of our own (DSNs, alert e-mails) is spooled and routed the same way (queue/spool-generated.ts).
    const generatedMail: GeneratedMailDeps = { spool, settings, hostname, clock, logger, onQueued: (entries) => runner.enqueue(entries) };
    const notifier = new SenderNotifier(generatedMail);
    const runner: QueueRunner = new QueueRunner({
      spool,
      settings,
      clock,
      logger,
      route: (entry) => notifier.route(entry, settings(), resolverFor(settings().dns.servers)),
      deliver: (message, destinations) => deliverMessage(message, destinations, pools, deliveryOptions(settings(), hostname()), clock),
      recordAttempt,
      notifySender: (entry, recipients, kind) => notifier.notify(entry, recipients, kind),
      onChange: (domains) => events.queueChanged(domains),
      ...(options.random ? { random: options.random } : {}),
      recovery: {
        probe: (destinations) => probeDestinations(destinations, deliveryOptions(settings(), hostname())),
        lastAttempt: (domain) => lastAttempts.get(domain),
      },
    });
    const intake = new SmtpIntake({
      spool,
      settings,
      hostname,
      clock,
      logger,
      diskGuard: new DiskSpaceGuard(spool.rootDir, () => clock.now()),
      tls,
      recordInbound: (record) => inboundLog.append(record),
      firstAttemptAt: (domain) => runner.firstAttemptAt(domain),
      onQueued: (entries) => {
        runner.enqueue(entries);
        events.queueChanged(entries.map((entry) => entry.domain));
      },
    });
    const alerts = new AlertMonitor({
      entries: () => spool.all(),
      settings,
      lastAttempt: (domain) => lastAttempts.get(domain),
      clock,
      logger,
      log: createAlertLog(path.join(options.dataDir, 'logs'), logger),
      onAlert: (alert) => {
        events.emit('alert.raised', alert);
        void mailAlert(alert, generatedMail);
      },
    });
    await alerts.load();
    return new Engine(options.dataDir, settingsStore, spool, attemptLog, inboundLog, queueSampleLog, queueSampler, intake, runner, pools, notifier, options, clock, logger, events, lastAttempts, alerts, recentLog);
  }

  get settings(): Settings {
    return this.settingsStore.current;
  }

  now(): number {
    return this.clock.now();
  }

  /** The DNS resolver given in the options (tests point it at a loopback server); undefined = the system's. */
  get dnsResolver(): Resolver | undefined {
    return this.options.resolver;
  }

  /**
   * Starts listening and log retention (in the background, then daily: a large logs folder must not delay
   * receiving), then, in a later turn of the event loop (after `firstPassesAfter`, if given), delivering,
   * sampling the queue and checking for alerts (once then, then every minute). A listener error (port in use, no rights) is thrown and kept for
   * the UI; delivery and sampling go on without it.
   *
   * Those first passes each go over the whole queue: about 170 ms of this thread with 100,000 queued after a
   * restart. Deferred, they no longer hold back the listener, so mail is let in that much sooner.
   * `firstPassesAfter`: a host's own start (the headless service's admin API), waited for too.
   */
  async start(options: { firstPassesAfter?: Promise<unknown> } = {}): Promise<void> {
    this.logRetention.start();
    try {
      await this.startListener();
    } finally {
      this.scheduleFirstPasses(options.firstPassesAfter ?? Promise.resolve());
    }
  }

  private scheduleFirstPasses(after: Promise<unknown>): void {
    this.running = new Promise<void>((resolve) => {
      let cancelled = false;
      const passes = { cancel: () => void ((cancelled = true), resolve()) };
      this.firstPasses = passes;
      void after
        .catch(() => undefined)
        .then(() =>
          setImmediate(() => {
            if (cancelled) return;
            if (this.firstPasses === passes) this.firstPasses = null;
            this.runner.start();
            this.queueSampler.start();
            this.alerts.start();
            resolve();
          }),
        );
    });
  }

  /**
   * Resolves once the passes start() deferred have run (or stop() cancelled them): from then on delivery,
   * sampling and alerts run. Tests on a fake clock wait for it before moving the clock.
   */
  whenRunning(): Promise<void> {
    return this.running;
  }

  /** Listens unless receiving is paused or waits for the first domain (see ListenerControl). */
  startListener(): Promise<void> {
    return this.listener.start();
  }

  restartListener(): Promise<void> {
    return this.listener.restart();
  }

  /** The delivery limits in force for this destination and why (adaptive throttling); null before its first use. */
  destinationThrottle(destination: Settings['domains'][number]['destinations'][number]): ReturnType<DestinationPools['throttleFor']> {
    return this.pools.throttleFor(destination);
  }

  listenerStatus(): ListenerStatus {
    return this.listener.status();
  }

  /**
   * Graceful stop: no new sessions, transactions in progress finish, deliveries in flight get `graceMs`
   * to finish; after that their connections are closed, so they end as deferred (retried after the next
   * start) instead of holding the shutdown for a silent server's whole socket timeout.
   */
  async stop(graceMs = 10_000): Promise<void> {
    // Stopped before the first passes ran: they must not start after.
    this.firstPasses?.cancel();
    this.firstPasses = null;
    await this.listener.stop();
    this.queueSampler.stop();
    this.alerts.stop();
    const retentionDone = this.logRetention.stop();
    const drained = this.runner.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    await this.pools.close();
    await drained;
    this.events.flush();
    await retentionDone;
    await Promise.all([this.attemptLog.close(), this.inboundLog.close(), this.queueSampleLog.close(), this.alerts.close()]);
    // Last: nothing changes the spool after this, so its snapshot lets the next start skip reading every entry.
    await this.spool.close();
    this.logger.log('info', 'ENGINE_STOPPED', { queued: this.spool.count });
  }
}

function deliveryOptions(settings: Settings, hostname: string): DeliveryOptions {
  const delivery = settings.delivery;
  return {
    heloName: delivery.heloName || hostname,
    connectTimeoutMs: delivery.connectTimeoutSeconds * 1000,
    socketTimeoutMs: delivery.socketTimeoutSeconds * 1000,
    maxConnectionsPerDestination: delivery.maxConnectionsPerDestination,
    maxMessagesPerConnection: delivery.maxMessagesPerConnection,
  };
}

/** The newest attempt per domain over the last two days, so the dashboard has a "last reply" after a restart. */
async function loadLastAttempts(log: JsonLinesLog<AttemptRecord>, clock: Clock): Promise<Map<string, AttemptRecord>> {
  const now = clock.now();
  const indexed = await newestByDomain(log, now - 2 * 24 * 3600 * 1000, now + 60_000);
  if (indexed) return indexed;
  const last = new Map<string, AttemptRecord>();
  for await (const record of log.readRange(now - 2 * 24 * 3600 * 1000, now + 60_000)) {
    const previous = last.get(record.domain);
    if (!previous || previous.time <= record.time) last.set(record.domain, record);
  }
  return last;
}
