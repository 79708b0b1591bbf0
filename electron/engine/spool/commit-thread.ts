import { open, rename, rm } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../runtime/logger.js';
import type { CommitBatch, CommitBatchResult, CommitJob, WireError } from './commit-worker.js';
import { canSyncDirectories, type DirectorySyncer } from './durable-file.js';
import { startWorker } from './start-worker.js';

export type { CommitJob } from './commit-worker.js';

interface Waiting {
  job: CommitJob;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Makes new spool files durable on a worker thread: create, write, fsync, close, rename, then one directory
 * fsync for every job that arrived meanwhile. Done from the spool's thread, those are five or more hand-offs
 * to libuv's pool per message, each with its promise and its wake-up, and on two cores the pool's threads
 * also preempt the spool's thread: measured under smtp-source (docs/benchmarks.md, session 8), one thread
 * making the same calls synchronously took 10-25 % more messages per second. Same system calls, same order,
 * so the same durability.
 *
 * Where the thread cannot start or dies, its jobs (and every later one) are done on the calling thread the
 * way they were before; a job the thread had half done is started again from its first byte.
 */
export class CommitThread {
  private worker: Worker | null = null;
  private failure: string | null;
  private queued: Waiting[] = [];
  private inFlight: Waiting[] = [];
  private batches = 0;
  private idle: (() => void)[] = [];
  /** Jobs being done on the calling thread (after a failure): close() waits for them too. */
  private readonly here = new Set<Promise<void>>();

  constructor(
    private readonly directory: string,
    private readonly directorySync: DirectorySyncer,
    private readonly logger: Logger,
    options: { thread?: boolean } = {},
  ) {
    this.failure = options.thread === false ? 'turned off' : null;
  }

  /** Batches handed to the thread so far: under load far fewer than jobs, each batch costing one directory fsync. */
  get batchCount(): number {
    return this.batches;
  }

  /** Resolves once `job.target` is durable; on failure nothing of the job is left on disk. */
  write(job: CommitJob): Promise<void> {
    if (this.failure !== null) return this.track(this.writeHere(job));
    return new Promise((resolve, reject) => {
      this.queued.push({ job, resolve, reject });
      if (this.inFlight.length === 0) this.sendQueued();
    });
  }

  /** Waits for the jobs in hand, then stops the thread (a graceful stop; the spool writes its snapshot next). */
  async close(): Promise<void> {
    while (this.inFlight.length > 0 || this.queued.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.failure ??= 'closed';
    await Promise.allSettled([...this.here]);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private sendQueued(): void {
    if (this.queued.length === 0) {
      this.worker?.unref(); // an idle thread must not keep the process alive
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const worker = this.ensureWorker();
    if (worker === null) return;
    this.inFlight = this.queued;
    this.queued = [];
    worker.ref();
    const batch: CommitBatch = { batch: ++this.batches, directory: canSyncDirectories ? this.directory : null, jobs: this.inFlight.map((waiting) => waiting.job) };
    worker.postMessage(batch);
  }

  private ensureWorker(): Worker | null {
    if (this.worker !== null) return this.worker;
    try {
      this.worker = startWorker(import.meta.url, 'commit-worker');
    } catch (error) {
      this.fail(`no commit thread: ${(error as Error).message}`);
      return null;
    }
    this.worker.on('message', (result: CommitBatchResult) => this.settle(result));
    this.worker.on('error', (error) => this.fail(`the commit thread failed: ${error.message}`));
    this.worker.on('exit', (code) => this.fail(`the commit thread exited with ${code}`));
    return this.worker;
  }

  private settle({ errors }: CommitBatchResult): void {
    const settled = this.inFlight;
    this.inFlight = [];
    settled.forEach((waiting, index) => {
      const error = errors[index];
      if (error) waiting.reject(fromWire(error));
      else waiting.resolve();
    });
    this.sendQueued();
  }

  /** @internal for tests: stops the thread as a crash of it would (killed, out of memory), jobs in hand or not. */
  async killThread(): Promise<void> {
    await this.worker?.terminate();
  }

  /** From now on every job is done here, starting with those the thread had taken or was about to. */
  private fail(reason: string): void {
    if (this.failure !== null) return; // closed, or already failed
    this.failure = reason;
    this.worker = null;
    this.logger.log('warn', 'SPOOL_COMMIT_THREAD_FAILED', { message: reason });
    const pending = [...this.inFlight, ...this.queued];
    this.inFlight = [];
    this.queued = [];
    for (const waiting of pending) {
      // The thread may have stopped part-way through this job: its temp file, or even its target, may exist.
      this.track(rm(waiting.job.tmpPath, { force: true }).then(() => this.writeHere(waiting.job))).then(waiting.resolve, waiting.reject);
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private track(done: Promise<void>): Promise<void> {
    this.here.add(done);
    const forget = () => void this.here.delete(done);
    done.then(forget, forget);
    return done;
  }

  /** The calling thread's way: the same calls through libuv's pool, the directory sync shared by group commit. */
  private async writeHere(job: CommitJob): Promise<void> {
    const handle = await open(job.tmpPath, 'wx', 0o600); // a failure here leaves nothing of the job (a clash is not ours to remove)
    try {
      try {
        await handle.writeFile(job.chunks.length === 1 ? job.chunks[0]! : Buffer.concat(job.chunks));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(job.tmpPath, job.target);
      await this.directorySync.sync();
    } catch (error) {
      await rm(job.tmpPath, { force: true });
      await rm(job.target, { force: true });
      throw error;
    }
  }
}

function fromWire(wire: WireError): Error {
  const error: NodeJS.ErrnoException = new Error(wire.message);
  if (wire.code !== null) error.code = wire.code;
  return error;
}
