import { open, rename, rm } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import type { Logger } from '../runtime/logger.js';
import type { CreateJob, FileBatch, FileJob, FileJobResult, ReadJob, RemoveJob, WireError } from './file-worker.js';
import { canSyncDirectories, createExclusive, unlinkIfPresent, type DirectorySyncer } from './durable-file.js';
import { endedEarly } from './read-exactly.js';
import { startWorker } from './start-worker.js';


/**
 * One thread by default. Measured on the benchmark's VM (4 KiB × 10 sessions, MX Spool alone, three runs
 * each, interleaved): one thread 1,177-1,241 messages/s, two 986-1,335. One thread takes bigger batches
 * (fewer directory fsyncs, fewer wake-ups), and that virtual disk flushes one file at a time anyway. More
 * threads help where fsyncs run in parallel (NVMe); the option is there to measure it.
 */
const DEFAULT_THREADS = 1;

interface Waiting {
  job: FileJob;
  resolve: (data: Uint8Array | null) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  /** The batch this thread has; empty when idle. */
  inFlight: Waiting[];
}

/**
 * The spool's busiest file work, done on worker threads: creating a received message's file durably
 * (create, write, fsync, close, rename, then one directory fsync per batch), reading a message to deliver,
 * removing a delivered one. From the spool's thread each is three to six hand-offs to libuv's pool, each
 * with its promise and wake-up, and on two cores the pool's threads also preempt the spool's thread. Here
 * every job that arrives while a thread is busy goes to it in one batch, one message each way. Measured
 * under smtp-source (docs/benchmarks.md, session 8): 10-25 % more messages per second. Same system calls in
 * the same order, so the same durability.
 *
 * Where no thread can start, or one dies, its jobs (and every later one) are done on the calling thread as
 * before; a create a thread had half done is started again from its first byte.
 */
export class FileThreads {
  private readonly threads: Thread[] = [];
  private readonly maxThreads: number;
  private failure: string | null;
  private queued: Waiting[] = [];
  private batches = 0;
  private dispatchScheduled = false;
  private idle: (() => void)[] = [];
  /** Jobs being done on the calling thread (after a failure): close() waits for them too. */
  private readonly here = new Set<Promise<unknown>>();

  constructor(
    private readonly directory: string,
    private readonly directorySync: DirectorySyncer,
    private readonly logger: Logger,
    options: { threads?: number } = {},
  ) {
    this.maxThreads = options.threads ?? DEFAULT_THREADS;
    this.failure = this.maxThreads === 0 ? 'turned off' : null;
  }

  /** Batches handed to the threads so far: under load far fewer than jobs, each batch costing one directory fsync. */
  get batchCount(): number {
    return this.batches;
  }

  /** Writes `chunks` as the new file `target` (via `tmpPath`); resolves once it is durable. On failure nothing of it is left on disk. */
  async create(job: { tmpPath: string; target: string; chunks: readonly Uint8Array[] }): Promise<void> {
    await this.submit({ kind: 'create', tmpPath: job.tmpPath, target: job.target, data: ownBytes(job.chunks) });
  }

  /** The first `size` bytes of `path`; rejects when the file is shorter. */
  async read(path: string, size: number): Promise<Buffer> {
    const data = await this.submit({ kind: 'read', path, size });
    return Buffer.from(data!.buffer, data!.byteOffset, data!.byteLength);
  }

  /** Unlinks `paths` in order; a file already gone is fine. */
  async remove(paths: string[]): Promise<void> {
    await this.submit({ kind: 'remove', paths });
  }

  /** Waits for the jobs in hand, then stops the threads (a graceful stop; the spool writes its snapshot next). */
  async close(): Promise<void> {
    while (this.busy()) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.failure ??= 'closed';
    await Promise.allSettled([...this.here]);
    await Promise.all(this.threads.splice(0).map((thread) => thread.worker.terminate()));
  }

  /** @internal for tests: stops a thread as a crash of it would (killed, out of memory), jobs in hand or not. */
  async killThread(): Promise<void> {
    await this.threads[0]?.worker.terminate();
  }

  private submit(job: FileJob): Promise<Uint8Array | null> {
    if (this.failure !== null) return this.track(runHere(job, this.directorySync));
    return new Promise((resolve, reject) => {
      this.queued.push({ job, resolve, reject });
      if (this.dispatchScheduled) return;
      this.dispatchScheduled = true;
      // At the end of this turn of the event loop, so the jobs of every session served in it go as one batch:
      // each batch wakes a thread, and on two cores a woken thread can preempt this one.
      setImmediate(() => {
        this.dispatchScheduled = false;
        this.sendQueued();
      });
    });
  }

  private busy(): boolean {
    return this.queued.length > 0 || this.threads.some((thread) => thread.inFlight.length > 0);
  }

  /** Hands every queued job to a free thread as one batch; with none free they wait for the next to finish. */
  private sendQueued(): void {
    if (this.queued.length === 0) {
      if (!this.busy()) for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    const thread = this.freeThread();
    if (thread === null) return;
    thread.inFlight = this.queued;
    this.queued = [];
    this.batches += 1;
    thread.worker.ref();
    const batch: FileBatch = { directory: canSyncDirectories ? this.directory : null, jobs: thread.inFlight.map((waiting) => waiting.job) };
    thread.worker.postMessage(batch);
  }

  /** An idle thread, a new one while under the limit, or null (all busy, or none could start: then failed). */
  private freeThread(): Thread | null {
    const free = this.threads.find((thread) => thread.inFlight.length === 0);
    if (free || this.threads.length >= this.maxThreads) return free ?? null;
    let worker: Worker;
    try {
      worker = startWorker(import.meta.url, 'file-worker');
    } catch (error) {
      this.fail(`no spool file thread: ${(error as Error).message}`);
      return null;
    }
    const thread: Thread = { worker, inFlight: [] };
    worker.on('message', (results: FileJobResult[]) => this.settle(thread, results));
    worker.on('error', (error) => this.fail(`a spool file thread failed: ${error.message}`));
    worker.on('exit', (code) => this.fail(`a spool file thread exited with ${code}`));
    this.threads.push(thread);
    return thread;
  }

  private settle(thread: Thread, results: FileJobResult[]): void {
    const settled = thread.inFlight;
    thread.inFlight = [];
    thread.worker.unref(); // an idle thread must not keep the process alive
    settled.forEach((waiting, index) => {
      const result = results[index]!;
      if (result.error !== null) waiting.reject(fromWire(result.error));
      else waiting.resolve(result.data);
    });
    this.sendQueued();
  }

  /** From now on every job is done here, starting with those the threads had taken or were about to. */
  private fail(reason: string): void {
    if (this.failure !== null) return; // closed, or already failed
    this.failure = reason;
    this.logger.log('warn', 'SPOOL_FILE_THREAD_FAILED', { message: reason });
    const threads = this.threads.splice(0);
    const pending = [...threads.flatMap((thread) => thread.inFlight), ...this.queued];
    this.queued = [];
    for (const thread of threads) {
      thread.inFlight = [];
      void thread.worker.terminate(); // the others too: every later job is done here
    }
    for (const { job, resolve, reject } of pending) {
      // A thread may have stopped part-way through a create: its temp file, or even its target, may exist.
      const again = job.kind === 'create' ? rm(job.tmpPath, { force: true }).then(() => runHere(job, this.directorySync)) : runHere(job, this.directorySync);
      this.track(again).then(resolve, reject);
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private track<T>(done: Promise<T>): Promise<T> {
    this.here.add(done);
    const forget = () => void this.here.delete(done);
    done.then(forget, forget);
    return done;
  }
}

/** The calling thread's way: the same calls through libuv's pool, the directory sync shared by group commit. */
async function runHere(job: FileJob, directorySync: DirectorySyncer): Promise<Uint8Array | null> {
  if (job.kind === 'read') return readHere(job);
  if (job.kind === 'remove') await removeHere(job);
  else await createHere(job, directorySync);
  return null;
}

async function createHere(job: CreateJob, directorySync: DirectorySyncer): Promise<void> {
  const handle = await createExclusive(job.tmpPath); // a failure here leaves nothing of the job (a clash is not ours to remove)
  try {
    try {
      await handle.writeFile(job.data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(job.tmpPath, job.target);
    await directorySync.sync();
  } catch (error) {
    await rm(job.tmpPath, { force: true });
    await rm(job.target, { force: true });
    throw error;
  }
}

async function readHere(job: ReadJob): Promise<Uint8Array> {
  const handle = await open(job.path, 'r');
  try {
    const data = Buffer.allocUnsafe(job.size);
    for (let offset = 0; offset < job.size; ) {
      const { bytesRead } = await handle.read(data, offset, job.size - offset, offset);
      if (bytesRead === 0) throw endedEarly(job.path, offset, job.size);
      offset += bytesRead;
    }
    return data;
  } finally {
    await handle.close();
  }
}

async function removeHere(job: RemoveJob): Promise<void> {
  for (const path of job.paths) await unlinkIfPresent(path);
}

/**
 * One copy into memory of its own. Posting to a thread copies each view's whole backing store: a 10-byte
 * slice of a 1 MiB buffer costs 545 µs, a 10-byte buffer of its own 0.8 µs (measured here); the chunks of a
 * received message are slices of socket reads and of Buffer's 8 KiB pool.
 */
function ownBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const data = Buffer.allocUnsafeSlow(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return data;
}

function fromWire(wire: WireError): Error {
  const error: NodeJS.ErrnoException = new Error(wire.message);
  if (wire.code !== null) error.code = wire.code;
  return error;
}
