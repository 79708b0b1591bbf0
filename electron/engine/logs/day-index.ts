import { open, type FileHandle } from 'node:fs/promises';
import { forEachLine } from '../runtime/for-each-line.js';
import { isoTimeMs } from '../runtime/iso-time.js';

/** The fields a report filters on, taken from each record when its line is indexed. */
export interface IndexKeys<T> {
  domainOf(record: T): string | null;
  outcomeOf(record: T): string;
  /** A key the stats count records by (attempts: a deferral's reply, for stats.topDeferrals); null or absent = none. */
  groupOf?(record: T): string | null;
}

const INITIAL_CAPACITY = 1024;
const NEWLINE = 0x0a;
const FORMAT = 'mx-spool-day-index';
/** 3: group ids added (2 had them in 4 bytes). An index file of another version is rebuilt from its log on first use. */
const VERSION = 3;
/**
 * Distinct group keys one day may hold. A server that puts a queue id or a time in every deferral makes each
 * reply distinct: past this the day's groups are not kept (groupsOverflow) and the stats read its lines.
 */
export const MAX_GROUPS_PER_DAY = 10_000;
/** Bytes per record on disk and in memory: time, offset, length, domain id, outcome id, group id. */
const RECORD_BYTES = 8 + 8 + 4 + 2 + 1 + 2;

/**
 * What a report or a chart needs of one day file, per valid line, in typed arrays: its time, where the line
 * is (byte offset and length) and small ids of its domain, outcome and group (a deferral's reply). 25 bytes
 * per record, so a month of 1,000,000 attempts is about 25 MB and counting a 30-day report is a loop over
 * numbers instead of parsing 300 MB of JSON. Lines are only ever appended, so an index covers the file's
 * first `bytes` and is brought up to date by reading the rest (`extend`).
 */
export class DayIndex {
  /** Bytes of the file covered: always the end of a complete line. */
  bytes = 0;
  count = 0;
  /** Lines read that were blank, not JSON or refused by the log's record check (not indexed). */
  skipped = 0;
  /** Identity of the file the index was built from (inode), so a replaced file is not read with a stale index. */
  fileId = 0;
  /** More distinct domains or outcomes than the ids hold (never for real logs): counts would be wrong, do not use. */
  overflow = false;
  /** More than MAX_GROUPS_PER_DAY distinct group keys: groupId is not filled in, read the lines for groups. */
  groupsOverflow = false;
  timeMs = new Float64Array(INITIAL_CAPACITY);
  offset = new Float64Array(INITIAL_CAPACITY);
  length = new Uint32Array(INITIAL_CAPACITY);
  domainId = new Uint16Array(INITIAL_CAPACITY);
  outcomeId = new Uint8Array(INITIAL_CAPACITY);
  groupId = new Uint16Array(INITIAL_CAPACITY); // at most MAX_GROUPS_PER_DAY
  /** id → value; id 0 is "no domain". */
  readonly domains: (string | null)[] = [null];
  readonly outcomes: string[] = [];
  /** id → group key; id 0 is "no group". */
  readonly groups: (string | null)[] = [null];
  private readonly domainIds = new Map<string | null, number>([[null, 0]]);
  private readonly outcomeIds = new Map<string, number>();
  private readonly groupIds = new Map<string | null, number>([[null, 0]]);

  push(timeMs: number, offset: number, length: number, domain: string | null, outcome: string, group: string | null = null): void {
    if (this.count === this.timeMs.length) this.grow(this.count * 2);
    const index = this.count++;
    this.timeMs[index] = timeMs;
    this.offset[index] = offset;
    this.length[index] = length;
    this.domainId[index] = this.idOf(this.domainIds, this.domains, domain, 0xffff);
    this.outcomeId[index] = this.idOf(this.outcomeIds, this.outcomes, outcome, 0xff);
    this.groupId[index] = this.groupIdOf(group);
  }

  /** Drops the spare capacity of the arrays (a past day's index no longer grows much). */
  compact(): void {
    if (this.timeMs.length > Math.max(INITIAL_CAPACITY, this.count)) this.grow(Math.max(INITIAL_CAPACITY, this.count));
  }

  /** Ids of the domains equal to `domain` ignoring case (a report's domain filter). */
  domainIdsMatching(domain: string): Set<number> {
    const wanted = domain.toLowerCase();
    const ids = new Set<number>();
    this.domains.forEach((value, id) => {
      if (value !== null && value.toLowerCase() === wanted) ids.add(id);
    });
    return ids;
  }

  outcomeIdOf(outcome: string): number | undefined {
    return this.outcomeIds.get(outcome);
  }

  /** A compact binary copy for the disk: a JSON header line, then the arrays. */
  serialize(): Buffer {
    const header = Buffer.from(
      JSON.stringify({
        format: FORMAT,
        version: VERSION,
        bytes: this.bytes,
        count: this.count,
        skipped: this.skipped,
        fileId: this.fileId,
        domains: this.domains,
        outcomes: this.outcomes,
        groups: this.groupsOverflow ? null : this.groups,
      }) + '\n',
    );
    const n = this.count;
    return Buffer.concat([
      header,
      bytesOf(this.timeMs.subarray(0, n)),
      bytesOf(this.offset.subarray(0, n)),
      bytesOf(this.length.subarray(0, n)),
      bytesOf(this.domainId.subarray(0, n)),
      bytesOf(this.outcomeId.subarray(0, n)),
      bytesOf(this.groupId.subarray(0, n)),
    ]);
  }

  /** The index from `serialize()`, or null if the bytes are not one (another version, truncated, garbage). */
  static deserialize(data: Buffer): DayIndex | null {
    const newline = data.indexOf(NEWLINE);
    if (newline < 0) return null;
    let header: { format?: unknown; version?: unknown; bytes?: unknown; count?: unknown; skipped?: unknown; fileId?: unknown; domains?: unknown; outcomes?: unknown; groups?: unknown };
    try {
      header = JSON.parse(data.subarray(0, newline).toString('utf8')) as typeof header;
    } catch {
      return null;
    }
    const { bytes, count, skipped, fileId, domains, outcomes, groups } = header;
    if (header.format !== FORMAT || header.version !== VERSION) return null;
    if (typeof bytes !== 'number' || typeof count !== 'number' || typeof skipped !== 'number' || typeof fileId !== 'number') return null;
    if (!Array.isArray(domains) || !Array.isArray(outcomes) || domains[0] !== null) return null;
    if (!domains.slice(1).every((value) => typeof value === 'string') || !outcomes.every((value) => typeof value === 'string')) return null;
    // null: the day had more than MAX_GROUPS_PER_DAY groups when it was indexed.
    if (groups !== null && (!Array.isArray(groups) || groups[0] !== null || !groups.slice(1).every((value) => typeof value === 'string'))) return null;
    if (data.length !== newline + 1 + count * RECORD_BYTES) return null;
    const index = new DayIndex();
    index.grow(Math.max(INITIAL_CAPACITY, count));
    let at = newline + 1;
    const take = (target: Float64Array | Uint32Array | Uint16Array | Uint8Array) => {
      const length = count * target.BYTES_PER_ELEMENT;
      // Copied byte for byte: the Buffer's offset need not be aligned for a typed-array view.
      new Uint8Array(target.buffer, 0, length).set(data.subarray(at, at + length));
      at += length;
    };
    take(index.timeMs);
    take(index.offset);
    take(index.length);
    take(index.domainId);
    take(index.outcomeId);
    take(index.groupId);
    index.bytes = bytes;
    index.count = count;
    index.skipped = skipped;
    index.fileId = fileId;
    for (const value of (domains as (string | null)[]).slice(1)) index.idOf(index.domainIds, index.domains, value, 0xffff);
    for (const value of outcomes as string[]) index.idOf(index.outcomeIds, index.outcomes, value, 0xff);
    if (groups === null) index.groupsOverflow = true;
    else for (const value of (groups as string[]).slice(1)) index.groupIdOf(value);
    return index;
  }

  /** 0 for no group, and for every group once the day has more than MAX_GROUPS_PER_DAY (groupsOverflow). */
  private groupIdOf(group: string | null): number {
    if (group === null || this.groupsOverflow) return 0;
    const known = this.groupIds.get(group);
    if (known !== undefined) return known;
    if (this.groups.length > MAX_GROUPS_PER_DAY) {
      this.groupsOverflow = true;
      return 0;
    }
    this.groups.push(group);
    this.groupIds.set(group, this.groups.length - 1);
    return this.groups.length - 1;
  }

  private idOf<K>(ids: Map<K, number>, values: K[], value: K, max: number): number {
    const known = ids.get(value);
    if (known !== undefined) return known;
    if (values.length > max) {
      this.overflow = true;
      return max;
    }
    values.push(value);
    ids.set(value, values.length - 1);
    return values.length - 1;
  }

  private grow(capacity: number): void {
    const grow = <A extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(old: A, make: (size: number) => A): A => {
      const next = make(capacity);
      next.set(old.subarray(0, this.count));
      return next;
    };
    this.timeMs = grow(this.timeMs, (size) => new Float64Array(size));
    this.offset = grow(this.offset, (size) => new Float64Array(size));
    this.length = grow(this.length, (size) => new Uint32Array(size));
    this.domainId = grow(this.domainId, (size) => new Uint16Array(size));
    this.outcomeId = grow(this.outcomeId, (size) => new Uint8Array(size));
    this.groupId = grow(this.groupId, (size) => new Uint16Array(size));
  }
}

function bytesOf(array: Float64Array | Uint32Array | Uint16Array | Uint8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Reads the file from `index.bytes` to its current end and indexes every complete line the record check
 * accepts; a last line without its newline (an append in progress, or a crash mid-append) waits for the
 * next call. Returns the number of lines read. A missing file leaves the index as it is.
 */
export async function extendDayIndex<T extends { time: string }>(
  index: DayIndex,
  path: string,
  parse: (value: unknown) => T | undefined,
  keys: IndexKeys<T>,
): Promise<number> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let lines = 0;
  try {
    const size = (await handle.stat()).size;
    index.bytes = await forEachLine(handle, index.bytes, size, (line, offset) => {
      indexLine(index, line, offset, parse, keys);
      lines++;
    });
  } finally {
    await handle.close();
  }
  return lines;
}

function indexLine<T extends { time: string }>(index: DayIndex, line: Buffer, offset: number, parse: (value: unknown) => T | undefined, keys: IndexKeys<T>): void {
  const record = parseLine(line, parse);
  const timeMs = record ? isoTimeMs(record.time) : Number.NaN;
  if (!record || Number.isNaN(timeMs)) {
    if (line.toString('utf8').trim() !== '') index.skipped++; // blank lines are not damage
    return;
  }
  index.push(timeMs, offset, line.length, keys.domainOf(record), keys.outcomeOf(record), keys.groupOf?.(record) ?? null);
}

export function parseLine<T>(line: Buffer | string, parse: (value: unknown) => T | undefined): T | undefined {
  const text = typeof line === 'string' ? line : line.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}
