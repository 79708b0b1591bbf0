import type { Clock, TimerHandle } from '../runtime/clock.js';

/** Unit: ms. */
const MINUTE_MS = 60_000;

/**
 * Spaces message starts to at most `perMinute` a minute, evenly (60 s / perMinute apart) rather than in a
 * burst at the start of each minute: a firewall that counts per minute sees a steady trickle. `null` =
 * no limit. Uses the injected clock, so tests drive it with a fake one.
 */
export class RateGate {
  private perMinute: number | null = null;
  /** Earliest time the next message may start (ms since epoch). */
  private nextAt = 0;
  /** Start times of the messages of the last minute, oldest first, to measure the rate we were sending at. */
  private readonly starts: number[] = [];
  private readonly sleepers = new Map<TimerHandle, () => void>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  get limit(): number | null {
    return this.perMinute;
  }

  setLimit(perMinute: number | null): void {
    this.perMinute = perMinute !== null && perMinute > 0 ? perMinute : null;
  }

  /** Waits until a message may start, then counts it. */
  async take(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const now = this.clock.now();
      if (this.perMinute === null || now >= this.nextAt) {
        const interval = this.perMinute === null ? 0 : MINUTE_MS / this.perMinute;
        this.nextAt = Math.max(now, this.nextAt) + interval;
        this.starts.push(now);
        this.prune(now);
        return;
      }
      await this.sleep(this.nextAt - now);
    }
  }

  /** Messages started in the last minute. */
  sentInLastMinute(): number {
    this.prune(this.clock.now());
    return this.starts.length;
  }

  /** Wakes every waiter (they return, and the caller checks whether it was closed). */
  close(): void {
    this.closed = true;
    for (const [handle, wake] of this.sleepers) {
      this.clock.clearTimeout(handle);
      wake();
    }
    this.sleepers.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const handle = this.clock.setTimeout(() => {
        this.sleepers.delete(handle);
        resolve();
      }, ms);
      this.sleepers.set(handle, resolve);
    });
  }

  private prune(now: number): void {
    while (this.starts.length > 0 && (this.starts[0] ?? now) <= now - MINUTE_MS) this.starts.shift();
  }
}
