/**
 * Regenerates the reference table in docs/settings.md from electron/contract/settings-schema.ts.
 *   npx tsx scripts/gen-settings-docs.ts [--check]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { updateSettingsReference } from './settings-reference.js';

const docPath = fileURLToPath(new URL('../docs/settings.md', import.meta.url));
const current = (await readFile(docPath, 'utf8')).replace(/\r\n/g, '\n');
const updated = updateSettingsReference(current);
if (process.argv.includes('--check')) {
  if (updated !== current) {
    process.stderr.write('docs/settings.md is out of date: run npx tsx scripts/gen-settings-docs.ts\n');
    process.exitCode = 1;
  }
} else {
  await writeFile(docPath, updated, 'utf8');
  process.stdout.write('docs/settings.md written\n');
}
