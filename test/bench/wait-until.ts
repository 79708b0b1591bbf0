import { performance } from 'node:perf_hooks';

const POLL_MS = 5;

/**
 * Polls `check` every `pollMs` until it holds. `stalled` runs about once a second and may throw: a stuck
 * queue should fail in seconds, not at the timeout. Costly checks (directory scans, API calls) take a
 * longer `pollMs` so the polling does not load the machine being measured.
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stalled?: () => Promise<void>, pollMs = POLL_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let nextStallCheckMs = performance.now() + 1000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    if (stalled && performance.now() >= nextStallCheckMs) {
      await stalled();
      nextStallCheckMs = performance.now() + 1000;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

