import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../contract/app-error.js';
import { narrowToOwner, writeOwnerOnlyFile } from '../engine/runtime/owner-only-file.js';

const TOKEN_FILE = 'admin-token';
const TOKEN_BYTES = 32; // 256 bits: far beyond guessing over a loopback socket
// Visible ASCII without spaces: the token travels in an Authorization header and a query string.
const VALID_TOKEN = /^[\x21-\x7e]{16,512}$/;

export function adminTokenPath(dataDir: string): string {
  return path.join(dataDir, TOKEN_FILE);
}

/**
 * Returns the admin API token kept in `<dataDir>/admin-token`, creating it on first start. The file is the
 * credential: whoever can read it controls the spool, so it is owner-only (0600) and tightened if an
 * admin's copy or restore left it wider. An admin may put their own token there (16+ visible characters).
 */
export async function loadOrCreateAdminToken(dataDir: string): Promise<string> {
  const file = adminTokenPath(dataDir);
  const existing = await readTokenFile(file);
  if (existing !== undefined && existing !== '') {
    if (!VALID_TOKEN.test(existing)) {
      throw new AppError(
        'SETTINGS_INVALID',
        `${file} must hold one token of 16 to 512 visible characters without spaces; fix it, or delete it to have a new one made`,
      );
    }
    await narrowToOwner(file);
    return existing;
  }
  // Missing, or empty after a crash between create and write: make a fresh one.
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeOwnerOnlyFile(file, token + '\n');
  return token;
}

async function readTokenFile(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
