import path from 'node:path';

// The files of a queue entry in the spool's queue folder. Joined by hand rather than with path.join: the
// folder is already normalised, and a start after a crash builds 200,000 of these (path.join was 0.2 s of it).

/** `queue/<id>.json`: the entry's state. */
export function statePathIn(queueDir: string, id: string): string {
  return queueDir + path.sep + id + '.json';
}

/** `queue/<id>.eml`: the message as received. */
export function bodyPathIn(queueDir: string, id: string): string {
  return queueDir + path.sep + id + '.eml';
}

/** `queue/<id>.mxmsg`: the message as received with its entry's first state after it (packed-entry.ts). */
export function packedPathIn(queueDir: string, id: string): string {
  return queueDir + path.sep + id + '.mxmsg';
}

/** Where an entry's message bytes are: its packed file, or its `.eml` body. */
export function messagePathIn(queueDir: string, entry: { id: string; packed?: boolean | undefined }): string {
  return entry.packed === true ? packedPathIn(queueDir, entry.id) : bodyPathIn(queueDir, entry.id);
}
