import type { QueueEntry } from '../spool/queue-entry.js';
import { matchesSearch, searchText, searchTextApplies } from './queue-search-text.js';
import { BASE36_CHUNK, NO_NEXT_ATTEMPT, base36Chunk, stringRanks, timestampMs, timestampSortKey } from './queue-sort-keys.js';

const INITIAL_CAPACITY = 1024;

/** Small integer codes for the few distinct values of a field (domains, states): compared as numbers. */
class StringCodes {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(value, code);
      this.names.push(value);
    }
    return code;
  }

  find(value: string): number | undefined {
    return this.codes.get(value);
  }
}

// Which columns of a row are computed: a column is read from the entry the first time a request needs it.
const DOMAIN = 1;
const STATE = 2;
const CREATED_MS = 4;
const CREATED_KEY = 8;
const NEXT_KEY = 16;
const SIZE_ATTEMPTS = 32;
const ID = 64;

/**
 * What `queue.list` reads of each queue entry, as numbers in typed arrays, one row per entry in iteration
 * order, kept between requests.
 *
 * Why: at 100,000 entries the entries and their strings are tens of megabytes spread over the heap, and
 * reading one field of every entry costs about a cache miss each (0.05–0.2 µs on the 2-core reference VM,
 * 5–20 ms per field per request). `sync` compares the iterated entries with the previous rows by reference
 * only and forgets just the rows whose entry object is new, so a request on a queue that changed a little
 * reads a few megabytes of contiguous numbers instead. Columns are computed lazily, so a fresh index (one
 * request, no reuse) reads only the fields that request needs.
 *
 * Relies on entries being replaced, never changed in place, which is how SpoolStore keeps them (`update`
 * clones, `patchTransient` spreads): a row is reused only for the very same object.
 */
export class QueueListIndex {
  private count = 0;
  private capacity = 0;
  private rows: QueueEntry[] = [];
  /** searchText per row, looked up on the first search that reaches the row; shorter than rows until then. */
  private texts: (string | undefined)[] = [];
  /** Bits of the columns computed for the row. */
  private known: Uint8Array = new Uint8Array(0);
  private readonly domains = new StringCodes();
  private readonly states = new StringCodes();
  private domainColumn: Int32Array = new Int32Array(0);
  private stateColumn: Int32Array = new Int32Array(0);
  private createdMsColumn: Float64Array = new Float64Array(0);
  private createdKeyColumn: Float64Array = new Float64Array(0);
  private nextKeyColumn: Float64Array = new Float64Array(0);
  private sizeColumn: Float64Array = new Float64Array(0);
  private attemptsColumn: Float64Array = new Float64Array(0);
  private idHighColumn: Float64Array = new Float64Array(0);
  private idLowColumn: Float64Array = new Float64Array(0);
  private idLengthColumn: Int32Array = new Int32Array(0);

  /**
   * Makes the rows those of `entries`, in their order, and returns how many there are. Rows whose entry is
   * the same object as before keep what was computed (moved up over removed ones); the others start empty.
   * Linear in the number of entries and reads only the changed ones, when the order of the entries that
   * stayed is unchanged and new ones come last, as in a Map; any other order is still right, only slower.
   */
  sync(entries: Iterable<QueueEntry>): number {
    const previous = this.count;
    let next = 0; // previous rows before this one are used up
    let row = 0;
    for (const entry of entries) {
      const from = next < previous ? this.findPrevious(entry, next, previous) : -1;
      if (from === -1) {
        next = previous; // an entry not seen before: reuse no previous row from here on
        this.reset(row, entry);
      } else {
        next = from + 1;
        if (this.rows[from] !== entry) this.reset(row, entry);
        else if (from !== row) this.move(from, row);
      }
      row += 1;
    }
    if (row > this.capacity) this.grow(row); // rows past the capacity are new: zero, nothing known
    this.count = row;
    this.rows.length = row; // release removed entries
    if (this.texts.length > row) this.texts.length = row;
    return row;
  }

  entry(row: number): QueueEntry {
    return this.rows[row]!;
  }

  /** The code `domainCode` gives rows of this domain; undefined if no entry had it. */
  findDomain(domain: string): number | undefined {
    return this.domains.find(domain);
  }

  /** For each domain code, its rank among the domains seen in string order. */
  domainRanks(): Float64Array {
    return stringRanks(this.domains.names);
  }

  findState(state: string): number | undefined {
    return this.states.find(state);
  }

  domainCode(row: number): number {
    if ((this.known[row]! & DOMAIN) === 0) this.readDomain(row);
    return this.domainColumn[row]!;
  }

  stateCode(row: number): number {
    if ((this.known[row]! & STATE) === 0) this.readState(row);
    return this.stateColumn[row]!;
  }

  /** Date.parse(createdAt), for the age filter. */
  createdMs(row: number): number {
    if ((this.known[row]! & CREATED_MS) === 0) this.readCreatedMs(row);
    return this.createdMsColumn[row]!;
  }

  /** timestampSortKey(createdAt): NaN when not a toISOString timestamp. */
  createdKey(row: number): number {
    if ((this.known[row]! & CREATED_KEY) === 0) this.readCreatedKey(row);
    return this.createdKeyColumn[row]!;
  }

  /** timestampSortKey(nextAttemptAt ?? '9999'). */
  nextKey(row: number): number {
    if ((this.known[row]! & NEXT_KEY) === 0) this.readNextKey(row);
    return this.nextKeyColumn[row]!;
  }

  size(row: number): number {
    if ((this.known[row]! & SIZE_ATTEMPTS) === 0) this.readSizeAttempts(row);
    return this.sizeColumn[row]!;
  }

  attempts(row: number): number {
    if ((this.known[row]! & SIZE_ATTEMPTS) === 0) this.readSizeAttempts(row);
    return this.attemptsColumn[row]!;
  }

  /** The id as two base-36 numbers (see base36Chunk): NaN when it has other characters than 0-9a-z or is too long. */
  idHigh(row: number): number {
    if ((this.known[row]! & ID) === 0) this.readId(row);
    return this.idHighColumn[row]!;
  }

  idLow(row: number): number {
    if ((this.known[row]! & ID) === 0) this.readId(row);
    return this.idLowColumn[row]!;
  }

  idLength(row: number): number {
    if ((this.known[row]! & ID) === 0) this.readId(row);
    return this.idLengthColumn[row]!;
  }

  /** matchesSearch for the entry of `row`, on its cached search text. */
  matchesSearch(row: number, needle: string): boolean {
    if (!searchTextApplies(needle)) return matchesSearch(this.rows[row]!, needle);
    let text = this.texts[row];
    if (text === undefined) {
      text = searchText(this.rows[row]!);
      this.texts[row] = text;
    }
    return text.includes(needle);
  }

  // Computing a column value: the column gets its room here, on first use, so a request allocates only the
  // columns it reads (a fresh index for one request, especially).

  private readDomain(row: number): void {
    this.domainColumn = fitInt32(this.domainColumn, this.capacity);
    this.domainColumn[row] = this.domains.code(this.rows[row]!.domain);
    this.known[row]! |= DOMAIN;
  }

  private readState(row: number): void {
    this.stateColumn = fitInt32(this.stateColumn, this.capacity);
    this.stateColumn[row] = this.states.code(this.rows[row]!.state);
    this.known[row]! |= STATE;
  }

  private readCreatedMs(row: number): void {
    this.createdMsColumn = fitFloat64(this.createdMsColumn, this.capacity);
    this.createdMsColumn[row] = timestampMs(this.rows[row]!.createdAt);
    this.known[row]! |= CREATED_MS;
  }

  private readCreatedKey(row: number): void {
    this.createdKeyColumn = fitFloat64(this.createdKeyColumn, this.capacity);
    this.createdKeyColumn[row] = timestampSortKey(this.rows[row]!.createdAt);
    this.known[row]! |= CREATED_KEY;
  }

  private readNextKey(row: number): void {
    this.nextKeyColumn = fitFloat64(this.nextKeyColumn, this.capacity);
    this.nextKeyColumn[row] = timestampSortKey(this.rows[row]!.nextAttemptAt ?? NO_NEXT_ATTEMPT);
    this.known[row]! |= NEXT_KEY;
  }

  private readSizeAttempts(row: number): void {
    const entry = this.rows[row]!;
    this.sizeColumn = fitFloat64(this.sizeColumn, this.capacity);
    this.attemptsColumn = fitFloat64(this.attemptsColumn, this.capacity);
    this.sizeColumn[row] = entry.size;
    this.attemptsColumn[row] = entry.attempts;
    this.known[row]! |= SIZE_ATTEMPTS;
  }

  private readId(row: number): void {
    const id = this.rows[row]!.id;
    const split = Math.min(id.length, BASE36_CHUNK);
    const fits = id.length <= 2 * BASE36_CHUNK;
    this.idHighColumn = fitFloat64(this.idHighColumn, this.capacity);
    this.idLowColumn = fitFloat64(this.idLowColumn, this.capacity);
    this.idLengthColumn = fitInt32(this.idLengthColumn, this.capacity);
    this.idHighColumn[row] = fits ? base36Chunk(id, 0, split) : NaN;
    this.idLowColumn[row] = fits ? base36Chunk(id, split, id.length - split) : NaN;
    this.idLengthColumn[row] = id.length;
    this.known[row]! |= ID;
  }

  /** The previous row, at `start` or after, of this entry object or of an entry with its id; -1 if none. */
  private findPrevious(entry: QueueEntry, start: number, end: number): number {
    if (this.rows[start] === entry) return start;
    for (let row = start; row < end; row += 1) {
      const candidate = this.rows[row]!;
      if (candidate === entry || candidate.id === entry.id) return row;
    }
    return -1;
  }

  private reset(row: number, entry: QueueEntry): void {
    this.rows[row] = entry;
    if (row < this.texts.length) this.texts[row] = undefined;
    if (row < this.capacity) this.known[row] = 0;
  }

  private move(from: number, row: number): void {
    this.rows[row] = this.rows[from]!;
    if (row < this.texts.length) this.texts[row] = this.texts[from];
    const known = this.known[from]!;
    this.known[row] = known;
    if (known & DOMAIN) this.domainColumn[row] = this.domainColumn[from]!;
    if (known & STATE) this.stateColumn[row] = this.stateColumn[from]!;
    if (known & CREATED_MS) this.createdMsColumn[row] = this.createdMsColumn[from]!;
    if (known & CREATED_KEY) this.createdKeyColumn[row] = this.createdKeyColumn[from]!;
    if (known & NEXT_KEY) this.nextKeyColumn[row] = this.nextKeyColumn[from]!;
    if (known & SIZE_ATTEMPTS) {
      this.sizeColumn[row] = this.sizeColumn[from]!;
      this.attemptsColumn[row] = this.attemptsColumn[from]!;
    }
    if (known & ID) {
      this.idHighColumn[row] = this.idHighColumn[from]!;
      this.idLowColumn[row] = this.idLowColumn[from]!;
      this.idLengthColumn[row] = this.idLengthColumn[from]!;
    }
  }

  /** Room for at least `rows` rows; new rows read as nothing known. Columns follow when next computed. */
  private grow(rows: number): void {
    this.capacity = Math.max(INITIAL_CAPACITY, rows, Math.ceil(this.capacity * 1.5));
    const known = new Uint8Array(this.capacity);
    known.set(this.known);
    this.known = known;
  }
}

/** `column` if it has room for `capacity` values, else a copy that has. */
function fitFloat64(column: Float64Array, capacity: number): Float64Array {
  if (column.length >= capacity) return column;
  const bigger = new Float64Array(capacity);
  bigger.set(column);
  return bigger;
}

function fitInt32(column: Int32Array, capacity: number): Int32Array {
  if (column.length >= capacity) return column;
  const bigger = new Int32Array(capacity);
  bigger.set(column);
  return bigger;
}
