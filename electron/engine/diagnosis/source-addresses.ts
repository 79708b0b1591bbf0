import type { SourceAddressesResult } from '../../contract/diagnosis-schema.js';
import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Domain } from '../../contract/settings-schema.js';
import { allowlistInstructions } from './allowlist-instructions.js';

/** "Our addresses" looks at the last 7 days: addresses change with the network (DHCP, a new uplink). */
export const SOURCE_ADDRESS_WINDOW_MS = 7 * 86_400_000;

interface Seen {
  count: number;
  lastSeenMs: number;
}

interface DestinationSeen {
  domains: Set<string>;
  addresses: Map<string, Seen>;
}

/**
 * diagnosis.sourceAddresses: per destination (host:port), the source IPs this machine actually used to
 * reach it (the attempt log's `localAddress`, known only once a TCP connection was up), with allowlisting
 * steps for each. Configured destinations never reached in the window are listed with no address.
 * Memory grows with destinations × addresses, not with attempts.
 */
export async function sourceAddresses(
  log: { readRange(startMs: number, endMs: number, filter?: (record: AttemptRecord) => boolean): AsyncIterable<AttemptRecord> },
  domains: readonly Domain[],
  nowMs: number,
): Promise<SourceAddressesResult> {
  const sinceMs = nowMs - SOURCE_ADDRESS_WINDOW_MS;
  const seen = new Map<string, DestinationSeen>();
  const destinationOf = (label: string): DestinationSeen => {
    const found = seen.get(label) ?? { domains: new Set<string>(), addresses: new Map<string, Seen>() };
    seen.set(label, found);
    return found;
  };
  for (const domain of domains) for (const destination of domain.destinations) destinationOf(`${destination.host}:${destination.port}`).domains.add(domain.name);
  for await (const record of log.readRange(sinceMs, Number.POSITIVE_INFINITY, (candidate) => candidate.localAddress !== null && candidate.destination !== '')) {
    const address = record.localAddress;
    if (address === null) continue;
    const destination = destinationOf(record.destination);
    destination.domains.add(record.domain);
    const timeMs = Date.parse(record.time);
    const entry = destination.addresses.get(address);
    if (entry) {
      entry.count += 1;
      entry.lastSeenMs = Math.max(entry.lastSeenMs, timeMs);
    } else {
      destination.addresses.set(address, { count: 1, lastSeenMs: timeMs });
    }
  }
  return {
    since: new Date(sinceMs).toISOString(),
    destinations: [...seen.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([destination, found]) => ({
        destination,
        domains: [...found.domains].sort(),
        addresses: [...found.addresses.entries()]
          .sort(([, a], [, b]) => b.lastSeenMs - a.lastSeenMs)
          .map(([address, entry]) => ({
            address,
            count: entry.count,
            lastSeen: new Date(entry.lastSeenMs).toISOString(),
            instructions: allowlistInstructions(address, portOf(destination)),
          })),
      })),
  };
}

/** The port of "host:port" (also "[v6]:port"); 25 when there is none. */
function portOf(destination: string): number {
  const port = Number(/:(\d+)$/.exec(destination)?.[1]);
  return Number.isInteger(port) && port > 0 ? port : 25;
}
