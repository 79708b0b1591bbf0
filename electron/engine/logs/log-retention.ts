import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { UTC_DAY_MS, utcDayKey, utcDayStartMs } from './utc-day.js';
import { errorText } from '../runtime/error-text.js';

/** Once a day is enough: files are kept by the day, so a run only ever has one new day to delete. */
const RUN_INTERVAL_MS = UTC_DAY_MS;

export interface LogRetentionOptions {
  /** The logs folder: day files `<name>-YYYY-MM-DD.jsonl` here, their report indexes under `index/`. */
  dir: string;
  /** The day logs to prune, by file prefix (`attempts`, `inbound`, ...). Files of any other name are never touched. */
  names: readonly string[];
  /** Read at every run, so a settings change applies at the next one without a restart. */
  retentionDays: () => number;
  clock: Clock;
  logger: Logger;
}

export interface RetentionResult {
  deleted: number;
  /** Bytes freed by the deleted files. */
  bytes: number;
  failed: number;
}

/**
 * Deletes day log files (and their index files) older than `retentionDays` days before today, UTC: at
 * start and then once a day. Today's and yesterday's files are never deleted whatever the setting (the
 * append handles stay on those two, and an attempt is stamped when it started), and only the exact names
 * the logs write are matched, so an admin's own file in logs/ survives. A failure is logged and the next
 * run tries again: history must never stop the engine or the mail.
 */
export class LogRetention {
  private readonly dayFile: RegExp;
  private readonly indexFile: RegExp;
  private timer: TimerHandle | null = null;
  private running: Promise<RetentionResult> | null = null;
  private stopped = false;

  constructor(private readonly options: LogRetentionOptions) {
    const names = options.names.map((name) => name.replace(/[^a-z0-9-]/g, '\\$&')).join('|');
    this.dayFile = new RegExp(`^(?:${names})-(\\d{4}-\\d{2}-\\d{2})\\.jsonl$`);
    // `.idx.tmp` is an index write interrupted by a crash (day-index-cache.ts); it is never renamed later.
    this.indexFile = new RegExp(`^(?:${names})-(\\d{4}-\\d{2}-\\d{2})\\.jsonl\\.idx(?:\\.tmp)?$`);
  }

  /** Runs once now without waiting for it, then once a day until stop(). */
  start(): void {
    if (this.timer || this.stopped) return;
    void this.runNow();
    this.schedule();
  }

  /** No more runs; resolves when a run in progress has finished, so the folder can be closed or removed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass (joins the one in progress, if any). Never rejects: failures are logged as LOG_RETENTION_FAILED. */
  runNow(): Promise<RetentionResult> {
    this.running ??= this.prune()
      .catch((error: unknown): RetentionResult => {
        this.options.logger.log('warn', 'LOG_RETENTION_FAILED', { file: this.options.dir, error: errorText(error) });
        return { deleted: 0, bytes: 0, failed: 1 };
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      void this.runNow();
      this.schedule();
    }, RUN_INTERVAL_MS);
  }

  private async prune(): Promise<RetentionResult> {
    // At least 1 whatever the caller passes: the schema allows 1..3650, and 0 would reach yesterday's file.
    const retentionDays = Math.max(1, Math.floor(this.options.retentionDays()) || 1);
    // Files of days before this one go: with 1, today and yesterday stay.
    const keepFrom = utcDayKey(this.options.clock.now() - retentionDays * UTC_DAY_MS);
    const result: RetentionResult = { deleted: 0, bytes: 0, failed: 0 };
    // Day files first: an index left without its day file would only be rebuilt as empty, never the reverse.
    await this.pruneFolder(this.options.dir, this.dayFile, keepFrom, result);
    await this.pruneFolder(join(this.options.dir, 'index'), this.indexFile, keepFrom, result);
    this.options.logger.log('info', 'LOG_RETENTION_DONE', { deleted: result.deleted, bytes: result.bytes, failed: result.failed, retentionDays, keepFrom });
    return result;
  }

  private async pruneFolder(dir: string, pattern: RegExp, keepFrom: string, result: RetentionResult): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing logged yet
      throw error;
    }
    for (const name of names.sort()) {
      const day = pattern.exec(name)?.[1];
      if (day === undefined || !isRealDay(day) || day >= keepFrom) continue;
      const file = join(dir, name);
      try {
        const { size } = await lstat(file);
        await unlink(file);
        result.deleted++;
        result.bytes += size;
        this.options.logger.log('info', 'LOG_RETENTION_DELETED', { file, day });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // gone meanwhile: nothing to free
        result.failed++;
        this.options.logger.log('warn', 'LOG_RETENTION_FAILED', { file, day, error: errorText(error) });
      }
    }
  }
}

/** `2026-02-30` matches the pattern and Date.parse rolls it over to March: such a name is not one of ours. */
function isRealDay(day: string): boolean {
  const startMs = utcDayStartMs(day);
  return !Number.isNaN(startMs) && utcDayKey(startMs) === day;
}
