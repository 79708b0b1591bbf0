import { AppError } from '../../contract/app-error.js';
import type { Settings } from '../../contract/settings-schema.js';
import { isSealedSecret, type SecretCipher } from './secret-cipher.js';

/** A password's place in the settings object, e.g. ['domains', 0, 'destinations', 1, 'auth', 'pass']. */
type SecretPath = (string | number)[];

/**
 * Where passwords live: `bounceRelay.auth.pass` and `domains[].destinations[].auth.pass`. Works on the raw
 * file content too (before validation), so it checks every step's type and skips what does not fit; the
 * schema then reports any malformed field by its path.
 */
export function secretPaths(data: unknown): SecretPath[] {
  const paths: SecretPath[] = [];
  const relayAuth = child(child(data, 'bounceRelay'), 'auth');
  if (child(relayAuth, 'pass') !== undefined) paths.push(['bounceRelay', 'auth', 'pass']);
  const domains = child(data, 'domains');
  if (!Array.isArray(domains)) return paths;
  domains.forEach((domain: unknown, d) => {
    const destinations = child(domain, 'destinations');
    if (!Array.isArray(destinations)) return;
    destinations.forEach((destination: unknown, i) => {
      if (child(child(destination, 'auth'), 'pass') !== undefined) paths.push(['domains', d, 'destinations', i, 'auth', 'pass']);
    });
  });
  return paths;
}

/** Counts of what `openSecrets` found, so the store can re-save plain text once a cipher is available. */
export type OpenedSecrets = { data: unknown; plain: number; sealed: number };

/**
 * Replaces each sealed password of the raw file content with its plain text. A password sealed by a cipher
 * this process does not have (the desktop app's keychain, read by the headless service) or that no longer
 * decrypts (another user, a reinstalled OS) stops the start with SETTINGS_INVALID naming the field.
 */
export async function openSecrets(raw: unknown, cipher: SecretCipher | undefined, filePath: string): Promise<OpenedSecrets> {
  const data = structuredClone(raw);
  let plain = 0;
  let sealed = 0;
  const available = cipher !== undefined && (await cipher.isAvailable());
  for (const path of secretPaths(data)) {
    const value = getAt(data, path);
    if (!isSealedSecret(value)) {
      if (typeof value === 'string') plain += 1;
      continue; // not ours to judge: the schema names a malformed field
    }
    const field = path.join('.');
    const fix = `Replace it with the password as plain text ("pass": "...") and start again; the desktop app encrypts it again when it starts.`;
    if (cipher === undefined || value.by !== cipher.name || !available) {
      const why =
        cipher === undefined || value.by !== cipher.name
          ? `this process has no "${value.by}" cipher (the headless service keeps passwords as plain text in the owner-only file)`
          : `"${value.by}" (the OS keychain) is not available now`;
      throw secretError(filePath, field, `is encrypted by "${value.by}", but ${why}. ${fix}`);
    }
    try {
      setAt(data, path, await cipher.decrypt(value.encrypted));
    } catch (error) {
      throw secretError(filePath, field, `could not be decrypted by "${value.by}" (${(error as Error).message}); the key may belong to another user or an earlier installation. ${fix}`);
    }
    sealed += 1;
  }
  return { data, plain, sealed };
}

/** The settings as written to the file: each password sealed when the cipher is available, else as it is. */
export async function sealSecrets(settings: Settings, cipher: SecretCipher | undefined): Promise<unknown> {
  const paths = secretPaths(settings);
  if (paths.length === 0 || cipher === undefined || !(await cipher.isAvailable())) return settings;
  const copy = structuredClone(settings) as unknown;
  for (const path of paths) {
    const value = getAt(copy, path);
    if (typeof value === 'string') setAt(copy, path, { encrypted: await cipher.encrypt(value), by: cipher.name });
  }
  return copy;
}

function secretError(filePath: string, field: string, reason: string): AppError {
  return new AppError('SETTINGS_INVALID', `${filePath}: the password at "${field}" ${reason}`, { issues: [{ path: field, message: reason }] });
}

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function getAt(data: unknown, path: SecretPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], data);
}

function setAt(data: unknown, path: SecretPath, value: unknown): void {
  const parent = getAt(data, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
}
