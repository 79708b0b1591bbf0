import { parentPort, workerData } from 'node:worker_threads';
import { checkStateFileText } from './state-file-check.js';

/** What the reader hands a worker (state-file-reader.ts). */
export interface StateFileWorkerData {
  queueDir: string;
  ids: string[];
  chunkFiles: number;
  /** The next chunk to claim, shared with the reader's thread and the other workers. */
  next: Int32Array;
}

/**
 * One chunk's results, in the order of `ids` from `chunk × chunkFiles`. A checked entry crosses as its JSON
 * text: strings copy between threads cheaply, and parsing it again on the spool's thread costs a quarter of
 * reading, parsing and checking it here.
 */
export interface StateFileWorkerBatch {
  chunk: number;
  /** The checked entry as JSON, or null where `reasons` has why not (beside an entry, `reasons` has why its state file was set aside). */
  entries: (string | null)[];
  reasons: (string | null)[];
}

const { queueDir, ids, chunkFiles, next } = workerData as StateFileWorkerData;
for (let chunk = Atomics.add(next, 0, 1); chunk * chunkFiles < ids.length; chunk = Atomics.add(next, 0, 1)) {
  const batch: StateFileWorkerBatch = { chunk, entries: [], reasons: [] };
  for (let index = chunk * chunkFiles; index < Math.min(ids.length, (chunk + 1) * chunkFiles); index++) {
    const checked = checkStateFileText(queueDir, ids[index]!);
    batch.entries.push(checked.ok ? checked.json : null);
    batch.reasons.push(checked.ok ? (checked.replaced ?? null) : checked.reason);
  }
  parentPort!.postMessage(batch);
}
