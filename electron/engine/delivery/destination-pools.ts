import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { ThrottleState } from './adaptive-limit.js';
import type { DeliveryOptions, Destination } from './delivery-types.js';
import { DEFAULT_IDLE_TIMEOUT_MS, DestinationPool, type DestinationPoolState } from './destination-pool.js';
import { systemHostLookup, type HostLookup } from './open-smtp-session.js';

export interface DestinationPoolsDeps {
  clock: Clock;
  logger?: Logger;
  /** Host name resolution; defaults to getaddrinfo. */
  lookup?: HostLookup;
  /** Close a session unused this long (unit: ms); default 5 s. */
  idleTimeoutMs?: number;
}

const silentLogger: Logger = { log: () => {} };

/** Keys live only as long as the process, so a random HMAC key is enough and keeps a weak password unguessable from a key. */
const keySecret = randomBytes(32);

/**
 * One DestinationPool per destination key. Two domains forwarding to the same server with the same settings
 * share a pool, so the per-destination limits hold for the server as a whole.
 */
export class DestinationPools {
  private readonly pools = new Map<string, DestinationPool>();
  private readonly deps: { clock: Clock; logger: Logger; lookup: HostLookup; idleTimeoutMs: number };
  private closed = false;

  constructor(deps: DestinationPoolsDeps) {
    this.deps = {
      clock: deps.clock,
      logger: deps.logger ?? silentLogger,
      lookup: deps.lookup ?? systemHostLookup,
      idleTimeoutMs: deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    };
  }

  /** The pool for this destination, created on first use; takes the current limits and timeouts. */
  poolFor(destination: Destination, options: DeliveryOptions): DestinationPool {
    const key = destinationKey(destination);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new DestinationPool(destination, options, this.deps);
      this.pools.set(key, pool);
      // A pool made after close() starts closed, so late deliveries fail fast instead of opening sockets.
      if (this.closed) void pool.close();
    } else {
      pool.configure(options, destination);
    }
    return pool;
  }

  /** Per-destination state for dashboards, in the order the destinations were first used. */
  states(): DestinationPoolState[] {
    return [...this.pools.values()].map((pool) => pool.state());
  }

  /** The limits in force for this destination and why; null before its pool was first used. */
  throttleFor(destination: Destination): ThrottleState | null {
    return this.pools.get(destinationKey(destination))?.throttle() ?? null;
  }

  /** Closes every pool; resolves when all their connections are closed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}

/**
 * What makes two destinations the same pool: address, port, TLS mode, certificate check and credentials.
 * The password enters as an HMAC, so a key seen in a debugger or a dump does not give it away.
 */
export function destinationKey(destination: Destination): string {
  const auth = destination.auth
    ? `${destination.auth.user}:${createHmac('sha256', keySecret).update(destination.auth.pass).digest('hex').slice(0, 16)}`
    : '';
  return [destination.host.toLowerCase(), destination.port, destination.tls, destination.verifyCertificate ? 'verify' : 'no-verify', auth].join('|');
}
