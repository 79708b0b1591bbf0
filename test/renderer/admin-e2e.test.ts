import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { launchChromium, repoRoot } from '../support/chromium.js';
import { startService } from '../support/headless-service.js';
import { sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { tempDir } from '../support/temp-dir.js';

// `SCREENSHOT_DIR=docs/screenshots npm test -- test/renderer/admin-e2e` refreshes the README's pictures.
const screenshotDir = path.resolve(repoRoot, process.env.SCREENSHOT_DIR ?? 'test-results');
const REPORT_ZONE = 'Asia/Tokyo'; // not the browser's zone (UTC below): the report must follow the choice

async function shoot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function open(page: Page, screen: string, heading: string | RegExp) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10_000 });
}

test('admin app end to end: add a domain in the form, watch mail queue up live, read the deferral in the report, Retry now delivers', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  if (!existsSync(path.join(repoRoot, 'renderer', 'dist', 'index.html'))) {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  }
  const office = await startDestination();
  const officePort = office.port;
  await office.close(); // the office server is down
  const service = await startService(t, await tempDir(t)); // an empty data folder

  const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${service.url}/#token=${service.token}`);
  // A new install opens on the first-run setup (setup-e2e walks it); this test adds the domain in the form.
  await page.getByRole('heading', { level: 1, name: 'Set up MX Spool' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Skip setup' }).click();
  await page.getByText('No domains yet.').waitFor({ timeout: 10_000 });

  // Add the office domain and its mail server through the form.
  await open(page, 'Domains', 'Domains');
  await page.getByRole('button', { name: 'Add domain' }).click();
  await page.getByLabel('Domain name').fill('example.com');
  const server = page.getByRole('group', { name: 'Mail server 1' });
  await server.getByLabel('Host name or IP address').fill('127.0.0.1');
  await server.getByLabel('Port').fill(String(officePort));
  await server.getByLabel('Encryption (TLS)').selectOption('none');
  await shoot(page, 'domain-form');
  await page.getByRole('button', { name: 'Save domain' }).click();
  await page.getByRole('status').filter({ hasText: 'example.com added. MX Spool now accepts mail for it' }).waitFor({ timeout: 10_000 });
  await page.locator('tr[data-domain="example.com"]').waitFor();
  await shoot(page, 'domains');

  // Mail arrives while the office server is down: the dashboard count rises without a reload.
  await open(page, 'Dashboard', 'Dashboard');
  const card = page.locator('[data-domain="example.com"]');
  await card.getByTestId('queued').filter({ hasText: /^0$/ }).waitFor({ timeout: 10_000 });
  for (const n of [1, 2, 3]) await sendRaw(service.smtpPort, { from: 'sender@example.net', to: [`user${n}@example.com`] }, sampleMessage(`down ${n}`));
  await card.getByTestId('queued').filter({ hasText: /^3$/ }).waitFor({ timeout: 10_000 });
  await card.getByTestId('last-reply').filter({ hasText: /deferred: .*ECONNREFUSED/ }).waitFor({ timeout: 10_000 });
  await card.getByTestId('reachable').filter({ hasText: /Not reachable/ }).waitFor({ timeout: 10_000 });
  await shoot(page, 'dashboard');
  // Issue 4: the plain-words cause of the deferral, from the engine's classification of the real attempt.
  await card.getByRole('button', { name: 'Why is mail stuck?' }).click();
  await card.getByTestId('diagnosis-summary').filter({ hasText: /refus/i }).waitFor({ timeout: 10_000 });
  await shoot(page, 'why-stuck');
  await card.getByRole('button', { name: 'Why is mail stuck?' }).click();

  // The queue lists them; the drawer shows headers and the attempt with its exact reply.
  await open(page, 'Queue', 'Queue');
  const table = page.getByRole('table', { name: 'Queued messages' });
  await table.locator('tbody tr[data-id]').nth(2).waitFor({ timeout: 10_000 });
  await shoot(page, 'queue');
  const firstId = await table.locator('tbody tr[data-id]').first().getAttribute('data-id');
  await page.getByRole('button', { name: `Details of message ${firstId}` }).click();
  const drawer = page.getByRole('dialog', { name: 'Message details' });
  await drawer.getByTestId('message-headers').filter({ hasText: /Subject: down/ }).waitFor({ timeout: 10_000 });
  await drawer.getByRole('table', { name: 'Delivery attempts' }).getByText(/ECONNREFUSED/).first().waitFor({ timeout: 10_000 });
  await shoot(page, 'queue-drawer');
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });

  await open(page, 'Charts', 'Charts of stuck messages');
  await page.getByTestId('queue-ages-table').locator('tr[data-domain="example.com"] td[data-bucket="0"]').filter({ hasText: '3' }).waitFor({ timeout: 10_000 });
  await shoot(page, 'charts');

  await open(page, 'Server settings', 'Server settings');
  await page.getByTestId('listener-status').waitFor({ timeout: 10_000 });
  await shoot(page, 'settings');

  // The Outbound report in a chosen zone: the deferral with the reply as received, at the zone's time.
  const outbound = await reportsInZone(page);
  const utcRows = await service.call('reports.outbound', { domain: 'example.com', from: DateTime.utc().minus({ days: 1 }).toISODate(), to: DateTime.utc().plus({ days: 1 }).toISODate(), timeZone: 'UTC' });
  const firstDeferral = (utcRows.body.value as unknown as { rows: { time: string; outcome: string; response: string | null }[] }).rows.find((row) => row.outcome === 'deferred')!;
  const expectedLocal = DateTime.fromISO(firstDeferral.time).setZone(REPORT_ZONE).toFormat('yyyy-MM-dd HH:mm:ss');
  await outbound.getByText(expectedLocal).first().waitFor({ timeout: 10_000 });
  await outbound.getByText(firstDeferral.response!, { exact: false }).first().waitFor({ timeout: 10_000 });
  await shoot(page, 'reports');

  // The office server is back: Retry now empties the queue and the report shows the deliveries.
  const back = await startDestination({ port: officePort });
  t.after(() => back.close());
  await open(page, 'Dashboard', 'Dashboard');
  await card.getByRole('button', { name: 'Retry now' }).click();
  await card.getByTestId('queued').filter({ hasText: /^0$/ }).waitFor({ timeout: 15_000 });
  await card.getByTestId('last-reply').filter({ hasText: /^delivered: 250/ }).waitFor({ timeout: 10_000 });
  assert.equal(back.messages.length, 3);
  const after = await reportsInZone(page);
  await after.getByText(/^delivered$/i).first().waitFor({ timeout: 10_000 });
  assert.deepEqual(pageErrors, []);
});

/** Opens Reports, Outbound, for example.com in REPORT_ZONE; returns the report table. */
async function reportsInZone(page: Page) {
  await open(page, 'Reports', 'Reports');
  await page.getByRole('radio', { name: 'Outbound (delivery attempts)' }).check();
  await page.getByLabel('Domain', { exact: true }).selectOption('example.com');
  await page.getByLabel('Time zone', { exact: true }).fill(REPORT_ZONE);
  const table = page.getByRole('table', { name: new RegExp(`^Delivery attempts for example\\.com, .*\\(${REPORT_ZONE}\\)`) });
  await table.waitFor({ timeout: 10_000 });
  return table;
}
