import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Durability primitives for the spool, after Haraka's fsync_writestream: write to a temp file, fsync it,
 * rename it into place, then fsync the directory so the rename itself survives a power cut (Haraka skips
 * this last step). Windows cannot open a directory for fsync; NTFS journals the rename metadata instead.
 */
export const canSyncDirectories = process.platform !== 'win32';

/** Opens a new file for writing that must not exist yet (a clash means an id collision: fail loudly). */
export async function createExclusive(filePath: string): Promise<FileHandle> {
  return open(filePath, 'wx', 0o600);
}

/** Writes `data` to `finalPath` durably via `tmpPath`. The directory is NOT synced here: call a DirectorySyncer. */
export async function writeFileSynced(tmpPath: string, finalPath: string, data: string | Uint8Array, options: { fsync?: boolean } = {}): Promise<void> {
  const handle = await open(tmpPath, 'w', 0o600);
  try {
    await handle.writeFile(data);
    if (options.fsync !== false) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmpPath, finalPath);
}

/**
 * Group commit for directory fsyncs: callers that ask while a sync is running share the next one, so
 * 50 parallel sessions cost a handful of directory syncs rather than 50.
 */
export class DirectorySyncer {
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly directory: string) {}

  sync(): Promise<void> {
    if (!canSyncDirectories) return Promise.resolve();
    if (this.queued) return this.queued;
    if (!this.running) {
      this.running = this.syncOnce().finally(() => (this.running = null));
      return this.running;
    }
    // A sync is in flight and may have started before our rename: wait for it, then run one more.
    this.queued = this.running.then(() => {
      this.queued = null;
      this.running = this.syncOnce().finally(() => (this.running = null));
      return this.running;
    });
    return this.queued;
  }

  private async syncOnce(): Promise<void> {
    const handle = await open(this.directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

export function siblingTemp(directory: string, name: string): string {
  return path.join(directory, `${name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

/** unlink without rm's extra lstat; a file already gone is fine (removal is idempotent). */
export async function unlinkIfPresent(filePath: string): Promise<void> {
  try {
    await unlink(filePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
