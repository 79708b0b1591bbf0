import os from 'node:os';
import type { ApiHandlers } from '../../contract/api-handlers.js';
import type { Destination } from '../../contract/settings-schema.js';
import type { Engine } from '../engine.js';
import { configuredResolver } from '../runtime/configured-resolver.js';
import { KEEP_STORED_PASSWORD, storedPasswordFor } from '../settings/stored-passwords.js';
import { checkDns } from './check-dns.js';
import { testRoute } from './test-route.js';

/** DNS check timeouts when the engine was given no resolver: 3 s per try, 2 tries (c-ares' own default is 5 s, 4 tries). */
const CHECK_RESOLVER = { timeout: 3_000, tries: 2 } as const;

/**
 * domains.testRoute and domains.checkDns, on the engine's settings. The DNS check asks the engine's
 * `resolver` option when one was given (tests: a loopback DNS server), else this computer's DNS servers.
 */
export function routeCheckHandlers(engine: Engine): Pick<ApiHandlers, 'domains.testRoute' | 'domains.checkDns'> {
  // The engine's own resolver when one was given (tests), else one for settings.dns.servers (empty = the system's).
  const checkResolver = configuredResolver(engine.dnsResolver, CHECK_RESOLVER);
  const hostname = (): string => engine.settings.listener.hostname || os.hostname();
  return {
    'domains.testRoute': async (input) => {
      const delivery = engine.settings.delivery;
      const result = await testRoute(withStoredPassword(input, engine.settings.domains.flatMap((domain) => domain.destinations)), {
        heloName: delivery.heloName || hostname(),
        connectTimeoutMs: delivery.connectTimeoutSeconds * 1000,
        socketTimeoutMs: delivery.socketTimeoutSeconds * 1000,
        now: () => engine.now(),
      });
      engine.logger.log(result.ok ? 'info' : 'warn', 'ROUTE_TESTED', {
        destination: result.destination,
        ok: result.ok,
        stage: result.stage,
        code: result.failure?.code,
        errorCode: result.failure?.errorCode,
        remoteAddress: result.remoteAddress,
        localAddress: result.localAddress,
      });
      return result;
    },
    'domains.checkDns': async ({ name }) => {
      const result = await checkDns(name, {
        resolver: checkResolver(engine.settings.dns.servers),
        hostname: hostname(),
        localAddresses: machineAddresses(),
      });
      engine.logger.log(result.ok ? 'info' : 'warn', 'DNS_CHECKED', {
        domain: result.domain,
        mx: result.mx.length,
        inMx: result.spool.inMx,
        warnings: result.warnings.map((warning) => warning.code).join(',') || undefined,
      });
      return result;
    },
  };
}

/**
 * The form sends "" for a stored password it was never given (settings/stored-passwords.ts): the test uses
 * the one stored for the same server and user. None stored: the test runs with "" and the server says so.
 */
function withStoredPassword<T extends { destination: Destination }>(input: T, saved: Destination[]): T {
  const auth = input.destination.auth;
  if (!auth || auth.pass !== KEEP_STORED_PASSWORD) return input;
  const stored = storedPasswordFor(input.destination, -1, saved);
  return stored === undefined ? input : { ...input, destination: { ...input.destination, auth: { ...auth, pass: stored } } };
}

/** Every address of this machine's interfaces, loopback included: an MX host resolving to one of them is us. */
function machineAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
}
