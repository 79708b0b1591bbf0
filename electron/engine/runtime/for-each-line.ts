import type { FileHandle } from 'node:fs/promises';

const READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` for every complete line (ending with LF, which is not passed) of the file from byte `start`
 * to byte `end`, reading 1 MiB at a time, so a file of any size costs about one chunk of memory plus the
 * longest line. `offset` is the line's first byte in the file. Returns the byte after the last complete
 * line: a last line without its LF (an append in progress, a torn write) is left for the caller to judge.
 */
export function forEachLine(handle: FileHandle, start: number, end: number, onLine: (line: Buffer, offset: number) => void, chunkBytes = READ_CHUNK_BYTES): Promise<number> {
  return forEachChunk(handle, start, end, chunkBytes, (data, dataStart) => {
    let lineStart = 0;
    for (let newline = data.indexOf(NEWLINE, 0); newline !== -1; newline = data.indexOf(NEWLINE, lineStart)) {
      onLine(data.subarray(lineStart, newline), dataStart + lineStart);
      lineStart = newline + 1;
    }
    return lineStart;
  });
}

/**
 * forEachLine for only the lines holding `needle` (which has no LF). The chunk is searched for the needle,
 * not split into lines: a day file of 100,000 lines with a few hits costs about its read, where splitting
 * and testing each line took most of queue.get's time (benchmarks.md, session 10).
 */
export function forEachLineContaining(
  handle: FileHandle,
  start: number,
  end: number,
  needle: Buffer,
  onLine: (line: Buffer, offset: number) => void,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<number> {
  if (needle.length === 0 || needle.includes(NEWLINE)) throw new Error('forEachLineContaining: the text must be one non-empty line');
  return forEachChunk(handle, start, end, chunkBytes, (data, dataStart) => {
    const complete = data.lastIndexOf(NEWLINE) + 1; // lines after it are not finished in this chunk
    let from = 0;
    for (let hit = data.indexOf(needle, from); hit !== -1 && hit < complete; hit = data.indexOf(needle, from)) {
      const lineStart = hit === 0 ? 0 : data.lastIndexOf(NEWLINE, hit - 1) + 1;
      const lineEnd = data.indexOf(NEWLINE, hit);
      onLine(data.subarray(lineStart, lineEnd), dataStart + lineStart);
      from = lineEnd + 1;
    }
    return complete;
  });
}

/**
 * Reads [start, end) 1 MiB at a time. `onData` gets each chunk, led by the unfinished line of the chunk
 * before, and returns how many of its bytes it used (up to the end of its last complete line); the rest is
 * carried into the next call. Returns the byte after the last used one. `data` is only valid during the call.
 *
 * One buffer for the whole read: the unfinished line is moved to its start and the next read goes after
 * it. A new buffer per chunk (as Buffer.concat made) is memory outside V8's heap, and V8 runs a full
 * collection for every few dozen megabytes of it: at 100,000 queued, a queue.get that read three day
 * files (45 MB) paid one 30–80 ms collection each time (benchmarks.md, session 12).
 */
async function forEachChunk(handle: FileHandle, start: number, end: number, chunkBytes: number, onData: (data: Buffer, dataStart: number) => number): Promise<number> {
  let position = start;
  let consumed = start;
  let buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(1, end - start)));
  let carried = 0; // bytes at the start of `buffer`: a line not finished in the chunk before
  while (position < end) {
    if (carried === buffer.length) {
      // A line longer than the buffer: grow it so the read has room.
      const larger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(larger, 0, 0, carried);
      buffer = larger;
    }
    const { bytesRead } = await handle.read(buffer, carried, Math.min(buffer.length - carried, end - position), position);
    if (bytesRead === 0) break;
    const data = buffer.subarray(0, carried + bytesRead);
    const dataStart = consumed;
    const used = onData(data, dataStart);
    consumed = dataStart + used;
    carried = data.length - used;
    if (carried > 0 && used > 0) buffer.copyWithin(0, used, data.length);
    position += bytesRead;
  }
  return consumed;
}
