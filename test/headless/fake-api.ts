import type { ApiHandlers, EventSubscriber } from '../../electron/contract/api-handlers.js';
import { AppError } from '../../electron/contract/app-error.js';
import type { EventName, EventPayload } from '../../electron/contract/events.js';
import { settingsSchema, type Domain } from '../../electron/contract/settings-schema.js';

/**
 * A small real implementation of a few methods (settings.get, domains.*) and AppError('NOT_FOUND') for the
 * rest: the thing under test is the host, not the engine. queue.get throws a plain Error to stand for a bug.
 */
export function createFakeHandlers(): { handlers: ApiHandlers; domains: Map<string, Domain>; calls: unknown[] } {
  const domains = new Map<string, Domain>();
  const calls: unknown[] = [];
  const notHere = async (): Promise<never> => {
    throw new AppError('NOT_FOUND', 'Not implemented by the test fake');
  };
  const handlers: ApiHandlers = {
    'settings.get': async () => settingsSchema.parse({}),
    'settings.update': notHere,
    'domains.list': async () => ({ items: [...domains.values()] }),
    'domains.save': async (domain) => {
      calls.push(domain);
      const created = !domains.has(domain.name);
      domains.set(domain.name, domain);
      return { domain, created, retried: 0 };
    },
    'domains.remove': async ({ name }) => {
      if (!domains.has(name)) throw new AppError('NOT_FOUND', `No domain ${name}`);
      domains.delete(name);
      return { removed: true, queued: 0 };
    },
    'queue.list': async (input) => {
      calls.push(input);
      return { total: 0, items: [] };
    },
    'queue.get': async () => {
      throw new Error('ENOENT: no such file /var/secret/spool/abc');
    },
    'domains.testRoute': notHere,
    'domains.checkDns': notHere,
    'queue.retry': notHere,
    'queue.hold': notHere,
    'queue.release': notHere,
    'queue.delete': notHere,
    'queue.bounce': notHere,
    'reports.outbound': notHere,
    'reports.inbound': notHere,
    'stats.summary': notHere,
    'stats.queueSeries': notHere,
    'stats.queueAges': notHere,
    'stats.outcomesByHour': notHere,
    'stats.topDeferrals': notHere,
    'diagnosis.domain': notHere,
    'diagnosis.sourceAddresses': notHere,
    'alerts.list': notHere,
    'queue.retryAll': notHere,
    'listener.pause': notHere,
    'listener.resume': notHere,
    'app.info': notHere,
    'app.openDataFolder': notHere,
    'diagnostics.export': notHere,
  };
  return { handlers, domains, calls };
}

/** An in-memory event source that counts its listeners, so tests can see a stream unsubscribe. */
export class FakeEvents implements EventSubscriber {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: EventPayload<E>) => void)(payload);
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}

/** Resolves when `condition` holds, polling every 5 ms; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
