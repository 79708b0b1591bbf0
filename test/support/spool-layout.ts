import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPackedTrailer } from '../../electron/engine/spool/packed-entry.js';

/**
 * Rewrites a packed entry (`<id>.mxmsg`, with or without a later `<id>.json`) the way versions before packed
 * files stored every entry: its latest state in `<id>.json` beside the message in `<id>.eml`. For tests of
 * spools those versions left behind; only while no engine has the spool open (or open it again after).
 */
export async function storeAsEarlierVersion(queueDir: string, id: string): Promise<void> {
  const packedPath = path.join(queueDir, `${id}.mxmsg`);
  const statePath = path.join(queueDir, `${id}.json`);
  const trailer = readPackedTrailer(packedPath);
  if (!trailer.ok) throw new Error(`${packedPath}: ${trailer.reason}`);
  const latest = existsSync(statePath) ? await readFile(statePath, 'utf8') : trailer.json;
  const { packed: _packed, ...state } = JSON.parse(latest) as { packed?: true; size: number };
  await writeFile(path.join(queueDir, `${id}.eml`), (await readFile(packedPath)).subarray(0, state.size));
  await writeFile(statePath, JSON.stringify(state));
  await rm(packedPath);
}

/** The same for every packed entry in the folder. */
export async function storeAllAsEarlierVersion(queueDir: string): Promise<void> {
  for (const name of await readdir(queueDir)) {
    if (name.endsWith('.mxmsg')) await storeAsEarlierVersion(queueDir, name.slice(0, -6));
  }
}
