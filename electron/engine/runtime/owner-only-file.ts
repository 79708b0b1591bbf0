import { randomBytes } from 'node:crypto';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

const OWNER_ONLY = 0o600;

/**
 * Replaces `file` with `content`, readable by its owner only from the first byte: a temp file created 0600
 * beside it, fsync, rename, fsync of the folder. A crash leaves the old file or the new one, never a mix,
 * and never a moment in which other users could read it (settings with passwords, the admin token).
 */
export async function writeOwnerOnlyFile(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', OWNER_ONLY);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (process.platform === 'win32') return; // Windows cannot fsync a directory; NTFS journals the rename
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** A file copied or restored with wider permissions is narrowed to its owner (POSIX; on Windows the profile folder's ACL protects it). */
export async function narrowToOwner(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) await chmod(file, OWNER_ONLY);
}
