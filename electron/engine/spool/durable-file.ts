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

/** Text gathered before each write of `writeLinesSynced`: large enough that the calls cost nothing, small enough to leave no peak. */
export const LINES_CHUNK_CHARS = 1 << 20;

/**
 * `lines`, each followed by a newline, written durably to `finalPath` via `tmpPath` (as writeFileSynced) a
 * chunk at a time: the whole text is never one string. A spool snapshot of 100,000 entries is about 65 MB of
 * JSON, so one string and its bytes would briefly double the engine's memory at every stop; from about
 * 800,000 entries it is longer than the longest string V8 can make, and the snapshot could not be written.
 */
export async function writeLinesSynced(tmpPath: string, finalPath: string, lines: Iterable<string>, chunkChars = LINES_CHUNK_CHARS): Promise<void> {
  const handle = await open(tmpPath, 'w', 0o600);
  try {
    let chunk: string[] = [];
    let chars = 0;
    for (const line of lines) {
      chunk.push(line);
      chars += line.length + 1;
      if (chars >= chunkChars) {
        await handle.write(chunk.join('\n') + '\n');
        chunk = [];
        chars = 0;
      }
    }
    if (chunk.length > 0) await handle.write(chunk.join('\n') + '\n');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined); // the first failure is the one to report
    await unlinkIfPresent(tmpPath); // half a file is no use to anyone
    throw error;
  }
  await handle.close();
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
