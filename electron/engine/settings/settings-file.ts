import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { inputIssues } from '../../contract/api-handlers.js';
import { AppError } from '../../contract/app-error.js';
import { settingsSchema, type Settings } from '../../contract/settings-schema.js';
import { narrowToOwner, writeOwnerOnlyFile } from '../runtime/owner-only-file.js';
import type { SecretCipher } from './secret-cipher.js';
import { openSecrets, sealSecrets } from './settings-secrets.js';

/**
 * lowdb adapter for settings.json. Reading validates (SETTINGS_INVALID naming the field, the file left as
 * it is) and decrypts passwords; writing seals passwords with the cipher and replaces the file atomically
 * with one created owner-only. (lowdb's own JSONFile writes its temp file with the default mode, 0644 under
 * the usual umask, and only then could the store narrow it: a window in which other users could read the
 * passwords. It does not fsync either.)
 */
export class SettingsFile implements Adapter<Settings> {
  /** Passwords found as plain text by the last read; the store re-saves to seal them when it can. */
  plainSecretsRead = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly filePath: string,
    private readonly cipher: SecretCipher | undefined,
  ) {}

  async read(): Promise<Settings | null> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let raw: unknown;
    try {
      // A byte order mark is what Windows Notepad may put before JSON an admin edited: not an error.
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      const reason = (error as Error).message;
      throw new AppError('SETTINGS_INVALID', `${this.filePath} is not valid JSON (${reason}). It was left unchanged: fix it, or move it away to start with default settings.`, {
        issues: [{ path: '', message: reason }],
      });
    }
    const opened = await openSecrets(raw, this.cipher, this.filePath);
    const parsed = settingsSchema.safeParse(opened.data);
    if (!parsed.success) {
      // inputIssues names an unknown field (a typo like "listner") by its own path, not its parent's.
      const issues = inputIssues(parsed.error);
      const first = issues[0];
      throw new AppError('SETTINGS_INVALID', `${this.filePath} has an invalid value at "${first?.path ?? ''}": ${first?.message ?? ''}. It was left unchanged: fix that field and start again.`, { issues });
    }
    this.plainSecretsRead = opened.plain;
    await narrowToOwner(this.filePath); // a copy restored with wider permissions, before any password is written
    return parsed.data;
  }

  /** Writes one after another: the file always ends up with the newest settings. */
  write(data: Settings): Promise<void> {
    const next = this.writing.then(async () => writeOwnerOnlyFile(this.filePath, JSON.stringify(await sealSecrets(data, this.cipher), null, 2)));
    this.writing = next.catch(() => undefined);
    return next;
  }
}
