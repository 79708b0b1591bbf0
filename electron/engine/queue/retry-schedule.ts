import type { Domain, RetryPolicy } from '../../contract/settings-schema.js';

const MINUTE_MS = 60_000;

/**
 * When to try again after a temporary failure. Defaults: 5 min after the first attempt, then at a random
 * point 60-120 min later (as the reference service does; the randomness spreads a backlog so a recovering
 * server is not hit by every message at the same second). Cumulative with defaults: +5 min, ~+1.5 h,
 * ~+3 h, ... about 24 attempts in the first day, ~110 over the 7-day lifetime.
 */
export function retryDelayMs(attemptsSoFar: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (attemptsSoFar <= 1) return policy.firstRetryMinutes * MINUTE_MS;
  const low = Math.min(policy.minIntervalMinutes, policy.maxIntervalMinutes);
  const high = Math.max(policy.minIntervalMinutes, policy.maxIntervalMinutes);
  return (low + (high - low) * random()) * MINUTE_MS;
}

/** The domain's override merged over the server-wide policy. */
export function effectiveRetryPolicy(global: RetryPolicy, domain: Domain | undefined): RetryPolicy {
  return {
    firstRetryMinutes: domain?.retry?.firstRetryMinutes ?? global.firstRetryMinutes,
    minIntervalMinutes: domain?.retry?.minIntervalMinutes ?? global.minIntervalMinutes,
    maxIntervalMinutes: domain?.retry?.maxIntervalMinutes ?? global.maxIntervalMinutes,
    probeIntervalMinutes: global.probeIntervalMinutes, // server-wide only
  };
}
