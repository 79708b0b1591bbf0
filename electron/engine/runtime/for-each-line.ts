import type { FileHandle } from 'node:fs/promises';

const READ_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Calls `onLine` for every complete line (ending with LF, which is not passed) of the file from byte `start`
 * to byte `end`, reading 1 MiB at a time, so a file of any size costs about one chunk of memory plus the
 * longest line. `offset` is the line's first byte in the file. Returns the byte after the last complete
 * line: a last line without its LF (an append in progress, a torn write) is left for the caller to judge.
 */
export async function forEachLine(handle: FileHandle, start: number, end: number, onLine: (line: Buffer, offset: number) => void): Promise<number> {
  let position = start;
  let consumed = start;
  let carry: Buffer | null = null; // the start of a line split across chunks
  const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  while (position < end) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(READ_CHUNK_BYTES, end - position), position);
    if (bytesRead === 0) break;
    const data: Buffer = carry ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    const dataStart = consumed;
    let lineStart = 0;
    for (let newline = data.indexOf(NEWLINE, 0); newline !== -1; newline = data.indexOf(NEWLINE, lineStart)) {
      onLine(data.subarray(lineStart, newline), dataStart + lineStart);
      lineStart = newline + 1;
    }
    consumed = dataStart + lineStart;
    // Copied: `chunk` is reused by the next read.
    carry = lineStart < data.length ? Buffer.from(data.subarray(lineStart)) : null;
    position += bytesRead;
  }
  return consumed;
}
