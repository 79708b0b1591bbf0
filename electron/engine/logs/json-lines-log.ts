import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../contract/app-error.js';
import type { Logger } from '../runtime/logger.js';
import { DayIndexCache } from './day-index-cache.js';
import { parseLine, type DayIndex, type IndexKeys } from './day-index.js';
import { emptyReadStats, readJsonLineBatches, type LineRecord, type ReadStats } from './read-json-lines.js';
import { UTC_DAY_MS, utcDayKey, utcDayStartMs } from './utc-day.js';
import { errorText } from '../runtime/error-text.js';
import { forEachLineContaining } from '../runtime/for-each-line.js';
import { isoTimeMs } from '../runtime/iso-time.js';

/** Every logged record says when it happened, as an ISO 8601 UTC string; it picks the day file. */
export interface TimedRecord {
  time: string;
}

export interface ReadDayOptions {
  /** Read only this many bytes (see ReadJsonLinesOptions.byteLength). */
  byteLength?: number | undefined;
  stats?: ReadStats | undefined;
  /** Do not log skipped lines: a second pass over the same bytes already reported them. */
  quiet?: boolean | undefined;
}

/** What the report reader needs from a log: which day files exist, and each one's lines. */
export interface DayFileSource<T> {
  /** Days (`YYYY-MM-DD`, ascending) whose file exists and overlaps [startMs, endMs). */
  listDays(startMs: number, endMs: number): Promise<string[]>;
  /** The day's records in file order, in batches (see readJsonLineBatches). */
  readDay(dayKey: string, options?: ReadDayOptions): AsyncIterable<LineRecord<T>[]>;
}

/** A log whose day files are indexed for reports (see day-index.ts). */
export interface IndexedDayFileSource<T> extends DayFileSource<T> {
  /** The day's index, up to date with every record appended before the call; null when the log keeps none. */
  dayIndex(dayKey: string): Promise<DayIndex | null>;
  /** The records at these byte spots of the day file (from its index), in the order given. */
  readAt(dayKey: string, spots: readonly { offset: number; length: number }[]): Promise<T[]>;
}

export interface JsonLinesLogOptions<T> {
  /** Directory of the day files; created on the first append. */
  dir: string;
  /** File prefix: records go to `<dir>/<name>-YYYY-MM-DD.jsonl`. */
  name: string;
  logger: Logger;
  /** Checks a parsed line; undefined skips it (a hand-edited line, a record from an incompatible version). */
  parse?: ((value: unknown) => T | undefined) | undefined;
  /** Append handles kept open, least recently used closed first. 2 covers today plus yesterday's late records. */
  maxOpenFiles?: number | undefined;
  /** Index the day files on these keys (kept under `<dir>/index/`), so reports count without parsing every line. */
  indexKeys?: IndexKeys<T> | undefined;
}

/** Bytes per write call: large enough to batch thousands of records, small enough to bound the joined string. */
const WRITE_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * An append-only log of JSON records, one file per UTC day (`attempts-2026-11-27.jsonl`).
 *
 * Appends are queued and written by a single writer, so lines never interleave and a burst of appends
 * costs one write per day file rather than one per record. The files are history for reports and
 * queue.get, not the spool itself: they are not fsynced, and a write failure is logged and reported by
 * the next `flush()` instead of stopping mail.
 */
export class JsonLinesLog<T extends TimedRecord> implements IndexedDayFileSource<T> {
  private readonly dir: string;
  private readonly name: string;
  private readonly logger: Logger;
  private readonly parseRecord: (value: unknown) => T | undefined;
  private readonly maxOpenFiles: number;
  private readonly fileNamePattern: RegExp;
  private readonly indexes: DayIndexCache<T> | null;

  private pending: { dayKey: string; line: string }[] = [];
  private draining: Promise<void> | null = null;
  /** Records appended / handed to the disk (written or failed); flush waits for the count at its call. */
  private appendedCount = 0;
  private processedCount = 0;
  private waiters: { target: number; resolve: () => void }[] = [];
  /** Open append handles by day; Map order is least recently used first. */
  private readonly handles = new Map<string, FileHandle>();
  private writeError: unknown = null;
  private dirReady = false;
  private closed = false;

  constructor(options: JsonLinesLogOptions<T>) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(options.name)) throw new AppError('INVALID_INPUT', `Log name "${options.name}" must be lowercase letters, digits and dashes`);
    this.dir = options.dir;
    this.name = options.name;
    this.logger = options.logger;
    this.parseRecord = options.parse ?? parseTimedRecord<T>;
    this.maxOpenFiles = Math.max(1, options.maxOpenFiles ?? 2);
    this.fileNamePattern = new RegExp(`^${options.name}-(\\d{4}-\\d{2}-\\d{2})\\.jsonl$`);
    this.indexes = options.indexKeys
      ? new DayIndexCache<T>({
          dir: join(options.dir, 'index'),
          pathFor: (dayKey) => this.pathFor(dayKey),
          parse: this.parseRecord,
          keys: options.indexKeys,
          logger: options.logger,
          today: () => utcDayKey(Date.now()),
        })
      : null;
  }

  async dayIndex(dayKey: string): Promise<DayIndex | null> {
    if (!this.indexes) return null;
    await this.idle();
    return this.indexes.get(dayKey);
  }

  async readAt(dayKey: string, spots: readonly { offset: number; length: number }[]): Promise<T[]> {
    if (!this.indexes) return [];
    return this.indexes.readAt(dayKey, spots);
  }

  /** Lines parsed to build or extend day indexes since start (0 without indexKeys). */
  get indexedLinesRead(): number {
    return this.indexes?.linesRead ?? 0;
  }

  /** Path of the file for one UTC day. */
  pathFor(dayKey: string): string {
    return join(this.dir, `${this.name}-${dayKey}.jsonl`);
  }

  /** Append handles currently open (for diagnostics and tests). */
  get openFileCount(): number {
    return this.handles.size;
  }

  /**
   * Queues one record; it is written with the others appended in the same tick. Returns at once so the
   * delivery path never waits on the history; call `flush()` to wait and to learn about write errors.
   */
  append(record: T): void {
    if (this.closed) throw new AppError('INTERNAL', `The ${this.name} log is closed; no more records can be added`);
    const timeMs = Date.parse(record.time);
    if (Number.isNaN(timeMs)) throw new AppError('INVALID_INPUT', `Log record time "${record.time}" is not an ISO 8601 date`);
    // JSON.stringify escapes CR and LF inside strings, so one record is always exactly one line.
    this.pending.push({ dayKey: utcDayKey(timeMs), line: JSON.stringify(record) + '\n' });
    this.appendedCount++;
    this.draining ??= this.drain();
  }

  /** Resolves when every record appended so far is written; rejects once for write errors since the last flush. */
  async flush(): Promise<void> {
    await this.idle();
    this.throwWriteError();
  }

  /** Writes what is pending and closes every file. Appending afterwards throws. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((handle) => handle.close()));
    this.throwWriteError();
  }

  async listDays(startMs: number, endMs: number): Promise<string[]> {
    // Listing (not computing the day keys) also serves open-ended ranges such as "since 30 days ago".
    await this.idle();
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const days: string[] = [];
    for (const name of names) {
      const dayKey = this.fileNamePattern.exec(name)?.[1];
      if (dayKey === undefined) continue;
      const dayStartMs = utcDayStartMs(dayKey);
      if (dayStartMs < endMs && dayStartMs + UTC_DAY_MS > startMs) days.push(dayKey);
    }
    return days.sort();
  }

  async *readDay(dayKey: string, options: ReadDayOptions = {}): AsyncGenerator<LineRecord<T>[]> {
    await this.idle();
    const stats = options.stats ?? emptyReadStats();
    yield* readJsonLineBatches(this.pathFor(dayKey), this.parseRecord, { byteLength: options.byteLength, stats });
    if (stats.skipped > 0 && options.quiet !== true) {
      this.logger.log('warn', 'LOG_LINES_SKIPPED', { file: this.pathFor(dayKey), skipped: stats.skipped, lines: stats.lines });
    }
  }

  /**
   * Records with time in [startMs, endMs) passing `filter`, day by day (oldest day first) in file order,
   * which is append order: close to time order, but an attempt is logged when it ends and stamped when
   * it started, so neighbours may be out of order. Use readNewestPage for sorted pages.
   */
  async *readRange(startMs: number, endMs: number, filter?: (record: T) => boolean): AsyncGenerator<T> {
    for (const dayKey of await this.listDays(startMs, endMs)) {
      for await (const batch of this.readDay(dayKey)) {
        for (const { record } of batch) {
          const timeMs = isoTimeMs(record.time);
          if (timeMs >= startMs && timeMs < endMs && (filter === undefined || filter(record))) yield record;
        }
      }
    }
  }

  /**
   * The newest `maxResults` records since `sinceMs` that match `predicate`, oldest first. Reads only the
   * day files from `sinceMs` on, e.g. the attempts of one queue entry over its lifetime for queue.get;
   * `lineContains` (text every matching line has) spares splitting and parsing the others.
   */
  async findRecent(predicate: (record: T) => boolean, sinceMs: number, maxResults = 1000, lineContains?: string): Promise<T[]> {
    const newestFirst = (a: T, b: T): number => Date.parse(b.time) - Date.parse(a.time);
    let found: T[] = [];
    const records = lineContains === undefined ? this.readRange(sinceMs, Number.POSITIVE_INFINITY, predicate) : this.recordsContaining(sinceMs, lineContains, predicate);
    for await (const record of records) {
      found.push(record);
      // Trim in batches: memory stays under 2 × maxResults without sorting on every record.
      if (found.length >= 2 * maxResults) found = found.sort(newestFirst).slice(0, maxResults);
    }
    return found.sort(newestFirst).slice(0, maxResults).reverse();
  }

  /**
   * readRange(sinceMs, ∞, filter) over only the lines holding `text` (no LF): each day file is searched for
   * the text (forEachLineContaining) and only the lines around hits are parsed. A last line without its LF
   * (an append in progress) is looked at too, as readDay does; lines that do not parse are passed over.
   */
  private async *recordsContaining(sinceMs: number, text: string, filter: (record: T) => boolean): AsyncGenerator<T> {
    const needle = Buffer.from(text, 'utf8');
    for (const dayKey of await this.listDays(sinceMs, Number.POSITIVE_INFINITY)) {
      const found: T[] = [];
      const onLine = (line: Buffer): void => {
        const record = parseLine(line, this.parseRecord);
        if (record !== undefined && isoTimeMs(record.time) >= sinceMs && filter(record)) found.push(record);
      };
      let handle: FileHandle;
      try {
        handle = await open(this.pathFor(dayKey), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed by log retention meanwhile
        throw error;
      }
      try {
        const size = (await handle.stat()).size;
        const end = await forEachLineContaining(handle, 0, size, needle, onLine);
        if (end < size) {
          const tail = Buffer.alloc(size - end);
          const { bytesRead } = await handle.read(tail, 0, tail.length, end);
          if (tail.subarray(0, bytesRead).includes(needle)) onLine(tail.subarray(0, bytesRead));
        }
      } finally {
        await handle.close();
      }
      yield* found;
    }
  }

  /** Waits for the records appended before this call only, so a steady stream of appends cannot starve it. */
  private async idle(): Promise<void> {
    const target = this.appendedCount;
    if (this.processedCount >= target) return;
    await new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
  }

  private throwWriteError(): void {
    const error = this.writeError;
    if (error === null) return;
    this.writeError = null;
    throw new AppError('STORAGE_ERROR', `Could not write the ${this.name} log in ${this.dir}: ${errorText(error)}. Check disk space and permissions.`, {
      retryable: true,
      cause: error,
    });
  }

  private async drain(): Promise<void> {
    // One turn of the event loop lets every append of the current burst join this batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.writeBatch(batch);
      this.processedCount += batch.length;
      const due = this.waiters.filter((waiter) => waiter.target <= this.processedCount);
      this.waiters = this.waiters.filter((waiter) => waiter.target > this.processedCount);
      for (const waiter of due) waiter.resolve();
    }
    this.draining = null;
  }

  private async writeBatch(batch: { dayKey: string; line: string }[]): Promise<void> {
    const linesByDay = new Map<string, string[]>();
    for (const { dayKey, line } of batch) {
      const lines = linesByDay.get(dayKey);
      if (lines) lines.push(line);
      else linesByDay.set(dayKey, [line]);
    }
    for (const [dayKey, lines] of linesByDay) {
      try {
        const handle = await this.handleFor(dayKey);
        for (const chunk of chunkLines(lines, WRITE_CHUNK_BYTES)) await handle.appendFile(chunk, 'utf8');
      } catch (error) {
        this.writeError ??= error;
        this.logger.log('error', 'LOG_APPEND_FAILED', { file: this.pathFor(dayKey), records: lines.length, error: errorText(error) });
        // The handle may be broken (disk removed, EIO): reopen on the next batch.
        const handle = this.handles.get(dayKey);
        this.handles.delete(dayKey);
        await handle?.close().catch(() => undefined);
      }
    }
  }

  private async handleFor(dayKey: string): Promise<FileHandle> {
    const existing = this.handles.get(dayKey);
    if (existing) {
      this.handles.delete(dayKey);
      // Log retention (log-retention.ts) never deletes today's or yesterday's file, so those handles (every
      // append of a running engine) need no check. A late record can hold a handle on an older day; once that
      // file is deleted (nlink 0) appends would go to an unlinked inode and be lost: one fstat tells.
      const deletable = dayKey < utcDayKey(Date.now() - UTC_DAY_MS);
      const linked =
        !deletable ||
        (await existing.stat().then(
          (fileStat) => fileStat.nlink > 0,
          () => false, // a broken handle (EIO): reopen, as after a failed write
        ));
      if (linked) {
        this.handles.set(dayKey, existing);
        return existing;
      }
      await existing.close().catch(() => undefined);
    }
    if (!this.dirReady) {
      // Owner-only like the files in it: the logs hold senders, recipients and subjects.
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.dirReady = true;
    }
    const path = this.pathFor(dayKey);
    // a+ (read and append): the last byte is read to repair a partial line; writes always go to the end.
    const handle = await open(path, 'a+', 0o600);
    try {
      if (await terminatePartialLine(handle)) this.logger.log('warn', 'LOG_PARTIAL_LINE_ENDED', { file: path });
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handles.set(dayKey, handle);
    for (const [oldDayKey, oldHandle] of this.handles) {
      if (this.handles.size <= this.maxOpenFiles) break;
      this.handles.delete(oldDayKey);
      // A failed close of yesterday's file must not fail today's write; its data was already written.
      await oldHandle.close().catch((error: unknown) => this.logger.log('warn', 'LOG_CLOSE_FAILED', { file: this.pathFor(oldDayKey), error: errorText(error) }));
    }
    return handle;
  }
}

/**
 * A crash mid-append leaves a last line without its newline. Ending it before appending keeps the damage
 * to that one line; otherwise the next record would be glued to it and lost as well.
 */
async function terminatePartialLine(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === NEWLINE) return false;
  await handle.appendFile('\n', 'utf8');
  return true;
}

function* chunkLines(lines: string[], maxChars: number): Generator<string> {
  let chunk: string[] = [];
  let length = 0;
  for (const line of lines) {
    chunk.push(line);
    length += line.length;
    if (length >= maxChars) {
      yield chunk.join('');
      chunk = [];
      length = 0;
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/** The default line check: any object with a parseable `time`. */
function parseTimedRecord<T extends TimedRecord>(value: unknown): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const time = (value as { time?: unknown }).time;
  return typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? (value as T) : undefined;
}
