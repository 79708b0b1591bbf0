import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** A new file to make durable: written to `tmpPath` (which must not exist), fsync'ed, renamed to `target`. */
export interface CommitJob {
  tmpPath: string;
  target: string;
  chunks: Uint8Array[];
}

/** Jobs that arrived while the previous batch was on disk; `directory` is fsync'ed once after all of them (null: not on this platform). */
export interface CommitBatch {
  batch: number;
  directory: string | null;
  jobs: CommitJob[];
}

/** An error as it crosses back: structured clone keeps an Error's message but not its `code` (ENOSPC…), which the SMTP reply needs. */
export interface WireError {
  message: string;
  code: string | null;
}

/** Per job in order: null when its file is in place and the directory synced, else why not (and nothing of it is left). */
export interface CommitBatchResult {
  batch: number;
  errors: (WireError | null)[];
}

/** The same system calls as the spool's own path (durable-file.ts), made synchronously: this thread does nothing else. */
function writeJob(job: CommitJob): void {
  const fd = openSync(job.tmpPath, 'wx', 0o600); // throws before anything of the job exists (a clash is not ours to remove)
  try {
    for (const chunk of job.chunks) {
      for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset, chunk.length - offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(job.tmpPath, job.target);
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
function removeJobFiles(job: CommitJob): void {
  try {
    rmSync(job.tmpPath, { force: true });
    rmSync(job.target, { force: true });
  } catch {
    // The disk refuses even this (EIO): the job's own error is what the sender and the log need.
  }
}

parentPort!.on('message', ({ batch, directory, jobs }: CommitBatch) => {
  const errors = jobs.map((job): WireError | null => {
    try {
      writeJob(job);
      return null;
    } catch (error) {
      if ((error as { syscall?: string }).syscall !== 'open') removeJobFiles(job);
      return toWire(error);
    }
  });
  if (directory !== null && errors.includes(null)) {
    try {
      syncDirectory(directory); // one directory fsync makes every rename of the batch durable
    } catch (error) {
      jobs.forEach((job, index) => {
        if (errors[index] !== null) return;
        removeJobFiles(job);
        errors[index] = toWire(error);
      });
    }
  }
  parentPort!.postMessage({ batch, errors } satisfies CommitBatchResult);
});
