import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { updateSettingsReference } from '../../scripts/settings-reference.js';

test('docs/settings.md matches the settings schema (run npx tsx scripts/gen-settings-docs.ts)', async () => {
  const doc = (await readFile(new URL('../../docs/settings.md', import.meta.url), 'utf8')).replace(/\r\n/g, '\n');
  assert.equal(updateSettingsReference(doc), doc);
});
