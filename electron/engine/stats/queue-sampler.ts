import type { QueueSample } from '../../contract/stats-schema.js';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import { countQueue } from './count-queue.js';

/** One sample a minute: fine enough to see a queue build up, 1,440 short lines a day. */
export const QUEUE_SAMPLE_INTERVAL_MS = 60_000;

export interface QueueSamplerDeps {
  spool: { all(): Iterable<QueueEntry> };
  /** Where samples go; the engine passes the queue-samples day log. */
  append: (sample: QueueSample) => void;
  clock: Clock;
}

/**
 * Records the queue size per domain every QUEUE_SAMPLE_INTERVAL_MS on the engine's clock (so tests drive
 * it with a fake clock), plus one sample at start so a chart shows the queue found after a restart.
 */
export class QueueSampler {
  private timer: TimerHandle | null = null;
  private running = false;

  constructor(private readonly deps: QueueSamplerDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sample();
  }

  /** No sample after this returns, so the log can be closed right after. */
  stop(): void {
    this.running = false;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private sample(): void {
    this.timer = null;
    if (!this.running) return;
    this.deps.append(countQueue(this.deps.spool.all(), this.deps.clock.now()));
    // Rescheduled after each sample rather than at fixed instants: after a sleep the next sample comes a
    // minute after waking instead of a burst of catch-up samples.
    this.timer = this.deps.clock.setTimeout(() => this.sample(), QUEUE_SAMPLE_INTERVAL_MS);
  }
}
