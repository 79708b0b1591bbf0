import path from 'node:path';
import { Low } from 'lowdb';
import { AppError, issuesFromZod } from '../../contract/app-error.js';
import { domainSchema, hostSchema, settingsSchema, type Domain, type DomainInput, type RetryPolicy, type Settings, type SettingsPatch } from '../../contract/settings-schema.js';
import { toAsciiDomain } from '../intake/recipient-policy.js';
import type { SecretCipher } from './secret-cipher.js';
import { SettingsFile } from './settings-file.js';
import { KEEP_STORED_PASSWORD, storedPasswordFor } from './stored-passwords.js';

export type SettingsStoreOptions = {
  /** Encrypts stored passwords (the desktop app: Electron safeStorage); absent = plain text in the 0600 file. */
  cipher?: SecretCipher;
};

/**
 * Settings live in `<dataDir>/settings.json`, read and written by lowdb through SettingsFile (atomic
 * temp-file + fsync + rename, owner-only, passwords sealed by the cipher). A file that is not valid JSON
 * or does not match the schema is never overwritten: opening fails with SETTINGS_INVALID naming each bad
 * field, and the admin fixes the file.
 */
export class SettingsStore {
  private constructor(
    private readonly db: Low<Settings>,
    readonly filePath: string,
  ) {}

  static async open(dataDir: string, options: SettingsStoreOptions = {}): Promise<SettingsStore> {
    const filePath = path.join(dataDir, 'settings.json');
    const file = new SettingsFile(filePath, options.cipher);
    const db = new Low<Settings>(file, settingsSchema.parse({}));
    // Throws SETTINGS_INVALID (not JSON, an invalid field, a password that cannot be decrypted) before any write.
    const existing = await file.read();
    if (existing !== null) db.data = existing;
    const store = new SettingsStore(db, filePath);
    // A new file is written with the defaults; plain-text passwords (an older file, or one the admin edited)
    // are sealed at once when a cipher is available, rather than left readable until the next change.
    if (existing === null || (file.plainSecretsRead > 0 && options.cipher !== undefined && (await options.cipher.isAvailable()))) await store.persist();
    return store;
  }

  /** The current settings. The object is replaced on every change, never mutated, so identity tells "changed". */
  get current(): Settings {
    return this.db.data;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const { bounceRelay: relay, ...sections } = patch;
    const { auth: relayAuth, ...relayPatch } = relay ?? {};
    const bounceRelay = { ...this.current.bounceRelay, ...relayPatch };
    if (relayAuth === null) delete bounceRelay.auth; // JSON cannot say "undefined": null removes the credentials
    else if (relayAuth !== undefined) {
      // "" keeps the stored password (the API never sends it out: stored-passwords.ts).
      const current = this.current.bounceRelay.auth;
      if (relayAuth.pass !== KEEP_STORED_PASSWORD) bounceRelay.auth = relayAuth;
      else if (current && current.user === relayAuth.user) bounceRelay.auth = { ...relayAuth, pass: current.pass };
      else throw passwordNeeded('bounceRelay.auth.pass');
    }
    // Every section the patch names is merged field by field, so a section added to the schema later cannot
    // be accepted and silently dropped here (setup.done once was).
    const merged: Record<string, unknown> = { ...this.current, bounceRelay };
    for (const [section, fields] of Object.entries(sections)) {
      if (fields !== undefined) merged[section] = { ...(this.current[section as keyof Settings] as object), ...fields };
    }
    const parsed = settingsSchema.safeParse(merged);
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'Some settings are not valid', { issues: issuesFromZod(parsed.error) });
    const issues = [...retryOrderIssues(parsed.data.retry, 'retry'), ...relayIssues(parsed.data.bounceRelay)];
    if (issues.length > 0) throw new AppError('INVALID_INPUT', issues[0]!.message, { issues });
    await this.replace(parsed.data);
    return this.current;
  }

  /** Adds or replaces a domain (matched by its ASCII name, case-insensitively). */
  async saveDomain(input: DomainInput): Promise<{ domain: Domain; created: boolean; previous: Domain | null }> {
    const parsed = domainSchema.safeParse(input);
    if (!parsed.success) throw new AppError('INVALID_INPUT', 'The domain settings are not valid', { issues: issuesFromZod(parsed.error) });
    const domain: Domain = { ...parsed.data, name: normaliseDomainName(parsed.data.name) };
    // The override is checked against the server-wide policy it falls back to, field by field.
    const orderIssues = retryOrderIssues({ ...this.current.retry, ...domain.retry }, 'retry');
    if (orderIssues.length > 0) throw new AppError('INVALID_INPUT', orderIssues[0]!.message, { issues: orderIssues });
    if (!toAsciiDomain(domain.name)) {
      throw new AppError('INVALID_INPUT', 'Not a valid domain name', { issues: [{ path: 'name', message: 'Not a valid domain name' }] });
    }
    const index = this.findDomainIndex(domain.name);
    const previous = index === -1 ? null : (this.current.domains[index] ?? null);
    // "" keeps the stored password of the same server (the API never sends it out: stored-passwords.ts).
    domain.destinations = domain.destinations.map((destination, position) => {
      if (destination.auth?.pass !== KEEP_STORED_PASSWORD) return destination;
      const stored = storedPasswordFor(destination, position, previous?.destinations ?? []);
      if (stored === undefined) throw passwordNeeded(`destinations.${position}.auth.pass`);
      return { ...destination, auth: { ...destination.auth, pass: stored } };
    });
    // A hold is set by queue.hold, not by the domain form: saving without `held` keeps it as it was.
    domain.held = parsed.data.held ?? previous?.held ?? false;
    const domains = [...this.current.domains];
    if (index === -1) domains.push(domain);
    else domains[index] = domain;
    await this.replace({ ...this.current, domains });
    return { domain, created: index === -1, previous };
  }

  async removeDomain(name: string): Promise<Domain | null> {
    const index = this.findDomainIndex(name);
    if (index === -1) return null;
    const removed = this.current.domains[index] ?? null;
    await this.replace({ ...this.current, domains: this.current.domains.filter((_, i) => i !== index) });
    return removed;
  }

  findDomain(name: string): Domain | undefined {
    const index = this.findDomainIndex(name);
    return index === -1 ? undefined : this.current.domains[index];
  }

  private findDomainIndex(name: string): number {
    const wanted = toAsciiDomain(normaliseDomainName(name));
    return this.current.domains.findIndex((domain) => toAsciiDomain(domain.name) === wanted);
  }

  private async replace(next: Settings): Promise<void> {
    const previous = this.db.data;
    this.db.data = next;
    try {
      await this.persist();
    } catch (error) {
      this.db.data = previous;
      throw new AppError('STORAGE_ERROR', `Could not save ${this.filePath}: ${(error as Error).message}`, { retryable: true, cause: error });
    }
  }

  private async persist(): Promise<void> {
    await this.db.write();
  }
}

export function normaliseDomainName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Checks across fields that zod's per-field schemas cannot make (the settings file may still hold older values). */
function retryOrderIssues(retry: RetryPolicy, path: string): { path: string; message: string }[] {
  if (retry.minIntervalMinutes <= retry.maxIntervalMinutes) return [];
  return [{ path: `${path}.minIntervalMinutes`, message: `The shortest retry interval (${retry.minIntervalMinutes} min) must not be longer than the longest (${retry.maxIntervalMinutes} min)` }];
}

function relayIssues(relay: Settings['bounceRelay']): { path: string; message: string }[] {
  if (relay.host.trim() === '') return relay.enabled ? [{ path: 'bounceRelay.host', message: 'Enter the relay host or turn the relay off' }] : [];
  const host = hostSchema.safeParse(relay.host);
  return host.success ? [] : [{ path: 'bounceRelay.host', message: host.error.issues[0]?.message ?? 'Not a valid host name or IP address' }];
}

function passwordNeeded(path: string): AppError {
  const message = 'Enter the password: none is stored for this user and server yet';
  return new AppError('INVALID_INPUT', message, { issues: [{ path, message }] });
}
