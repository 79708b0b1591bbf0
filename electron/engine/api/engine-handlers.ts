import { AppError } from '../../contract/app-error.js';
import type { ApiHandlers } from '../../contract/api-handlers.js';
import type { ApiParsedInput } from '../../contract/api-contract.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import { appInfo } from '../diagnostics/app-info.js';
import { exportDiagnostics } from '../diagnostics/diagnostics-export.js';
import { classifyAttempt } from '../diagnosis/classify-attempt.js';
import { diagnoseDomain } from '../diagnosis/domain-diagnosis.js';
import { sourceAddresses } from '../diagnosis/source-addresses.js';
import type { Engine } from '../engine.js';
import { inboundReport } from '../reports/inbound-report.js';
import { outboundReport } from '../reports/outbound-report.js';
import { routeCheckHandlers } from '../route-check/route-check-handlers.js';
import { domainWithoutPasswords, withoutPasswords } from '../settings/stored-passwords.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import { outcomesByHour } from '../stats/outcomes-by-hour.js';
import { queueAges } from '../stats/queue-ages.js';
import { queueSeries } from '../stats/queue-series.js';
import { topDeferrals } from '../stats/top-deferrals.js';
import { QueueListIndex } from './queue-list-index.js';
import { listQueue, toQueueItem } from './queue-query.js';
import { summarise } from './stats-summary.js';

type Selection = ApiParsedInput<'queue.retry'>;

/** The contract's methods, implemented on the engine. Input arrives validated by invokeApi. */
export function createEngineHandlers(context: { engine: Engine; lastAttempts: Map<string, AttemptRecord> }): ApiHandlers {
  const { engine, lastAttempts } = context;
  const queueListIndex = new QueueListIndex(); // one per engine: keeps queue.list's sort keys between requests
  const select = (selection: Selection): QueueEntry[] => selectEntries(engine, selection);

  return {
    // Stored passwords never leave the engine (settings/stored-passwords.ts): "" where one is stored.
    'settings.get': async () => withoutPasswords(engine.settings),
    'settings.update': async (patch) => {
      const before = engine.settings.listener;
      const settings = await engine.settingsStore.update(patch);
      if (JSON.stringify(before) !== JSON.stringify(settings.listener)) {
        // The new listener may fail (port in use): the settings are saved and the error is shown in stats.summary.
        await engine.restartListener().catch(() => undefined);
      }
      // A shorter retention frees the disk now, not at tomorrow's run (runNow never rejects).
      if (patch.logs?.retentionDays !== undefined) void engine.logRetention.runNow();
      return withoutPasswords(settings);
    },
    'domains.list': async () => ({ items: engine.settings.domains.map(domainWithoutPasswords) }),
    'domains.save': async (input) => {
      const { domain, created, previous } = await engine.settingsStore.saveDomain(input);
      // The first domain starts receiving where it waits for one (desktop app, --wait-for-domain).
      await engine.listener.domainsChanged();
      let retried = 0;
      if (previous && JSON.stringify(previous.destinations) !== JSON.stringify(domain.destinations)) {
        // New Mail Server Settings: try the queued mail there now, not at the next scheduled retry.
        retried = engine.runner.retryNow(select({ domain: domain.name }));
        engine.logger.log('info', 'DOMAIN_DESTINATIONS_CHANGED', { domain: domain.name, retried });
      }
      return { domain: domainWithoutPasswords(domain), created, retried };
    },
    ...routeCheckHandlers(engine),
    'domains.remove': async ({ name }) => {
      const removed = await engine.settingsStore.removeDomain(name);
      await engine.listener.domainsChanged();
      const queued = removed ? select({ domain: removed.name }).length : 0;
      return { removed: removed !== null, queued };
    },
    'queue.list': async (input) => listQueue(engine.spool.all(), input, engine.now(), queueListIndex),
    'queue.get': async ({ id }) => {
      const entry = engine.spool.get(id);
      if (!entry) throw new AppError('NOT_FOUND', `No queued message with id ${id}: it may have been delivered or deleted`);
      const since = Date.parse(entry.createdAt) - 60_000;
      const [headers, attempts] = await Promise.all([
        engine.spool.readHeaders(id),
        // JSON.stringify writes `"queueId":"<id>"` exactly so (ids are [0-9a-z]): only those lines are parsed.
        engine.attemptLog.findRecent((record) => record.queueId === id, since, 1000, `"queueId":${JSON.stringify(id)}`),
      ]);
      const sorted = attempts.sort((a, b) => a.time.localeCompare(b.time));
      return { item: toQueueItem(entry), headers, attempts: sorted, diagnoses: sorted.map((attempt) => classifyAttempt(attempt)) };
    },
    'queue.retry': async (selection) => ({ count: engine.runner.retryNow(select(selection)) }),
    // Held mail stays held: "Retry all" (tray menu) is about mail waiting for its next attempt.
    'queue.retryAll': async () => ({ count: engine.runner.retryNow([...engine.spool.all()].filter((entry) => entry.state !== 'held')) }),
    'queue.hold': async (selection) => {
      // Holding a domain also holds the mail that arrives for it later, until it is released.
      if ('domain' in selection) await setDomainHeld(engine, selection.domain, true);
      const entries = select(selection).filter((entry) => entry.state !== 'held');
      return actOnEach(engine, entries, (current) =>
        engine.spool.update(current.id, (next) => {
          next.state = 'held';
          next.nextAttemptAt = null;
        }),
      );
    },
    'queue.release': async (selection) => {
      if ('domain' in selection) await setDomainHeld(engine, selection.domain, false);
      const entries = select(selection).filter((entry) => entry.state === 'held');
      const now = new Date(engine.now()).toISOString();
      const released = await Promise.all(
        entries.map((entry) =>
          engine.spool.update(entry.id, (next) => {
            next.state = 'queued';
            next.nextAttemptAt = now;
          }),
        ),
      );
      engine.runner.enqueue(released.filter((entry): entry is QueueEntry => entry !== undefined));
      changed(engine, entries);
      return { count: entries.length };
    },
    'queue.delete': async (selection) => {
      return actOnEach(engine, select(selection), async (current) => {
        await engine.spool.remove(current.id);
        engine.logger.log('info', 'QUEUE_DELETED', { id: current.id, domain: current.domain, recipients: current.to.length });
      });
    },
    'queue.bounce': async (selection) => {
      return actOnEach(engine, select(selection), async (current) => {
        const now = new Date(engine.now()).toISOString();
        const recipients = current.to.map((address) => ({
          address,
          status: '5.0.0',
          remoteMta: null,
          diagnostic: current.lastResponse ?? 'Returned to sender by the mail administrator',
          lastAttemptDate: current.lastAttemptAt ?? now,
        }));
        // The DSN is durable before the message goes away: bounced, never lost.
        if (recipients.length > 0) await engine.notifier.notify(current, recipients, 'failure');
        await engine.spool.remove(current.id);
        engine.logger.log('info', 'QUEUE_BOUNCED_BY_ADMIN', { id: current.id, domain: current.domain, recipients: recipients.length });
      });
    },
    'reports.outbound': async (query) => outboundReport(engine.attemptLog, query),
    'reports.inbound': async (query) => inboundReport(engine.inboundLog, query),
    'stats.summary': async () => summarise(engine, lastAttempts),
    'stats.queueSeries': async (query) => queueSeries(engine.queueSampleLog, query, engine.now()),
    'stats.queueAges': async () => queueAges(engine.spool.all(), engine.now()),
    'stats.outcomesByHour': async (query) => outcomesByHour(engine.attemptLog, query),
    'stats.topDeferrals': async (query) => topDeferrals(engine.attemptLog, query),
    'diagnosis.domain': async (query) => diagnoseDomain(engine.attemptLog, query, engine.now()),
    'diagnosis.sourceAddresses': async () => sourceAddresses(engine.attemptLog, engine.settings.domains, engine.now()),
    'alerts.list': async () => ({ items: engine.alerts.list() }),
    'listener.pause': async () => engine.listener.pause(),
    'listener.resume': async () => engine.listener.resume(),
    'app.info': async () => appInfo(engine),
    'app.openDataFolder': async () => {
      const open = engine.engineOptions.openFolder;
      return { opened: open ? await open(engine.dataDir).catch(() => false) : false, path: engine.dataDir };
    },
    'diagnostics.export': async () => exportDiagnostics(engine, lastAttempts),
  };
}

/**
 * Applies an admin action to each entry: taken off the ready list first, and for an entry being delivered
 * right now, run as soon as that delivery has been applied (never racing it).
 */
async function actOnEach(engine: Engine, entries: QueueEntry[], action: (current: QueueEntry) => Promise<unknown>): Promise<{ count: number }> {
  await Promise.all(
    entries.map((entry) => {
      engine.runner.forgetReady(entry.id);
      return engine.runner.whenIdle(entry.id, action);
    }),
  );
  changed(engine, entries);
  return { count: entries.length };
}

async function setDomainHeld(engine: Engine, name: string, held: boolean): Promise<void> {
  const domain = engine.settingsStore.findDomain(name);
  if (domain && domain.held !== held) await engine.settingsStore.saveDomain({ ...domain, held });
}

function selectEntries(engine: Engine, selection: Selection): QueueEntry[] {
  if ('ids' in selection) {
    return selection.ids.map((id) => engine.spool.get(id)).filter((entry): entry is QueueEntry => entry !== undefined);
  }
  const domain = selection.domain.trim().toLowerCase().replace(/\.$/, '');
  const entries: QueueEntry[] = [];
  for (const entry of engine.spool.all()) if (entry.domain === domain) entries.push(entry);
  return entries;
}

function changed(engine: Engine, entries: QueueEntry[]): void {
  engine.events.queueChanged(new Set(entries.map((entry) => entry.domain)));
}
