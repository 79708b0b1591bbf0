import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { apiMethods } from '../../electron/contract/api-contract.js';
import { errorCodeSchema } from '../../electron/contract/app-error.js';
import { eventNames } from '../../electron/contract/events.js';
import { API_REFERENCE_END, API_REFERENCE_START, renderApiReference, updateApiReference } from '../../electron/headless/render-api-reference.js';

const docUrl = new URL('../../docs/api.md', import.meta.url);

/**
 * docs/api.md is a snapshot of the API surface: a contract change that does not regenerate it fails here,
 * so the change shows up in review as a docs diff.
 */
describe('docs/api.md', () => {
  it('matches the contract (run `npx tsx scripts/gen-api-docs.ts` after changing a schema)', async () => {
    const doc = (await readFile(docUrl, 'utf8')).replace(/\r\n/g, '\n');
    const between = doc.slice(doc.indexOf(API_REFERENCE_START) + API_REFERENCE_START.length + 1, doc.indexOf(API_REFERENCE_END));
    assert.equal(between, renderApiReference(), 'docs/api.md is out of date: run npx tsx scripts/gen-api-docs.ts');
    assert.equal(updateApiReference(doc), doc);
  });

  it('documents every method, every event and every error code', async () => {
    const doc = await readFile(docUrl, 'utf8');
    for (const method of apiMethods) assert.ok(doc.includes(`#### \`${method}\``), method);
    for (const name of eventNames) assert.ok(doc.includes(`#### \`${name}\``), name);
    for (const code of errorCodeSchema.options) assert.ok(doc.includes(`\`${code}\``), code);
  });

  it('refuses a document without the markers instead of appending somewhere', () => {
    assert.throws(() => updateApiReference('# API\n'), /needs the markers/);
  });
});
