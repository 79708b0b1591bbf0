import path from 'node:path';

// The two files of a queue entry in the spool's queue folder. Joined by hand rather than with path.join: the
// folder is already normalised, and a start after a crash builds 200,000 of these (path.join was 0.2 s of it).

/** `queue/<id>.json`: the entry's state. */
export function statePathIn(queueDir: string, id: string): string {
  return queueDir + path.sep + id + '.json';
}

/** `queue/<id>.eml`: the message as received. */
export function bodyPathIn(queueDir: string, id: string): string {
  return queueDir + path.sep + id + '.eml';
}
