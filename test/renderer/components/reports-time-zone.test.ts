import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';
import { domainList } from './fixtures/domain-list.js';
import { localDateIn } from './fixtures/local-date.js';
import { outboundRow, reportCalls, waitForReportCall } from './fixtures/reports.js';

/**
 * The issue asks for component tests of the report's time-zone rendering. The browser runs in one zone
 * (Asia/Tokyo) and the report is asked for in another: every time shown must be the report zone's.
 */
const SCREEN = 'renderer/src/features/reports/reports-screen.tsx';
const domains = domainList('example.com');

test('a row is shown in the chosen zone (America/New_York), not the browser zone (Asia/Tokyo)', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Asia/Tokyo' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 1, rows: [outboundRow({ time: '2026-11-27T05:15:00.000-05:00' })] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: {} });

  await page.getByLabel('Time zone').fill('America/New_York');
  await page.getByLabel('From').fill('2026-11-27');
  await page.getByLabel('To').fill('2026-11-27');
  const input = await waitForReportCall(harness, { timeZone: 'America/New_York', from: '2026-11-27', to: '2026-11-27' });
  assert.deepEqual(input, { method: 'reports.outbound', from: '2026-11-27', to: '2026-11-27', timeZone: 'America/New_York', offset: 0, limit: 100 });

  const table = page.getByRole('table', { name: 'Delivery attempts for all domains, 2026-11-27 to 2026-11-27 (America/New_York)' });
  await table.waitFor({ timeout: 10_000 });
  assert.equal(await table.getByRole('columnheader').first().textContent(), 'Time (America/New_York)');
  const time = table.getByTestId('time');
  assert.equal(await time.textContent(), '2026-11-27 05:15:00 UTC-05:00');
  assert.equal(await time.locator('time').getAttribute('datetime'), '2026-11-27T05:15:00.000-05:00');
  // The same instant in the browser's own zone would read 19:15: proof the screen did not use it.
  assert.equal(await page.evaluate(() => new Date('2026-11-27T05:15:00.000-05:00').getHours()), 19);
});

test('on the night the clocks go back, the two 02:30 of Europe/Berlin are told apart by their offsets', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Asia/Tokyo' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  // Newest first: 02:30 CET (UTC+1) is an hour after 02:30 CEST (UTC+2).
  await harness.answer('reports.outbound', { total: 2, rows: [outboundRow({ time: '2026-10-25T02:30:00.000+01:00', queueId: 'q2' }), outboundRow({ time: '2026-10-25T02:30:00.000+02:00' })] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: { type: 'outbound', domain: 'example.com' } });

  await page.getByLabel('Time zone').fill('Europe/Berlin');
  await page.getByLabel('From').fill('2026-10-25');
  await page.getByLabel('To').fill('2026-10-25');
  await waitForReportCall(harness, { timeZone: 'Europe/Berlin', from: '2026-10-25', to: '2026-10-25', domain: 'example.com' });
  const table = page.getByRole('table', { name: /Delivery attempts for example\.com, 2026-10-25 to 2026-10-25 \(Europe\/Berlin\)/ });
  await table.getByTestId('time').nth(1).waitFor({ timeout: 10_000 });
  assert.deepEqual(await table.getByTestId('time').allTextContents(), ['2026-10-25 02:30:00 UTC+01:00', '2026-10-25 02:30:00 UTC+02:00']);
});

test('the default zone is the browser zone, with the last 7 days ending today there', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Asia/Tokyo' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 0, rows: [] });
  const before = Date.now();
  await harness.mount(SCREEN, 'ReportsScreen', { params: {} });
  const input = await waitForReportCall(harness, { timeZone: 'Asia/Tokyo' });
  const after = Date.now();

  assert.equal(await page.getByLabel('Time zone').inputValue(), 'Asia/Tokyo');
  // Today in Tokyo (the mount may straddle midnight there: either side is right).
  const today = [localDateIn('Asia/Tokyo', before), localDateIn('Asia/Tokyo', after)];
  assert.ok(today.includes(String(input.to)), `to ${String(input.to)} is today in Tokyo`);
  const sixDaysBefore = new Date(Date.parse(`${String(input.to)}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);
  assert.equal(input.from, sixDaysBefore);
  assert.equal(await page.getByLabel('From').inputValue(), input.from);
  assert.equal(await page.getByLabel('To').inputValue(), input.to);
  await page.getByText(`No delivery attempts for any domain between ${sixDaysBefore} and ${String(input.to)} (Asia/Tokyo).`).waitFor({ timeout: 10_000 });
});

test('an unknown zone gets its reason next to the field and is never sent', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 0, rows: [] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: {} });
  await waitForReportCall(harness, { timeZone: 'Europe/Berlin' });

  const zone = page.getByLabel('Time zone');
  await zone.fill('Mars/Olympus_Mons');
  const reason = page.locator('#report-zone-error');
  await reason.waitFor({ timeout: 10_000 });
  assert.match((await reason.textContent()) ?? '', /Unknown time zone "Mars\/Olympus_Mons"/);
  assert.equal(await zone.getAttribute('aria-invalid'), 'true');
  assert.equal(await zone.getAttribute('aria-describedby'), 'report-zone-error');
  await page.waitForTimeout(800); // longer than the typing pause
  assert.ok((await reportCalls(harness)).every((input) => input.timeZone === 'Europe/Berlin'));

  // The engine's spelling is the canonical one, whatever the case typed.
  await zone.fill('america/new_york');
  await waitForReportCall(harness, { timeZone: 'America/New_York' });
});
