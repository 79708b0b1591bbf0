import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { settingsSchema } from '../../electron/contract/settings-schema.js';
import { renderSettingsReference, updateSettingsReference } from '../../scripts/settings-reference.js';

test('docs/settings.md matches the settings schema (run npx tsx scripts/gen-settings-docs.ts)', async () => {
  const doc = (await readFile(new URL('../../docs/settings.md', import.meta.url), 'utf8')).replace(/\r\n/g, '\n');
  assert.equal(updateSettingsReference(doc), doc);
});

test('the settings reference has a table for every section of the schema', () => {
  const reference = renderSettingsReference();
  const sections = Object.keys(settingsSchema.shape).filter((key) => key !== 'version' && key !== 'domains');
  assert.ok(sections.includes('logs') && sections.includes('setup'));
  for (const section of sections) assert.ok(reference.includes(`### \`${section}\``), `${section} is documented`);
});
