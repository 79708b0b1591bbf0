import type { ApiOutput } from '../../../../electron/contract/api-contract.js';
import { clockTime, intervalText } from './clock-time.js';

type DomainSummary = ApiOutput<'stats.summary'>['domains'][number];
type DestinationLimits = NonNullable<DomainSummary['destinations']>[number];
type Probe = NonNullable<DomainSummary['probe']>;

/** Adaptive throttling: one line per mail server whose limits the engine lowered after a rate reply. */
export function throttleLines(summary: DomainSummary, now: number): { destination: string; text: string }[] {
  return (summary.destinations ?? []).filter(isLimited).map((limits) => ({ destination: limits.destination, text: throttleText(limits, now) }));
}

function isLimited(limits: DestinationLimits): boolean {
  return limits.connectionLimit < limits.configuredLimit || limits.reason !== null;
}

export function throttleText(limits: DestinationLimits, now: number): string {
  const connections = `${limits.connectionLimit} connection${limits.connectionLimit === 1 ? '' : 's'}`;
  const rate = limits.ratePerMinute !== null ? `, ${limits.ratePerMinute} message${limits.ratePerMinute === 1 ? '' : 's'} a minute` : '';
  const since = limits.since ? ` since ${clockTime(limits.since, now)}` : '';
  const reason = limits.reason ? `: the server answered ${limits.reason}` : '';
  return `Limited to ${connections} (of ${limits.configuredLimit})${rate}${since}${reason}`;
}

/** Fast recovery while the domain is deferred; after it, when a check found the server back. */
export function probeText(probe: Probe | null | undefined, now: number): string | null {
  if (!probe) return null;
  if (probe.active) {
    const every =
      probe.lastProbeAt && probe.nextProbeAt ? `every ${intervalText(Date.parse(probe.nextProbeAt) - Date.parse(probe.lastProbeAt))}` : 'regularly';
    const last = probe.lastProbeAt ? `; last check ${clockTime(probe.lastProbeAt, now)}: ${lastResultText(probe)}` : '';
    const next = !probe.lastProbeAt && probe.nextProbeAt ? `; first check at ${clockTime(probe.nextProbeAt, now)}` : '';
    return `Checking the server ${every}${last}${next}`;
  }
  if (probe.recoveredAt) return `A check found the server back at ${clockTime(probe.recoveredAt, now)}`;
  return null;
}

function lastResultText(probe: Probe): string {
  if (probe.lastResult === 'answered') return 'it answered, delivering now';
  return probe.lastResponse ?? 'no answer';
}
