import { mkdir, open, readFile, rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../runtime/logger.js';
import { DayIndex, extendDayIndex, parseLine, type IndexKeys } from './day-index.js';

/** Day indexes kept in memory, least recently used dropped first: 62 covers a two-month report. */
const MAX_CACHED_DAYS = 62;

export interface DayIndexCacheOptions<T> {
  /** Where the index files go (`<dir>/<file name>.idx`); a cache: deleting them only costs a rebuild. */
  dir: string;
  pathFor: (dayKey: string) => string;
  parse: (value: unknown) => T | undefined;
  keys: IndexKeys<T>;
  logger: Logger;
  /** Today's UTC day key: today's index changes all day and is kept in memory only. */
  today: () => string;
}

/**
 * The day indexes of one log: built on first use, extended with what was appended since, written to disk
 * for past days so a restart does not re-read a month of JSON. An index file that does not match its log
 * file (another inode, longer than the file, unreadable) is rebuilt from the log, which stays the truth.
 */
export class DayIndexCache<T extends { time: string }> {
  private readonly cache = new Map<string, DayIndex>();
  private readonly pending = new Map<string, Promise<DayIndex>>();
  private dirReady = false;
  /** Lines parsed to build or extend indexes since start (for tests and diagnostics). */
  linesRead = 0;

  constructor(private readonly options: DayIndexCacheOptions<T>) {}

  /** The day's index, up to date with the file's complete lines. One build at a time per day. */
  async get(dayKey: string): Promise<DayIndex> {
    const running = this.pending.get(dayKey);
    if (running) return running;
    const work = this.refresh(dayKey).finally(() => this.pending.delete(dayKey));
    this.pending.set(dayKey, work);
    return work;
  }

  /** The records at these spots of the day file, in the order given; a spot that no longer parses is left out. */
  async readAt(dayKey: string, spots: readonly { offset: number; length: number }[]): Promise<T[]> {
    if (spots.length === 0) return [];
    let handle: FileHandle;
    try {
      handle = await open(this.options.pathFor(dayKey), 'r');
    } catch (error) {
      // Deleted by log retention after the caller got the index: the day has nothing left to show.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    try {
      const records: T[] = [];
      for (const spot of spots) {
        const buffer = Buffer.alloc(spot.length);
        await handle.read(buffer, 0, spot.length, spot.offset);
        const record = parseLine(buffer, this.options.parse);
        if (record !== undefined) records.push(record);
      }
      return records;
    } finally {
      await handle.close();
    }
  }

  private async refresh(dayKey: string): Promise<DayIndex> {
    const path = this.options.pathFor(dayKey);
    const fileStat = await stat(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
    if (!fileStat) {
      // No day file (deleted by log retention, or never written): an index kept in memory or on disk
      // would point into lines that no longer exist, so the day is empty. Nothing is saved for it.
      this.cache.delete(dayKey);
      return new DayIndex();
    }
    let index = this.cache.get(dayKey) ?? (await this.load(dayKey));
    if (index && (index.fileId !== fileStat.ino || index.bytes > fileStat.size)) index = null; // replaced or shortened: rebuild
    index ??= new DayIndex();
    index.fileId = fileStat.ino;
    const before = index.bytes;
    const skippedBefore = index.skipped;
    this.linesRead += await extendDayIndex(index, path, this.options.parse, this.options.keys);
    if (index.skipped > skippedBefore) this.options.logger.log('warn', 'LOG_LINES_SKIPPED', { file: path, skipped: index.skipped - skippedBefore });
    this.remember(dayKey, index);
    if (index.bytes !== before && dayKey < this.options.today()) {
      index.compact();
      await this.save(dayKey, index);
    }
    return index;
  }

  private remember(dayKey: string, index: DayIndex): void {
    this.cache.delete(dayKey);
    this.cache.set(dayKey, index);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= MAX_CACHED_DAYS) break;
      this.cache.delete(oldest);
    }
  }

  private indexPath(dayKey: string): string {
    return join(this.options.dir, `${basename(this.options.pathFor(dayKey))}.idx`);
  }

  private async load(dayKey: string): Promise<DayIndex | null> {
    const data = await readFile(this.indexPath(dayKey)).catch(() => null);
    return data ? DayIndex.deserialize(data) : null;
  }

  /** Written to a temp name and renamed, so a crash never leaves half an index (a torn one is rebuilt anyway). */
  private async save(dayKey: string, index: DayIndex): Promise<void> {
    try {
      if (!this.dirReady) {
        await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
        this.dirReady = true;
      }
      const target = this.indexPath(dayKey);
      await writeFile(`${target}.tmp`, index.serialize(), { mode: 0o600 });
      await rename(`${target}.tmp`, target);
    } catch (error) {
      // Only a cache: the report is still right, the next start re-reads the day.
      this.options.logger.log('warn', 'LOG_INDEX_WRITE_FAILED', { day: dayKey, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
