import { readFileSync, statSync } from 'node:fs';
import { messageFits, readPackedTrailer, type PackedRead } from './packed-entry.js';
import { messagePathIn, packedPathIn, statePathIn } from './spool-paths.js';
import { storedEntrySchema, type StoredEntry } from './stored-entry-schema.js';

/**
 * One entry's files as found at start: a state that can be trusted, or why the entry must be quarantined.
 * `replaced` says why a packed entry's state file was set aside for the first state in its `.mxmsg`.
 */
export type CheckedState = { ok: true; entry: StoredEntry; replaced?: string } | { ok: false; reason: string };

/** The same, for a worker to send: the checked entry as JSON text (cheap to copy between threads). */
export type CheckedStateText = { ok: true; json: string; replaced?: string } | { ok: false; reason: string };

type Checked = { ok: true; entry: StoredEntry; text: string; unknownKeys: boolean; replaced?: string } | { ok: false; reason: string };

/**
 * Reads `queue/<id>.json` (or, where there is none, the state packed after the message in `queue/<id>.mxmsg`),
 * checks it against the stored entry schema and its body's size against it. Runs on
 * the spool's thread or in a state file reader worker (state-file-worker.ts): no state of its own.
 */
export function checkStateFile(queueDir: string, id: string): CheckedState {
  const checked = checkEntryFiles(queueDir, id);
  if (!checked.ok) return checked;
  return checked.replaced === undefined ? { ok: true, entry: checked.entry } : { ok: true, entry: checked.entry, replaced: checked.replaced };
}

/**
 * The same, also giving the JSON of the checked entry: the file's own text when the schema's output is the
 * file (nothing stripped; the schema has no defaults or transforms), so a worker need not serialise it again.
 */
export function checkStateFileText(queueDir: string, id: string): CheckedStateText {
  const checked = checkEntryFiles(queueDir, id);
  if (!checked.ok) return checked;
  const json = checked.unknownKeys ? JSON.stringify(checked.entry) : checked.text;
  return checked.replaced === undefined ? { ok: true, json } : { ok: true, json, replaced: checked.replaced };
}

function checkEntryFiles(queueDir: string, id: string): Checked {
  let text: string;
  try {
    text = readFileSync(statePathIn(queueDir, id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, reason: `unreadable: ${(error as Error).message}` };
    return checkPackedState(queueDir, id);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = `unreadable: ${(error as Error).message}`;
    // Cut short or zero-filled: a state written without fsync (a deferral while the office server was
    // unreachable) that a power cut caught. A packed entry still has its first state: delivering from it
    // may repeat recipients already delivered, but loses nothing and needs no one to act.
    const first = checkPackedState(queueDir, id); // an entry without a packed file keeps the reason above
    return first.ok ? { ...first, replaced: reason } : { ok: false, reason };
  }
  const parsed = checkParsed(value, id);
  if (!parsed.ok) return parsed;
  let fileSize: number;
  try {
    fileSize = statSync(messagePathIn(queueDir, parsed.entry)).size;
  } catch (error) {
    return { ok: false, reason: `unreadable: ${(error as Error).message}` };
  }
  if (!messageFits(fileSize, parsed.entry)) return { ok: false, reason: `body is ${fileSize} bytes, expected ${parsed.entry.size}` };
  return { ok: true, entry: parsed.entry, text, unknownKeys: hasUnknownKeys(value, parsed.entry) };
}

/** The first state packed after the message in `queue/<id>.mxmsg`, checked like a state file. */
function checkPackedState(queueDir: string, id: string): Checked {
  let packed: PackedRead;
  try {
    packed = readPackedTrailer(packedPathIn(queueDir, id));
  } catch (error) {
    return { ok: false, reason: `unreadable: ${(error as Error).message}` };
  }
  if (!packed.ok) return packed;
  let value: unknown;
  try {
    value = JSON.parse(packed.json);
  } catch (error) {
    return { ok: false, reason: `unreadable: ${(error as Error).message}` };
  }
  const parsed = checkParsed(value, id);
  if (!parsed.ok) return parsed;
  if (parsed.entry.packed !== true) return { ok: false, reason: 'state in a packed file is not marked packed' };
  if (packed.bodySize !== parsed.entry.size) return { ok: false, reason: `body is ${packed.bodySize} bytes, expected ${parsed.entry.size}` };
  return { ok: true, entry: parsed.entry, text: packed.json, unknownKeys: hasUnknownKeys(value, parsed.entry) };
}

function checkParsed(value: unknown, id: string): { ok: true; entry: StoredEntry } | { ok: false; reason: string } {
  const parsed = storedEntrySchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: `state does not match the schema: ${parsed.error.issues[0]?.message ?? ''}` };
  if (parsed.data.id !== id) return { ok: false, reason: 'state belongs to another id' };
  return { ok: true, entry: parsed.data };
}

/** Whether the schema stripped keys it does not know (a state written by a newer version): then the file's text is not the entry. */
function hasUnknownKeys(value: unknown, entry: StoredEntry): boolean {
  const raw = value as { recipients: unknown[] } & Record<string, unknown>;
  if (Object.keys(raw).length !== Object.keys(entry).length) return true;
  return entry.recipients.some((recipient, index) => Object.keys(raw.recipients[index] as object).length !== Object.keys(recipient).length);
}
