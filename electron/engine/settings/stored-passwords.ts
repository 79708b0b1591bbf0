import type { Destination, Domain, Settings } from '../../contract/settings-schema.js';

/**
 * Stored passwords never leave the engine through the API: the admin app (and anything else holding the
 * admin token) gets `pass: ""` wherever one is stored, and sends `""` back to keep it. A password is
 * write-only, as in every mail server's admin page: a stolen session or a screenshot of the form cannot
 * reveal it, and the desktop app's keychain encryption is not undone by shipping the plain text to the window.
 */
export const KEEP_STORED_PASSWORD = '';

export function withoutPasswords(settings: Settings): Settings {
  return {
    ...settings,
    bounceRelay: settings.bounceRelay.auth ? { ...settings.bounceRelay, auth: { ...settings.bounceRelay.auth, pass: KEEP_STORED_PASSWORD } } : settings.bounceRelay,
    domains: settings.domains.map(domainWithoutPasswords),
  };
}

export function domainWithoutPasswords(domain: Domain): Domain {
  return { ...domain, destinations: domain.destinations.map((destination) => (destination.auth ? { ...destination, auth: { ...destination.auth, pass: KEEP_STORED_PASSWORD } } : destination)) };
}

/**
 * The stored password for a destination sent with `pass: ""`: the same server (host and port) with the
 * same user among `candidates`, else the candidate at the same position with the same user (the host was
 * edited in the same save). Undefined when none is stored: the caller asks for the password.
 */
export function storedPasswordFor(destination: Destination, index: number, candidates: readonly Destination[]): string | undefined {
  const user = destination.auth?.user;
  if (user === undefined) return undefined;
  const sameServer = candidates.find((candidate) => sameHost(candidate, destination) && candidate.auth?.user === user && candidate.auth.pass !== KEEP_STORED_PASSWORD);
  if (sameServer) return sameServer.auth!.pass;
  const samePlace = candidates[index];
  return samePlace?.auth?.user === user && samePlace.auth.pass !== KEEP_STORED_PASSWORD ? samePlace.auth.pass : undefined;
}

function sameHost(a: Destination, b: Destination): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
}
