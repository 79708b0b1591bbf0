import { closeSync, fstatSync, openSync } from 'node:fs';
import { readExactlySync } from './read-exactly.js';

/**
 * A packed entry (`queue/<id>.mxmsg`): the message exactly as received, then the entry's first state as JSON,
 * then a fixed-length footer naming the JSON's length. Mail for one office domain (nearly all of it) is
 * stored this way: one file created, written, fsync'ed and renamed per message instead of two (a body and
 * a state file). Creating a file is what intake pays most for on the disk (measured on the benchmark VM:
 * 2 files per message took about 800 messages/s, 1 file about 1,000, with smtp-server alone).
 *
 * The state in the file is only the first one: a later change is written to `queue/<id>.json` as for any
 * entry, and that file wins. The body is always read as the first `size` bytes, never to the end of file.
 * Not `.msg` (Windows opens that with Outlook) nor `.eml` (the body of a two-file entry).
 * Only this spool writes `.mxmsg` files (the whole file is fsync'ed in tmp/ before it is renamed into queue/),
 * so a footer that does not check out means the file was damaged after it was acknowledged.
 */
const FOOTER_START = '\n#mx-spool-entry-v1 ';
const LENGTH_DIGITS = 10;
/** `\n#mx-spool-entry-v1 0000000123\n`: 31 bytes. */
export const PACKED_FOOTER_BYTES = FOOTER_START.length + LENGTH_DIGITS + 1;
const FOOTER_PATTERN = /^\n#mx-spool-entry-v1 (\d{10})\n$/;

/** The bytes written after the body: the entry's JSON and the footer. */
export function packedTrailer(entry: object): Buffer {
  const json = Buffer.from(JSON.stringify(entry), 'utf8');
  const footer = Buffer.from(`${FOOTER_START}${String(json.length).padStart(LENGTH_DIGITS, '0')}\n`, 'latin1');
  return Buffer.concat([json, footer]);
}

/**
 * Whether a message file of `fileSize` bytes holds the entry's whole message: exactly that size for an
 * `.eml` body; a packed file also holds the entry's first state after the message, which may be anything.
 * A size that does not fit means a truncated or altered file (e.g. power loss on a disk that lies about fsync).
 */
export function messageFits(fileSize: number, entry: { size: number; packed?: boolean | undefined }): boolean {
  return entry.packed === true ? fileSize >= entry.size : fileSize === entry.size;
}

/** The state JSON of a packed file and where its body ends, or why the file cannot be trusted. */
export type PackedRead = { ok: true; json: string; bodySize: number } | { ok: false; reason: string };

/** Reads the trailer of a packed file (synchronously: for the start-up load, on the spool's thread or in a reader worker). */
export function readPackedTrailer(filePath: string): PackedRead {
  const fd = openSync(filePath, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize < PACKED_FOOTER_BYTES) return { ok: false, reason: `packed file is ${fileSize} bytes, too short for its footer` };
    const footer = Buffer.alloc(PACKED_FOOTER_BYTES);
    readExactlySync(fd, footer, fileSize - PACKED_FOOTER_BYTES, filePath);
    const match = FOOTER_PATTERN.exec(footer.toString('latin1'));
    if (!match) return { ok: false, reason: 'packed file has no valid footer' };
    const jsonBytes = Number(match[1]);
    const bodySize = fileSize - PACKED_FOOTER_BYTES - jsonBytes;
    if (bodySize < 0) return { ok: false, reason: `packed file footer names ${jsonBytes} bytes of state, more than the file holds` };
    const json = Buffer.alloc(jsonBytes);
    readExactlySync(fd, json, bodySize, filePath);
    return { ok: true, json: json.toString('utf8'), bodySize };
  } finally {
    closeSync(fd);
  }
}
