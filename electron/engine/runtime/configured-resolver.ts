import { Resolver } from 'node:dns/promises';
import type { ResolverOptions } from 'node:dns';

/**
 * The resolver for the configured `dns.servers` (empty = the system's), made again only when the list
 * changes: making one per lookup showed in profiles, and a settings change applies without a restart.
 * A resolver given by the caller (tests: a DNS server on loopback) always wins.
 */
export function configuredResolver(fixed: Resolver | undefined, options: ResolverOptions = {}): (servers: readonly string[]) => Resolver {
  let key: string | null = null;
  let current: Resolver | null = null;
  return (servers) => {
    if (fixed) return fixed;
    const wanted = servers.join(',');
    if (current && key === wanted) return current;
    current = new Resolver(options);
    if (servers.length > 0) current.setServers([...servers]);
    key = wanted;
    return current;
  };
}
