import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readExactlySync } from './read-exactly.js';

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

/** The same system calls as the spool's own path (durable-file.ts), made synchronously: this thread does nothing else. */
function create(job: CreateJob): void {
  const fd = openSync(job.tmpPath, 'wx', 0o600); // throws before anything of the job exists (a clash is not ours to remove)
  try {
    for (let offset = 0; offset < job.data.length; ) offset += writeSync(fd, job.data, offset, job.data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(job.tmpPath, job.target);
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

function run(job: FileJob): FileJobResult {
  try {
    if (job.kind === 'read') return { error: null, data: read(job) };
    if (job.kind === 'remove') remove(job);
    else create(job);
    return { error: null, data: null };
  } catch (error) {
    if (job.kind === 'create' && (error as { syscall?: string }).syscall !== 'open') removeCreated(job);
    return { error: toWire(error) };
  }
}

parentPort!.on('message', ({ directory, jobs }: FileBatch) => {
  const results = jobs.map(run);
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
});
