import { createHash, type Hash } from 'node:crypto';
import { forEachLine } from '../runtime/for-each-line.js';
import { createReadStream, unlinkSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RecipientState } from '../../contract/queue-schema.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import { FileThreads } from './file-thread.js';
import { DirectorySyncer, createExclusive, siblingTemp, unlinkIfPresent, writeFileSynced, writeLinesSynced } from './durable-file.js';
import type { QueueEntry } from './queue-entry.js';
import { isQueueId, newQueueId } from './queue-id.js';
import { messageFits, packedTrailer } from './packed-entry.js';
import { messagePathIn, packedPathIn, statePathIn } from './spool-paths.js';
import { readStateFiles } from './state-file-reader.js';
import { storedEntrySchema, type StoredEntry } from './stored-entry-schema.js';
import { StringPool } from './string-pool.js';

export interface SpoolStoreOptions {
  dir: string;
  clock: Clock;
  logger: Logger;
  /** Worker threads for the busiest file work (file-thread.ts; default 1; 0 does it on this thread, as where no thread can start). */
  fileThreads?: number;
}

/** One domain's share of an incoming message: its entry gets these recipients. */
export interface DomainGroup {
  domain: string;
  recipients: string[];
  /** The domain is on hold: the entry starts held instead of queued. */
  held?: boolean;
  /** First delivery attempt not before this (ms); default now. */
  firstAttemptAtMs?: number;
}

export interface EntryMeta {
  from: string;
  kind: QueueEntry['kind'];
  messageId: string | null;
  subject: string | null;
  clientAddress: string | null;
  heloName: string | null;
  /** Absolute ms when undelivered mail is returned to its sender. */
  expiresAtMs: number;
}

/**
 * A message being received: nothing is in the queue until `commit` has made it durable. Up to 64 KiB it
 * stays in memory; a larger one goes on to a temp file as it arrives. Mail for one office domain: the
 * entry's state is appended (packed-entry.ts), the file fsync'ed and renamed into place as `<id>.mxmsg`, the
 * directory fsync'ed; a message still all in memory is written that way in one go on the spool's file thread
 * (file-thread.ts). Mail for several: the body is fsync'ed and renamed into place, each entry's state
 * written beside it, the directory fsync'ed.
 */
const WRITE_BUFFER_BYTES = 64 * 1024;

export class IncomingMessage {
  private bytes = 0;
  private closed = false;
  /** Opened once the message outgrows the buffer (or at commit for mail to several domains). */
  private handle: FileHandle | null = null;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  // Taken as the bytes arrive, so the checksum costs no second read; checked before the first delivery after a restart.
  private readonly hash = createHash('sha256');

  constructor(
    private readonly store: SpoolStore,
    readonly tmpPath: string,
  ) {}

  get size(): number {
    return this.bytes;
  }

  /** Buffers up to 64 KiB before writing: a typical message is written once, at commit. */
  async write(chunk: Uint8Array): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.pendingBytes >= WRITE_BUFFER_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    this.handle ??= await createExclusive(this.tmpPath);
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  /** Makes the message durable and queues one entry per domain group. Resolves only when it is safe to answer 250. */
  async commit(groups: DomainGroup[], meta: EntryMeta): Promise<QueueEntry[]> {
    const received = { size: this.bytes, sha256: this.hash.digest('hex') };
    const [only] = groups;
    if (groups.length === 1 && only) {
      // One file for the message and its entry's first state: one file created and fsync'ed per message, not two.
      const entry = this.store.newPackedEntry(only, received, meta);
      const trailer = packedTrailer(entry);
      if (this.handle === null) {
        const chunks = [...this.pending, trailer]; // no file was opened: nothing to close
        this.pending = [];
        return [await this.store.writePacked(this.tmpPath, chunks, entry)];
      }
      await this.writeToDisk(trailer);
      return [await this.store.placePacked(this.tmpPath, entry)];
    }
    await this.writeToDisk(null);
    return this.store.commitIncoming(this.tmpPath, received, groups, meta);
  }

  /** Writes what is buffered (then `trailer`, which is not part of the message), fsyncs and closes the temp file. */
  private async writeToDisk(trailer: Buffer | null): Promise<void> {
    try {
      if (trailer) {
        this.pending.push(trailer); // after the size and the hash were taken
        this.pendingBytes += trailer.length;
      }
      await this.flush();
      this.handle ??= await createExclusive(this.tmpPath); // an empty message to several domains
      await this.handle.sync();
      await this.close();
    } catch (error) {
      // Disk full at the last write or an fsync error: nothing of the message may stay (nor its file handle).
      await this.abort().catch(() => undefined);
      throw error;
    }
  }

  /** Drops the message (refused, too large, client gone): nothing of it stays on disk. */
  async abort(): Promise<void> {
    this.pending = [];
    const hadFile = this.handle !== null;
    await this.close();
    if (hadFile) await rm(this.tmpPath, { force: true });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle?.close();
  }
}

/**
 * The spool: message bodies as files (`queue/<id>.eml`) with their state beside them (`queue/<id>.json`),
 * an in-memory index of every entry, and a quarantine for entries that cannot be read. Each state change
 * rewrites one small file, so the cost of a change never grows with the queue.
 */
export class SpoolStore {
  readonly queueDir: string;
  readonly tmpDir: string;
  readonly quarantineDir: string;
  private readonly entries = new Map<string, QueueEntry>();
  private readonly writeChains = new Map<string, Promise<unknown>>();
  private readonly queueDirSync: DirectorySyncer;
  /** Writes a received message's file in one go, reads one to deliver, removes a delivered one: off this thread. */
  private readonly files: FileThreads;
  /** Packed entries known to have no `<id>.json` (never changed since received): removing them costs one unlink. */
  private readonly withoutStateFile = new Set<string>();
  /** Entries loaded at start whose body has not yet been checked against its checksum (see verifyBody). */
  private readonly unverified = new Set<string>();
  /** Shared copies of the values entries repeat (domain, last reply, client address…): about 20 MB less at 100,000 entries. */
  private readonly strings = new StringPool();
  /** A snapshot was written at close(): any later change must remove it first, or the next start would trust stale states. */
  private snapshotWritten = false;

  private constructor(
    readonly rootDir: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Pick<SpoolStoreOptions, 'fileThreads'>,
  ) {
    this.queueDir = path.join(rootDir, 'queue');
    this.tmpDir = path.join(rootDir, 'tmp');
    this.quarantineDir = path.join(rootDir, 'quarantine');
    this.queueDirSync = new DirectorySyncer(this.queueDir);
    this.files = new FileThreads(this.queueDir, this.queueDirSync, logger, { threads: options.fileThreads });
    this.snapshotPath = path.join(rootDir, SNAPSHOT_FILE);
  }

  private readonly snapshotPath: string;

  static async open(options: SpoolStoreOptions): Promise<SpoolStore> {
    const store = new SpoolStore(options.dir, options.clock, options.logger, options);
    await store.load();
    return store;
  }

  get count(): number {
    return this.entries.size;
  }

  all(): IterableIterator<QueueEntry> {
    return this.entries.values();
  }

  get(id: string): QueueEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The file holding an entry's message: always read only its first `size` bytes (a packed file has the
   * entry's first state after them).
   */
  bodyPath(id: string): string {
    return messagePathIn(this.queueDir, this.entries.get(id) ?? { id });
  }

  /** An entry's whole message, read off this thread (for delivery of a message small enough to hold in memory). */
  async readMessage(id: string): Promise<Buffer> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`No queued message ${id}`);
    return this.files.read(this.bodyPath(id), entry.size);
  }

  /** The header block (up to the first empty line), at most `maxBytes`: for the message drawer and DSNs. */
  async readHeaders(id: string, maxBytes = 256 * 1024): Promise<string> {
    const handle = await open(this.bodyPath(id), 'r');
    try {
      const length = Math.min(maxBytes, this.entries.get(id)?.size ?? maxBytes);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const end = text.search(/\r?\n\r?\n/);
      return end === -1 ? text : text.slice(0, end);
    } finally {
      await handle.close();
    }
  }

  /** No file yet (IncomingMessage): most messages are written once, at commit. Async for the callers' sake. */
  async beginIncoming(): Promise<IncomingMessage> {
    return new IncomingMessage(this, path.join(this.tmpDir, `${newQueueId(this.clock.now())}.incoming`));
  }

  /** Queues a message this spool composed itself (a DSN): same durability as received mail. */
  async enqueueGenerated(body: Uint8Array, group: DomainGroup, meta: EntryMeta): Promise<QueueEntry> {
    const incoming = await this.beginIncoming();
    try {
      await incoming.write(body);
      const [entry] = await incoming.commit([group], meta);
      if (!entry) throw new Error('commit returned no entry');
      return entry;
    } catch (error) {
      await incoming.abort().catch(() => undefined);
      throw error;
    }
  }

  /** @internal used by IncomingMessage.commit: the entry to pack after a message for one domain group. */
  newPackedEntry(group: DomainGroup, received: { size: number; sha256: string }, meta: EntryMeta): QueueEntry {
    const now = this.clock.now();
    return this.strings.internEntry({ ...newEntry(newQueueId(now), group, received, meta, now), packed: true });
  }

  /** @internal used by IncomingMessage.commit: writes a whole packed file durably into place and queues its entry. */
  async writePacked(tmpPath: string, chunks: Uint8Array[], entry: QueueEntry): Promise<QueueEntry> {
    this.dropSnapshot();
    await this.files.create({ tmpPath, target: packedPathIn(this.queueDir, entry.id), chunks });
    this.entries.set(entry.id, entry);
    this.withoutStateFile.add(entry.id);
    return entry;
  }

  /** @internal used by IncomingMessage.commit: renames a fsync'ed packed file into place and queues its entry. */
  async placePacked(tmpPath: string, entry: QueueEntry): Promise<QueueEntry> {
    this.dropSnapshot();
    const target = packedPathIn(this.queueDir, entry.id);
    try {
      await rename(tmpPath, target);
      await this.queueDirSync.sync();
    } catch (error) {
      // Not acknowledged: the sender's retry must be the only copy.
      await rm(target, { force: true });
      await rm(tmpPath, { force: true });
      throw error;
    }
    this.entries.set(entry.id, entry);
    this.withoutStateFile.add(entry.id);
    return entry;
  }

  /** @internal used by IncomingMessage.commit */
  async commitIncoming(tmpPath: string, received: { size: number; sha256: string }, groups: DomainGroup[], meta: EntryMeta): Promise<QueueEntry[]> {
    this.dropSnapshot();
    const now = this.clock.now();
    const created: QueueEntry[] = [];
    let firstBody: string | null = null;
    try {
      for (const group of groups) {
        const id = newQueueId(now);
        const body = this.bodyPath(id);
        // The body goes into place before its state: a body without state is an orphan removed at start,
        // never a message without its envelope.
        if (firstBody === null) {
          await rename(tmpPath, body);
          firstBody = body;
        } else {
          await link(firstBody, body); // a second domain shares the bytes, not a copy
        }
        const entry = this.strings.internEntry(newEntry(id, group, received, meta, now));
        await writeFileSynced(siblingTemp(this.tmpDir, id), this.statePath(id), JSON.stringify(entry));
        created.push(entry);
      }
      await this.queueDirSync.sync();
    } catch (error) {
      // Not acknowledged: remove whatever got into place so the sender's retry is the only copy.
      await Promise.all(created.map((entry) => this.removeFiles(entry.id)));
      if (firstBody) await rm(firstBody, { force: true });
      await rm(tmpPath, { force: true });
      throw error;
    }
    for (const entry of created) this.entries.set(entry.id, entry);
    return created;
  }

  /**
   * Applies `change` to an entry and writes its state durably. Changes to one entry are serialised; the
   * in-memory copy is replaced only after the write succeeded.
   */
  async update(id: string, change: (entry: QueueEntry) => void, options: { fsync?: boolean } = {}): Promise<QueueEntry | undefined> {
    return this.serialise(id, async () => {
      const current = this.entries.get(id);
      if (!current) return undefined;
      this.dropSnapshot();
      const next = structuredClone(current);
      change(next);
      this.strings.internEntry(next);
      // fsync: false still replaces the file atomically (a restart sees it) but skips the disk flush: for
      // bookkeeping whose loss in a power cut costs nothing but an early retry.
      await writeFileSynced(siblingTemp(this.tmpDir, id), this.statePath(id), JSON.stringify(next), options);
      this.withoutStateFile.delete(id);
      this.entries.set(id, next);
      return next;
    });
  }

  /**
   * Changes the in-memory entry only: for `delivering` (a restart must resume as queued) and for "retry
   * now" (losing it in a crash only means the normal schedule applies), so neither costs a disk write.
   */
  patchTransient(id: string, patch: Pick<Partial<QueueEntry>, 'state' | 'nextAttemptAt'>): void {
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, ...patch });
  }

  /** Removes an entry (delivered, bounced or deleted); see removeFiles for the order. */
  async remove(id: string): Promise<boolean> {
    return this.serialise(id, async () => {
      if (!this.entries.has(id)) return false;
      this.dropSnapshot();
      await this.removeFiles(id);
      this.entries.delete(id);
      this.unverified.delete(id);
      this.withoutStateFile.delete(id);
      return true;
    });
  }

  /**
   * Checks a body loaded from disk against the SHA-256 taken when it was received, once per process, before
   * its first delivery. The size check at load catches a truncated body; this catches a body of the right
   * size with the wrong bytes (a power cut on a disk that acknowledges fsync before the data is on the
   * platter can leave zero-filled or stale blocks). Bodies received by this process are trusted: fsync'ed
   * before 250 and never rewritten. Returns false when the entry is gone or was quarantined: never send it.
   * `read`: the message as readMessage returned it, to be checked instead of reading the file again.
   */
  async verifyBody(id: string, read?: Buffer): Promise<boolean> {
    if (!this.unverified.has(id)) return this.entries.has(id);
    return this.serialise(id, async () => {
      const entry = this.entries.get(id);
      if (!entry) return false;
      if (!this.unverified.has(id)) return true;
      const reason =
        entry.bodySha256 === undefined
          ? await this.bodySizeMismatch(id, entry.size)
          : read !== undefined
            ? bytesMismatch(read, entry.size, entry.bodySha256)
            : await this.bodyMismatch(id, entry.size, entry.bodySha256);
      this.unverified.delete(id);
      if (reason === null) return true;
      this.entries.delete(id);
      await this.quarantine(id, reason);
      return false;
    });
  }

  /** Whether the entry's body is still to be checked by verifyBody before its first delivery after this start. */
  needsVerifying(id: string): boolean {
    return this.unverified.has(id);
  }

  /** For entries stored before checksums existed: the size is all there is to check. */
  private async bodySizeMismatch(id: string, size: number): Promise<string | null> {
    try {
      const actual = (await stat(this.bodyPath(id))).size;
      return messageFits(actual, { size, packed: this.entries.get(id)?.packed }) ? null : `body is ${actual} bytes, expected ${size}`;
    } catch (error) {
      return `unreadable: ${(error as Error).message}`;
    }
  }

  private async bodyMismatch(id: string, size: number, sha256: string): Promise<string | null> {
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      // Only the message's bytes: a packed file has the entry's first state after them.
      const stream = size > 0 ? createReadStream(this.bodyPath(id), { start: 0, end: size - 1 }) : [];
      for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
    } catch (error) {
      // Out of file handles or memory says nothing about the file: fail this run (retried later), keep the entry.
      if (['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      return `unreadable: ${(error as Error).message}`;
    }
    return digestMismatch(hash, bytes, size, sha256);
  }

  /**
   * Graceful stop: once every state write has finished, writes all entries to one snapshot file, so the
   * next start reads one file instead of one per entry (100,000 files take seconds). The snapshot is only
   * a faster way to read what the state files say: it is deleted as soon as it is read, any change after
   * it is written deletes it first, and a start that finds it out of step with the queue folder (a crash,
   * files moved by hand) ignores it and reads every state file as before.
   */
  async close(): Promise<void> {
    await this.files.close();
    while (this.writeChains.size > 0) await Promise.all([...this.writeChains.values()]);
    // Every change to the queue (a state written, an entry added or removed) renames or unlinks in queue/ and
    // so moves the folder's modification time: the same time at the next start means the same files.
    const folder = await stat(this.queueDir, { bigint: true });
    const header = JSON.stringify({ format: SNAPSHOT_FORMAT, version: 1, count: this.entries.size, schema: snapshotSchemaId(), folder: folderStamp(folder) });
    const entries = [...this.entries.values()];
    function* lines(): Generator<string> {
      yield header;
      for (const entry of entries) yield JSON.stringify(entry.state === 'delivering' ? { ...entry, state: 'queued' } : entry);
    }
    try {
      // Line by line, a chunk at a time (writeLinesSynced): never the whole snapshot in one string.
      await writeLinesSynced(siblingTemp(this.tmpDir, 'snapshot'), this.snapshotPath, lines());
      await new DirectorySyncer(this.rootDir).sync();
      this.snapshotWritten = true;
      this.logger.log('info', 'SPOOL_SNAPSHOT_WRITTEN', { entries: this.entries.size });
    } catch (error) {
      // Only a start-up shortcut: without it the next start reads every state file.
      this.logger.log('warn', 'SPOOL_SNAPSHOT_FAILED', { message: (error as Error).message });
    }
  }

  private dropSnapshot(): void {
    if (!this.snapshotWritten) return;
    this.snapshotWritten = false;
    try {
      unlinkSync(this.snapshotPath); // synchronous: gone before the change it would contradict is written
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /**
   * Reads and deletes the snapshot of the last graceful stop. Deleted first (and the deletion made durable),
   * so a crash after this start can never leave a snapshot that predates its changes. Null when there is
   * none or it cannot be trusted as a whole.
   */
  private async takeSnapshot(): Promise<{ entries: QueueEntry[]; folder: unknown } | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.snapshotPath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      this.logger.log('warn', 'SPOOL_SNAPSHOT_IGNORED', { reason: (error as Error).message });
      return null;
    }
    await unlinkIfPresent(this.snapshotPath); // the open handle still reads it
    await new DirectorySyncer(this.rootDir).sync();
    const entries: QueueEntry[] = [];
    let header = null as SnapshotHeader | null;
    // Written by this very entry schema (same fingerprint): the entries are what close() had validated in
    // memory, so checking each again would only cost time (and a copy of every object). Another version's
    // snapshot is checked entry by entry.
    let trusted = false;
    let complete: boolean;
    try {
      const size = (await handle.stat()).size;
      // Read 1 MiB at a time: a whole 100,000-entry snapshot in one buffer would raise the peak memory by 75 MB.
      const end = await forEachLine(handle, 0, size, (line) => {
        const value: unknown = JSON.parse(line.toString('utf8'));
        if (header === null) {
          header = value as SnapshotHeader | null;
          trusted = header?.schema === snapshotSchemaId();
          return;
        }
        if (trusted) {
          entries.push(value as QueueEntry);
          return;
        }
        const parsed = storedEntrySchema.safeParse(value);
        if (!parsed.success) throw new Error(`entry ${entries.length + 1} does not match the schema`);
        entries.push(parsed.data);
      });
      complete = end === size;
    } catch (error) {
      this.logger.log('warn', 'SPOOL_SNAPSHOT_IGNORED', { reason: (error as Error).message });
      return null;
    } finally {
      await handle.close();
    }
    const read = header as SnapshotHeader | null;
    if (read?.format !== SNAPSHOT_FORMAT || read.version !== 1 || read.count !== entries.length || !complete) {
      this.logger.log('warn', 'SPOOL_SNAPSHOT_IGNORED', { reason: 'incomplete or another format' });
      return null;
    }
    return { entries, folder: read.folder };
  }

  private statePath(id: string): string {
    return statePathIn(this.queueDir, id);
  }

  /**
   * State first, so a crash in between never leaves a state without its message (that is damage, quarantined
   * at start). An `.eml` body left alone is an orphan, removed at start; a `.mxmsg` left alone still holds the
   * entry's first state and is delivered again, as a message delivered just before a crash is: the same
   * duplicate, in a window of two unlinks instead of a whole delivery.
   */
  private async removeFiles(id: string): Promise<void> {
    await this.files.remove(this.withoutStateFile.has(id) ? [this.bodyPath(id)] : [this.statePath(id), this.bodyPath(id)]);
  }

  private serialise<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.writeChains.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.writeChains.set(id, settled);
    void settled.then(() => {
      if (this.writeChains.get(id) === settled) this.writeChains.delete(id);
    });
    return next;
  }

  /** Start-up: clean leftovers of interrupted writes, load every entry, quarantine what cannot be trusted. */
  private async load(): Promise<void> {
    await mkdir(this.queueDir, { recursive: true, mode: 0o700 });
    await mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    await mkdir(this.quarantineDir, { recursive: true, mode: 0o700 });

    const snapshot = await this.takeSnapshot();

    // Anything in tmp/ was never acknowledged with 250 (or is a superseded state write): drop it.
    const leftovers = await readdir(this.tmpDir);
    await Promise.all(leftovers.map((name) => rm(path.join(this.tmpDir, name), { force: true })));
    if (leftovers.length > 0) this.logger.log('info', 'SPOOL_TMP_CLEANED', { files: leftovers.length });

    // Unchanged since the graceful stop (same inode and modification time): the snapshot is the folder, and
    // listing 200,000 names to prove it again is skipped.
    if (snapshot && snapshot.folder === folderStamp(await stat(this.queueDir, { bigint: true }))) {
      this.useSnapshot(snapshot.entries);
      this.logger.log('info', 'SPOOL_LOADED', { entries: this.entries.size });
      return;
    }
    const names = await readdir(this.queueDir);
    const folder: QueueFolder = { bodies: new Set(), packed: new Set(), states: new Set() };
    for (const name of names) {
      if (name.endsWith('.eml')) folder.bodies.add(name.slice(0, -4));
      else if (name.endsWith('.mxmsg')) folder.packed.add(name.slice(0, -6));
      else if (name.endsWith('.json')) folder.states.add(name.slice(0, -5));
    }
    const { bodies, packed, states } = folder;
    // Every entry has a state file, a packed file, or both (a packed entry changed since it was received).
    const entryIds = [...states, ...[...packed].filter((id) => !states.has(id))];

    if (snapshot && matchesFolder(snapshot.entries, folder, entryIds.length)) {
      this.useSnapshot(snapshot.entries);
    } else {
      if (snapshot) this.logger.log('warn', 'SPOOL_SNAPSHOT_IGNORED', { reason: 'the queue folder changed since the snapshot was written' });
      // Every state file is read and checked (about 100,000 after a crash on a busy spool): with many, a
      // worker thread shares the work with this one (state-file-reader.ts). Nothing else runs before the
      // spool is loaded; quarantines are done after.
      const damaged: { id: string; reason: string }[] = [];
      const readable: string[] = [];
      for (const id of entryIds) {
        if (!isQueueId(id)) damaged.push({ id, reason: 'file name is not a queue id' });
        else if (!bodies.has(id) && !packed.has(id)) damaged.push({ id, reason: 'message body is missing' });
        else readable.push(id);
      }
      const replaced: { id: string; reason: string }[] = [];
      const read = await readStateFiles(this.queueDir, readable, (id, checked) => {
        if (!checked.ok) return void damaged.push({ id, reason: checked.reason });
        this.admitEntry(checked.entry, !states.has(id));
        if (checked.replaced !== undefined) replaced.push({ id, reason: checked.replaced });
      });
      for (const { id, reason } of replaced) this.logger.log('warn', 'SPOOL_STATE_REPLACED_BY_FIRST', { id, reason, note: 'the state file was damaged; the message is queued again from the state stored with it when it arrived' });
      for (const failure of read.workerFailures) this.logger.log('warn', 'SPOOL_READER_THREAD_FAILED', { message: failure, checkedHere: read.onThisThread });
      this.logger.log('info', 'SPOOL_STATE_FILES_READ', { files: readable.length, inWorkers: read.inWorkers });
      for (const { id, reason } of damaged) await this.quarantine(id, reason);
    }

    let orphans = 0;
    for (const id of bodies) {
      if (states.has(id)) continue;
      await rm(this.bodyPath(id), { force: true }); // body renamed in, state never written: never acknowledged
      orphans += 1;
    }
    if (orphans > 0) this.logger.log('info', 'SPOOL_ORPHANS_REMOVED', { files: orphans });
    this.logger.log('info', 'SPOOL_LOADED', { entries: this.entries.size });
  }

  /** Bodies are not opened here: verifyBody checks each one (size, and checksum where stored) before its first delivery. */
  private useSnapshot(entries: readonly QueueEntry[]): void {
    for (const entry of entries) {
      this.entries.set(entry.id, this.strings.internEntry(entry));
      this.unverified.add(entry.id);
    }
    this.logger.log('info', 'SPOOL_SNAPSHOT_USED', { entries: entries.length });
  }

  /** Puts one entry checked at start into the index (an entry is ours to change until it is shared). */
  private admitEntry(entry: StoredEntry, fromPackedFile: boolean): void {
    if (entry.state === 'delivering') entry.state = 'queued'; // the delivery was cut off: it is tried again
    this.entries.set(entry.id, this.strings.internEntry(entry));
    if (fromPackedFile) this.withoutStateFile.add(entry.id);
    if (entry.bodySha256 !== undefined) this.unverified.add(entry.id);
  }

  private async quarantine(id: string, reason: string): Promise<void> {
    for (const suffix of ['.json', '.eml', '.mxmsg']) {
      await rename(path.join(this.queueDir, id + suffix), path.join(this.quarantineDir, id + suffix)).catch(() => undefined);
    }
    this.logger.log('error', 'SPOOL_ENTRY_QUARANTINED', { id, reason, folder: this.quarantineDir });
  }
}

const SNAPSHOT_FILE = 'snapshot.jsonl';
const SNAPSHOT_FORMAT = 'mx-spool-snapshot';

interface SnapshotHeader {
  format?: unknown;
  version?: unknown;
  count?: unknown;
  schema?: unknown;
  /** queue/'s inode and modification time (ns) when the snapshot was written. */
  folder?: unknown;
}

function folderStamp(folder: { ino: bigint; mtimeNs: bigint }): string {
  return `${folder.ino}:${folder.mtimeNs}`;
}

let schemaId: string | null = null;

/** A fingerprint of the stored entry schema (its JSON Schema, hashed): a snapshot from another schema is not trusted blindly. */
function snapshotSchemaId(): string {
  schemaId ??= createHash('sha256').update(JSON.stringify(z.toJSONSchema(storedEntrySchema))).digest('hex').slice(0, 16);
  return schemaId;
}

/** What the queue folder holds, by entry id: `.eml` bodies, `.mxmsg` packed files, `.json` states. */
interface QueueFolder {
  bodies: Set<string>;
  packed: Set<string>;
  states: Set<string>;
}

/** The snapshot names exactly the entries in the folder (`entries` of them), each with its message and, unless packed, its state file. */
function matchesFolder(snapshot: readonly QueueEntry[], folder: QueueFolder, entries: number): boolean {
  if (snapshot.length !== entries) return false;
  return snapshot.every((entry) => (entry.packed === true ? folder.packed.has(entry.id) : folder.states.has(entry.id) && folder.bodies.has(entry.id)));
}

function newEntry(id: string, group: DomainGroup, body: { size: number; sha256: string }, meta: EntryMeta, now: number): QueueEntry {
  const recipients: RecipientState[] = group.recipients.map((address) => ({ address, status: 'pending', code: null, response: null }));
  return {
    version: 1,
    id,
    domain: group.domain,
    from: meta.from,
    to: [...group.recipients],
    recipients,
    size: body.size,
    state: group.held ? 'held' : 'queued',
    createdAt: new Date(now).toISOString(),
    attempts: 0,
    nextAttemptAt: group.held ? null : new Date(Math.max(now, group.firstAttemptAtMs ?? now)).toISOString(),
    lastAttemptAt: null,
    lastResponse: null,
    expiresAt: new Date(meta.expiresAtMs).toISOString(),
    messageId: meta.messageId,
    subject: meta.subject,
    kind: meta.kind,
    clientAddress: meta.clientAddress,
    heloName: meta.heloName,
    warned: false,
    bodySha256: body.sha256,
  };
}

/** verifyBody's check of a message already read whole for its delivery (readMessage): no second read. */
function bytesMismatch(read: Buffer, size: number, sha256: string): string | null {
  return digestMismatch(createHash('sha256').update(read), read.length, size, sha256);
}

function digestMismatch(hash: Hash, bytes: number, size: number, sha256: string): string | null {
  if (bytes !== size) return `body is ${bytes} bytes, expected ${size}`;
  const actual = hash.digest('hex');
  return actual === sha256 ? null : `body checksum is sha256 ${actual}, expected ${sha256}`;
}
