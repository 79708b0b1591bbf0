import os from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { checkStateFile, type CheckedState } from './state-file-check.js';
import { startWorker } from './start-worker.js';
import type { StateFileWorkerBatch, StateFileWorkerData } from './state-file-worker.js';

/** Below this many entries everything stays on the calling thread: starting a worker would cost more than it saves. */
export const PARALLEL_READ_MIN_FILES = 2000;
/** Files per chunk: the unit a thread claims, and a worker's message (one message per file would cost more than the read). */
export const CHUNK_FILES = 250;

export interface ReadStateFilesOptions {
  /** Worker threads; default one where there are 2,000 files or more, else none. */
  threads?: number;
  /** The calling thread checks chunks too while it waits (default true; tests turn it off to see the workers work). */
  alsoHere?: boolean;
  /** @internal for tests: each worker once started and listened to, to stop one mid-way as a crash would. */
  onWorkerStarted?: (worker: Worker) => void;
}

/** Where the files were checked. A worker that could not start or died is named, and its files were checked here. */
export interface StateFileReadSummary {
  inWorkers: number;
  onThisThread: number;
  workerFailures: string[];
}

/**
 * Reads and checks every entry's state file (and its body's size) for the spool's load after a crash. Per
 * entry that is four system calls, a JSON parse and a schema check: about 25 µs, 2.5 s of a start with
 * 100,000 queued when all done on the spool's thread. With many entries a worker thread shares the work: it
 * and this thread claim chunks of files from one shared counter (so neither waits for the other), and the
 * worker sends each checked entry back as JSON, which this thread only parses. Measured on 2 cores: a
 * worker that only read left this thread the parsing and checking (2 s); workers that did everything left it
 * idle a quarter of the time. `each` runs on the caller's thread, in no particular order.
 */
export async function readStateFiles(queueDir: string, ids: readonly string[], each: (id: string, checked: CheckedState) => void, options: ReadStateFilesOptions = {}): Promise<StateFileReadSummary> {
  const summary: StateFileReadSummary = { inWorkers: 0, onThisThread: 0, workerFailures: [] };
  const chunks = Math.ceil(ids.length / CHUNK_FILES);
  const threads = options.threads ?? (ids.length >= PARALLEL_READ_MIN_FILES && os.availableParallelism() >= 2 ? 1 : 0);
  const done = new Uint8Array(chunks);
  const checkHere = (chunk: number) => {
    for (let index = chunk * CHUNK_FILES; index < Math.min(ids.length, (chunk + 1) * CHUNK_FILES); index++) {
      each(ids[index]!, checkStateFile(queueDir, ids[index]!));
      summary.onThisThread += 1;
    }
    done[chunk] = 1;
  };
  if (threads === 0) {
    for (let chunk = 0; chunk < chunks; chunk++) checkHere(chunk);
    return summary;
  }

  // The next chunk to claim, shared with the workers (Atomics.add: each chunk goes to exactly one thread).
  const next = new Int32Array(new SharedArrayBuffer(4));
  let callerError: unknown = null;
  const workers = Array.from({ length: threads }, () =>
    runWorker({ queueDir, ids: ids as string[], chunkFiles: CHUNK_FILES, next }, options.onWorkerStarted, (batch) => {
      if (callerError !== null) return;
      try {
        batch.entries.forEach((text, offset) => {
          const index = batch.chunk * CHUNK_FILES + offset;
          const reason = batch.reasons[offset] ?? null;
          if (text === null) each(ids[index]!, { ok: false, reason: reason ?? 'no reason given' });
          else each(ids[index]!, reason === null ? { ok: true, entry: JSON.parse(text) as never } : { ok: true, entry: JSON.parse(text) as never, replaced: reason });
        });
        summary.inWorkers += batch.entries.length;
        done[batch.chunk] = 1;
      } catch (error) {
        callerError ??= error; // the caller's own failure: it ends the read
        for (const worker of workers) worker.stop();
      }
    }),
  );
  if (options.alsoHere !== false) {
    try {
      for (let chunk = Atomics.add(next, 0, 1); chunk < chunks && callerError === null; chunk = Atomics.add(next, 0, 1)) {
        checkHere(chunk);
        await nextTurn(); // let the workers' batches in
      }
    } catch (error) {
      callerError ??= error;
      for (const worker of workers) worker.stop();
    }
  }
  const failures = await Promise.all(workers.map((worker) => worker.exited));
  if (callerError !== null) throw callerError instanceof Error ? callerError : new Error(String(callerError));
  for (const failure of failures) if (failure !== null) summary.workerFailures.push(failure);
  // Chunks a failed worker claimed but never sent, or left unclaimed: checked here.
  for (let chunk = 0; chunk < chunks; chunk++) if (done[chunk] === 0) checkHere(chunk);
  return summary;
}

/** A worker that claims chunks until none are left, `onBatch` for each; `exited` gives why it failed, or null. */
function runWorker(data: StateFileWorkerData, onStarted: ((worker: Worker) => void) | undefined, onBatch: (batch: StateFileWorkerBatch) => void): { exited: Promise<string | null>; stop(): void } {
  let worker: Worker;
  try {
    worker = startWorker(import.meta.url, 'state-file-worker', { workerData: data });
  } catch (error) {
    return { exited: Promise.resolve(`no reader thread: ${(error as Error).message}`), stop: () => undefined }; // no worker threads on this host
  }
  let failure: string | null = null;
  worker.on('message', onBatch);
  worker.on('error', (error) => (failure ??= `a reader thread failed: ${error.message}`));
  onStarted?.(worker);
  return {
    exited: new Promise((resolve) => worker.once('exit', (code) => resolve(failure ?? (code === 0 ? null : `a reader thread exited with ${code}`)))),
    stop: () => void worker.terminate(),
  };
}
