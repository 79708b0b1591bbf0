/** IANA time zones: the computer's own, the list to pick from, and the check the engine will apply. */

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Every IANA zone the browser knows, for a zone picker. UTC is added: V8 lists only canonical region
 * zones, yet UTC is what an admin comparing logs with a server often wants. The computer's zone and
 * `current` (the one chosen now) are added too, so neither can vanish from the list that offers it.
 */
export function timeZoneNames(current?: string): string[] {
  const names = new Set(Intl.supportedValuesOf('timeZone'));
  names.add('UTC');
  names.add(systemTimeZone());
  if (current) names.add(current);
  return [...names].sort();
}

// An IANA name starts with a letter ("Europe/Berlin", "Etc/GMT+5", "UTC"). Newer browsers also accept bare
// offsets such as "+01:00", which the engine's check (luxon's IANA zone test in Node) does not: refuse them here.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

export type ZoneCheck = { ok: true; timeZone: string } | { ok: false; reason: string };

/** Accepts what Intl accepts, in its canonical spelling ("europe/berlin" → "Europe/Berlin"). */
export function checkTimeZone(text: string): ZoneCheck {
  const name = text.trim();
  if (name === '') return { ok: false, reason: 'Enter a time zone, e.g. Europe/Berlin' };
  if (IANA_SHAPE.test(name)) {
    try {
      return { ok: true, timeZone: new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone };
    } catch {
      // RangeError: not a zone this browser knows; reported below.
    }
  }
  return { ok: false, reason: `Unknown time zone "${name}": pick an IANA name from the list, e.g. Europe/Berlin` };
}
