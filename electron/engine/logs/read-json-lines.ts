import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** One parsed line with its 0-based position in the file; the position breaks ties between equal times. */
export interface LineRecord<T> {
  record: T;
  lineIndex: number;
}

/** Filled in while a file is read, so a caller can log skipped lines or re-read exactly the same bytes. */
export interface ReadStats {
  /** Bytes the read covered (the file size when it was opened, unless a byteLength was given). */
  bytes: number;
  lines: number;
  /** Lines that were not JSON or that `parse` refused. */
  skipped: number;
}

export function emptyReadStats(): ReadStats {
  return { bytes: 0, lines: 0, skipped: 0 };
}

export interface ReadJsonLinesOptions {
  /**
   * Read only the first `byteLength` bytes. A second pass over a file that is still being appended to
   * uses the first pass's `stats.bytes` so both passes see the same lines.
   */
  byteLength?: number | undefined;
  stats?: ReadStats | undefined;
}

/**
 * Records handed out per batch. Batches, not single records: a promise per line costs more than parsing
 * it. While the caller works on a batch the file is paused, so memory stays at about one batch plus one
 * read chunk (64 KiB) whatever the file size.
 */
const BATCH_RECORDS = 1000;

/**
 * Streams a JSON-lines file line by line (readline) in batches of parsed records. A line that is not JSON
 * or that `parse` rejects is counted and skipped, never fatal: a crash in the middle of an append leaves
 * a partial last line, and one bad line must not hide a day of history. A missing file reads as empty.
 */
export async function* readJsonLineBatches<T>(
  path: string,
  parse: (value: unknown) => T | undefined,
  options: ReadJsonLinesOptions = {},
): AsyncGenerator<LineRecord<T>[]> {
  const stats = options.stats ?? emptyReadStats();
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    stats.bytes = options.byteLength ?? (await handle.stat()).size;
    if (stats.bytes === 0) return;
    // `end` is inclusive; the utf8 decoder keeps a multi-byte character split across chunks intact.
    const input = handle.createReadStream({ start: 0, end: stats.bytes - 1, encoding: 'utf8', autoClose: false });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let batch: LineRecord<T>[] = [];
    let ended = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      const resolve = wake;
      wake = null;
      resolve?.();
    };
    lines.on('line', (line) => {
      const lineIndex = stats.lines++;
      if (line.trim() === '') return;
      const record = parseLine(line, parse);
      if (record === undefined) {
        stats.skipped++;
        return;
      }
      batch.push({ record, lineIndex });
      if (batch.length >= BATCH_RECORDS) {
        // Lines already decoded from the current chunk still arrive after pause(); the batch absorbs them.
        lines.pause();
        notify();
      }
    });
    lines.on('close', () => {
      ended = true;
      notify();
    });
    input.on('error', (error) => {
      failure = error;
      ended = true;
      notify();
    });
    try {
      for (;;) {
        if (failure !== null) throw failure;
        if (batch.length >= BATCH_RECORDS || (ended && batch.length > 0)) {
          const ready = batch;
          batch = [];
          yield ready;
          if (!ended) lines.resume();
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      lines.close();
      input.destroy();
    }
  } finally {
    await handle.close();
  }
}

function parseLine<T>(line: string, parse: (value: unknown) => T | undefined): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return parse(value);
}
