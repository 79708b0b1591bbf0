import { closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { parentPort } from 'node:worker_threads';
import { readExactlySync } from './read-exactly.js';

const fsyncOnPool = promisify(fsync);

/** A new file to make durable: written to `tmpPath` (which must not exist), fsync'ed, renamed to `target`. */
export interface CreateJob {
  kind: 'create';
  tmpPath: string;
  target: string;
  /**
   * The file's bytes, in a buffer of their own (see ownBytes in file-thread.ts): posting a job copies a
   * view's whole backing store, and a slice of a socket read or of Buffer's pool would drag that along.
   */
  data: Uint8Array;
}

/** The first `size` bytes of a file (a message to deliver); fewer on disk is an error. */
export interface ReadJob {
  kind: 'read';
  path: string;
  size: number;
}

/** Files to unlink, in this order (an entry's state before its message); one already gone is fine. */
export interface RemoveJob {
  kind: 'remove';
  paths: string[];
}

export type FileJob = CreateJob | ReadJob | RemoveJob;

/** Jobs that arrived while the previous batch was with the thread; `directory` is fsync'ed once after the batch's creates (null: not on this platform). */
export interface FileBatch {
  directory: string | null;
  jobs: FileJob[];
}

/** An error as it crosses back: structured clone keeps an Error's message but not its `code` (ENOSPC…), which the SMTP reply needs. */
export interface WireError {
  message: string;
  code: string | null;
}

/** Per job in order: an error, or success (with the bytes for a read). A failed create leaves nothing of itself. */
export type FileJobResult = { error: WireError } | { error: null; data: Uint8Array | null };

/**
 * A batch's new files, with the same system calls as the spool's own path (durable-file.ts): each one
 * created and written, then all fsync'ed at once, then each closed and renamed. A journaling file system
 * (ext4's jbd2, for one) commits the fsyncs that wait at the same time in one journal commit, where one
 * after another each waits for a commit of its own (docs/benchmarks.md, session 11). The fsyncs run on
 * libuv's pool; the rest stays synchronous, as this thread does nothing else.
 */
async function createTogether(jobs: readonly FileJob[], results: FileJobResult[]): Promise<void> {
  const written: { index: number; fd: number }[] = [];
  jobs.forEach((job, index) => {
    if (job.kind !== 'create') return;
    let fd: number;
    try {
      fd = openSync(job.tmpPath, 'wx', 0o600);
    } catch (error) {
      results[index] = { error: toWire(error) }; // nothing of the job exists (a clash is not ours to remove)
      return;
    }
    try {
      for (let offset = 0; offset < job.data.length; ) offset += writeSync(fd, job.data, offset, job.data.length - offset);
      written.push({ index, fd });
    } catch (error) {
      closeQuietly(fd);
      removeCreated(job);
      results[index] = { error: toWire(error) };
    }
  });
  const synced = await Promise.all(written.map(({ fd }) => fsyncOnPool(fd).then(() => null, toWire)));
  written.forEach(({ index, fd }, at) => {
    const job = jobs[index] as CreateJob;
    let error = synced[at]!;
    try {
      closeSync(fd);
      if (error === null) renameSync(job.tmpPath, job.target);
    } catch (failure) {
      error ??= toWire(failure);
    }
    if (error !== null) removeCreated(job);
    results[index] = error === null ? { error: null, data: null } : { error };
  });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // the write's own error is the one to report
  }
}

function read(job: ReadJob): Uint8Array {
  // Not from Buffer's shared pool: the bytes cross back by moving their memory, which must be theirs alone.
  const data = Buffer.allocUnsafeSlow(job.size);
  const fd = openSync(job.path, 'r');
  try {
    readExactlySync(fd, data, 0, job.path);
  } finally {
    closeSync(fd);
  }
  return data;
}

function remove(job: RemoveJob): void {
  for (const path of job.paths) {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function toWire(error: unknown): WireError {
  return { message: (error as Error).message ?? String(error), code: (error as NodeJS.ErrnoException).code ?? null };
}

/** Not acknowledged, so nothing may stay: the sender's retry must be the only copy. */
function removeCreated(job: CreateJob): void {
  try {
    rmSync(job.tmpPath, { force: true });
    rmSync(job.target, { force: true });
  } catch {
    // The disk refuses even this (EIO): the job's own error is what the sender and the log need.
  }
}

/** A read or a removal; a create is done with the others of its batch (createTogether). */
function run(job: ReadJob | RemoveJob): FileJobResult {
  try {
    if (job.kind === 'read') return { error: null, data: read(job) };
    remove(job);
    return { error: null, data: null };
  } catch (error) {
    return { error: toWire(error) };
  }
}

async function runBatch({ directory, jobs }: FileBatch): Promise<void> {
  const results: FileJobResult[] = new Array<FileJobResult>(jobs.length);
  await createTogether(jobs, results);
  jobs.forEach((job, index) => {
    if (job.kind !== 'create') results[index] = run(job);
  });
  const created = jobs.flatMap((job, index) => (job.kind === 'create' && results[index]!.error === null ? [index] : []));
  if (directory !== null && created.length > 0) {
    try {
      syncDirectory(directory); // one directory fsync makes every rename of the batch durable
    } catch (error) {
      for (const index of created) {
        removeCreated(jobs[index] as CreateJob);
        results[index] = { error: toWire(error) };
      }
    }
  }
  const moved = results.flatMap((result) => (result.error === null && result.data ? [result.data.buffer as ArrayBuffer] : []));
  parentPort!.postMessage(results, moved);
}

// One batch at a time: the spool's side sends the next only once this one's results are back.
parentPort!.on('message', (batch: FileBatch) => void runBatch(batch));
