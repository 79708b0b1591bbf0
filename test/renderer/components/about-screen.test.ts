import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';
import { appInfo } from './fixtures/setup.js';

const ABOUT = 'renderer/src/features/about/about-screen.tsx';

test('about: shows what runs where; Open data folder on the service shows the path to copy', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await harness.answer('app.info', appInfo('service'));
  await harness.mount(ABOUT, 'AboutScreen');
  await page.getByRole('heading', { level: 1, name: 'About MX Spool' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('about-name').textContent(), 'MX Spool');
  assert.equal(await page.getByTestId('about-version').textContent(), '1.4.2');
  assert.equal(await page.getByTestId('about-host').textContent(), 'Service (headless, opened in a browser)');
  await page.getByText('linux (x64), Node.js 22.11.0').waitFor();
  assert.equal(await page.getByTestId('about-data-dir').textContent(), '/var/lib/mx-spool');
  assert.equal(await page.getByRole('link', { name: 'Run setup again' }).getAttribute('href'), '#/setup');

  await harness.answer('app.openDataFolder', { opened: false, path: '/var/lib/mx-spool' });
  await page.getByRole('button', { name: 'Open data folder' }).click();
  const shown = page.getByTestId('folder-path');
  await shown.filter({ hasText: 'cannot be opened from here' }).waitFor({ timeout: 10_000 });
  await shown.getByText('/var/lib/mx-spool', { exact: true }).waitFor();
  await shown.getByRole('button', { name: 'Copy the data folder path' }).click();
  await shown.getByRole('button', { name: 'Copy the data folder path' }).filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), '/var/lib/mx-spool');
  assert.deepEqual((await harness.calls()).map((call) => call.method), ['app.info', 'app.openDataFolder']);
});

test('about: in the desktop app the folder opens and no path panel appears', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await harness.answer('app.info', appInfo('desktop'));
  await harness.answer('app.openDataFolder', { opened: true, path: '/home/office/.config/MX Spool' });
  await harness.mount(ABOUT, 'AboutScreen');
  assert.equal(await page.getByTestId('about-host').textContent({ timeout: 10_000 }), 'Desktop app');
  await page.getByText('Electron 33.2.0').waitFor();
  await page.getByRole('button', { name: 'Open data folder' }).click();
  await page.getByText('Opened in the file manager.').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('folder-path').count(), 0);
});

test('about: Export diagnostics shows progress, then downloads the file under its name with its content; a failure says so', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  const content = JSON.stringify({ app: { version: '1.4.2' }, settings: { domains: [{ name: 'example.com', destinations: [{ auth: { user: 'spool', pass: '(hidden)' } }] }] } }, null, 2);
  await harness.answer('app.info', appInfo('desktop'));
  await harness.answer('diagnostics.export', { fileName: 'mx-spool-diagnostics-2026-11-28T10-00-00Z.json', contentType: 'application/json', content });
  await harness.mount(ABOUT, 'AboutScreen');
  const button = page.getByRole('button', { name: 'Export diagnostics' });
  await button.waitFor({ timeout: 10_000 });

  await harness.hold('diagnostics.export');
  await button.click();
  await page.getByRole('progressbar', { name: 'Preparing the diagnostics file' }).waitFor({ timeout: 5_000 });
  assert.equal(await button.getAttribute('aria-disabled'), 'true', 'no second export while one runs');
  const download = page.waitForEvent('download', { timeout: 10_000 });
  await harness.release('diagnostics.export');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'mx-spool-diagnostics-2026-11-28T10-00-00Z.json');
  assert.equal(await readFile(await file.path(), 'utf8'), content);
  await page.getByTestId('diagnostics-saved').filter({ hasText: 'Saved mx-spool-diagnostics-2026-11-28T10-00-00Z.json' }).waitFor();
  assert.equal(await page.getByRole('progressbar', { name: 'Preparing the diagnostics file' }).count(), 0);

  await harness.fail('diagnostics.export', { code: 'INTERNAL', message: 'The log folder cannot be read' });
  await button.click();
  await page.getByRole('alert').filter({ hasText: 'Exporting diagnostics failed: The log folder cannot be read' }).waitFor({ timeout: 10_000 });
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'diagnostics.export').length, 2);
});
