/**
 * Regenerates the method and event reference in docs/api.md from the contract's zod schemas.
 *   npx tsx scripts/gen-api-docs.ts          rewrite the section between <!-- api:start --> and <!-- api:end -->
 *   npx tsx scripts/gen-api-docs.ts --check  exit 1 if it is out of date (test/headless/api-docs.test.ts does the same)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { updateApiReference } from '../electron/headless/render-api-reference.js';

const docPath = fileURLToPath(new URL('../docs/api.md', import.meta.url));
const current = await readFile(docPath, 'utf8');
const updated = updateApiReference(current.replace(/\r\n/g, '\n'));

if (process.argv.includes('--check')) {
  if (updated !== current.replace(/\r\n/g, '\n')) {
    process.stderr.write('docs/api.md is out of date with electron/contract/: run npx tsx scripts/gen-api-docs.ts\n');
    process.exitCode = 1;
  }
} else if (updated !== current) {
  await writeFile(docPath, updated, 'utf8');
  process.stdout.write('docs/api.md updated\n');
} else {
  process.stdout.write('docs/api.md already up to date\n');
}
