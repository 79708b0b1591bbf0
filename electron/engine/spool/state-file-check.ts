import { readFileSync, statSync } from 'node:fs';
import { readPackedTrailer } from './packed-entry.js';
import { messagePathIn, packedPathIn, statePathIn } from './spool-paths.js';
import { storedEntrySchema, type StoredEntry } from './stored-entry-schema.js';

/** One entry's files as found at start: a state that can be trusted, or why the entry must be quarantined. */
export type CheckedState = { ok: true; entry: StoredEntry } | { ok: false; reason: string };

/** The same, for a worker to send: the checked entry as JSON text (cheap to copy between threads). */
export type CheckedStateText = { ok: true; json: string } | { ok: false; reason: string };

/**
 * Reads `queue/<id>.json` (or, where there is none, the state packed after the message in `queue/<id>.msg`),
 * checks it against the stored entry schema and its body's size against it. Runs on
 * the spool's thread or in a state file reader worker (state-file-worker.ts): no state of its own.
 */
export function checkStateFile(queueDir: string, id: string): CheckedState {
  const checked = checkStateText(queueDir, id);
  return checked.ok ? { ok: true, entry: checked.entry } : checked;
}

/**
 * The same, also giving the JSON of the checked entry: the file's own text when the schema's output is the
 * file (nothing stripped; the schema has no defaults or transforms), so a worker need not serialise it again.
 */
export function checkStateFileText(queueDir: string, id: string): CheckedStateText {
  const checked = checkStateText(queueDir, id);
  if (!checked.ok) return checked;
  return { ok: true, json: checked.unknownKeys ? JSON.stringify(checked.entry) : checked.text };
}

function checkStateText(queueDir: string, id: string): { ok: true; entry: StoredEntry; text: string; unknownKeys: boolean } | { ok: false; reason: string } {
  let text: string;
  let value: unknown;
  // Known only for a packed entry without a state file of its own: where its message ends.
  let packedBodySize: number | null = null;
  try {
    text = readFileSync(statePathIn(queueDir, id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, reason: `unreadable: ${(error as Error).message}` };
    try {
      const packed = readPackedTrailer(packedPathIn(queueDir, id));
      if (!packed.ok) return packed;
      text = packed.json;
      packedBodySize = packed.bodySize;
    } catch (packedError) {
      return { ok: false, reason: `unreadable: ${(packedError as Error).message}` };
    }
  }
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `unreadable: ${(error as Error).message}` };
  }
  const parsed = storedEntrySchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `state does not match the schema: ${parsed.error.issues[0]?.message ?? ''}` };
  if (parsed.data.id !== id) return { ok: false, reason: 'state belongs to another id' };
  if (packedBodySize !== null) {
    if (parsed.data.packed !== true) return { ok: false, reason: 'state in a packed file is not marked packed' };
    if (packedBodySize !== parsed.data.size) return { ok: false, reason: `body is ${packedBodySize} bytes, expected ${parsed.data.size}` };
    return { ok: true, entry: parsed.data, text, unknownKeys: hasUnknownKeys(value, parsed.data) };
  }
  let fileSize: number;
  try {
    fileSize = statSync(messagePathIn(queueDir, parsed.data)).size;
  } catch (error) {
    return { ok: false, reason: `unreadable: ${(error as Error).message}` };
  }
  // Size mismatch = truncated or altered body (e.g. power loss on a disk that lies about fsync). A packed
  // file also holds its first state after the message: the message must fit, the trailer may be anything.
  const fits = parsed.data.packed === true ? fileSize >= parsed.data.size : fileSize === parsed.data.size;
  if (!fits) return { ok: false, reason: `body is ${fileSize} bytes, expected ${parsed.data.size}` };
  return { ok: true, entry: parsed.data, text, unknownKeys: hasUnknownKeys(value, parsed.data) };
}

/** Whether the schema stripped keys it does not know (a state written by a newer version): then the file's text is not the entry. */
function hasUnknownKeys(value: unknown, entry: StoredEntry): boolean {
  const raw = value as { recipients: unknown[] } & Record<string, unknown>;
  if (Object.keys(raw).length !== Object.keys(entry).length) return true;
  return entry.recipients.some((recipient, index) => Object.keys(raw.recipients[index] as object).length !== Object.keys(recipient).length);
}
