import type { ApiOutput } from '../../contract/api-contract.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Destination } from '../../contract/settings-schema.js';
import type { Engine } from '../engine.js';
import type { ProbeState } from '../recovery/recovery-prober.js';

type Summary = ApiOutput<'stats.summary'>;
type DomainSummary = Summary['domains'][number];

/** Queue totals and one line per domain (configured domains first, then any other domain with queued mail, e.g. DSNs). */
export function summarise(engine: Engine, lastAttempts: Map<string, AttemptRecord>): Summary {
  const byDomain = new Map<string, DomainSummary>();
  const row = (domain: string, enabled: boolean): DomainSummary => {
    let summary = byDomain.get(domain);
    if (!summary) {
      const lastAttempt = lastAttempts.get(domain) ?? null;
      const suspendedUntil = engine.runner.suspendedUntil(domain);
      summary = {
        domain,
        enabled,
        queued: 0,
        held: 0,
        due: 0,
        oldestCreatedAt: null,
        nextAttemptAt: null,
        lastAttempt,
        suspendedUntil: suspendedUntil === null ? null : new Date(suspendedUntil).toISOString(),
        reachable: suspendedUntil !== null ? false : reachableFrom(lastAttempt),
        probe: probeSummary(engine.runner.probeState(domain)),
        destinations: [],
      };
      byDomain.set(domain, summary);
    }
    return summary;
  };
  for (const domain of engine.settings.domains) row(domain.name, domain.enabled).destinations = domain.destinations.map((destination) => limitsOf(engine, destination));
  let queued = 0;
  let held = 0;
  let delivering = 0;
  let oldest: string | null = null;
  const nowIso = new Date(engine.now()).toISOString();
  for (const entry of engine.spool.all()) {
    const summary = row(entry.domain, false);
    if (entry.state === 'held') {
      held += 1;
      summary.held += 1;
    } else {
      if (entry.state === 'delivering') delivering += 1;
      if (entry.state === 'delivering' || (entry.nextAttemptAt !== null && entry.nextAttemptAt <= nowIso)) summary.due += 1;
      queued += 1;
      summary.queued += 1;
      if (entry.nextAttemptAt && (!summary.nextAttemptAt || entry.nextAttemptAt < summary.nextAttemptAt)) summary.nextAttemptAt = entry.nextAttemptAt;
    }
    if (!summary.oldestCreatedAt || entry.createdAt < summary.oldestCreatedAt) summary.oldestCreatedAt = entry.createdAt;
    if (!oldest || entry.createdAt < oldest) oldest = entry.createdAt;
  }
  return { queued, held, delivering, oldestCreatedAt: oldest, domains: [...byDomain.values()], listener: engine.listenerStatus() };
}

/** The limits in force for one configured destination; the configured ones before its pool exists. */
function limitsOf(engine: Engine, destination: Destination): NonNullable<DomainSummary['destinations']>[number] {
  const label = `${destination.host}:${destination.port}`;
  const throttle = engine.destinationThrottle(destination);
  if (!throttle) {
    const configured = destination.maxConnections ?? engine.settings.delivery.maxConnectionsPerDestination;
    const rate = destination.maxMessagesPerMinute ?? 0;
    return { destination: label, connectionLimit: configured, configuredLimit: configured, ratePerMinute: rate > 0 ? rate : null, reason: null, since: null };
  }
  const { connectionLimit, configuredLimit, ratePerMinute, reason, since } = throttle;
  return { destination: label, connectionLimit, configuredLimit, ratePerMinute, reason, since };
}

/** The runner's probe state with ISO times, as the dashboard shows it. */
function probeSummary(state: Readonly<ProbeState> | null): DomainSummary['probe'] {
  if (!state) return null;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    active: state.active,
    lastProbeAt: iso(state.lastProbeAt),
    nextProbeAt: iso(state.nextProbeAt),
    lastResult: state.lastResult,
    lastResponse: state.lastResponse,
    recoveredAt: iso(state.recoveredAt),
  };
}

/** Did the last attempt reach the server? Null before any attempt. A refusal after connecting still counts as reachable. */
function reachableFrom(last: AttemptRecord | null): boolean | null {
  if (!last) return null;
  return last.outcome === 'delivered' || last.stage !== 'connect';
}
