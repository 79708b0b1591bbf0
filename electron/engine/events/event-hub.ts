import { EventEmitter } from 'node:events';
import type { EventSubscriber } from '../../contract/api-handlers.js';
import type { EventName, EventPayload } from '../../contract/events.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';

const QUEUE_CHANGED_INTERVAL_MS = 250; // at most 4 pushes a second, as Mailpit's notifications do

/**
 * Typed engine events for the hosts. `queue.changed` is coalesced: a drain of 1,000 messages a second
 * becomes 4 events naming the domains that changed, not 1,000 re-renders.
 */
export class EventHub implements EventSubscriber {
  private readonly emitter = new EventEmitter();
  private pendingDomains = new Set<string>();
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly queuedCount: () => number,
  ) {
    this.emitter.setMaxListeners(100);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => void this.emitter.off(event, listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }

  queueChanged(domains: Iterable<string>): void {
    for (const domain of domains) this.pendingDomains.add(domain);
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => this.flush(), QUEUE_CHANGED_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingDomains.size === 0) return;
    const domains = [...this.pendingDomains];
    this.pendingDomains = new Set();
    this.emit('queue.changed', { domains, queued: this.queuedCount() });
  }
}
