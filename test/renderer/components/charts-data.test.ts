import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiOutput } from '../../../electron/contract/api-contract.js';
import { resultPath } from '../../support/chromium.js';
import { openComponentPage } from '../../support/component-page.js';

const SCREEN = 'renderer/src/features/charts/charts-screen.tsx';

const ages: ApiOutput<'stats.queueAges'> = {
  bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280],
  domains: [
    { domain: 'example.com', total: 7, held: 2, counts: [1, 0, 0, 2, 0, 0, 0, 0, 0, 4] },
    { domain: 'example.org', total: 3, held: 0, counts: [0, 3, 0, 0, 0, 0, 0, 0, 0, 0] },
  ],
  totals: [1, 3, 0, 2, 0, 0, 0, 0, 0, 4],
};

/** Exactly as a greylisting server sends it: multi-line, doubled spaces, characters HTML would eat. */
const reply = '451-4.7.1 Greylisted,  please try again later\n451 4.7.1 See <https://mx.example.net/greylist?a=1&b=2>  ';

function queueSeries(): ApiOutput<'stats.queueSeries'> {
  const now = Date.now();
  const points = [30, 20, 10, 0].map((minutesAgo, index) => ({
    time: new Date(now - minutesAgo * 60_000).toISOString(),
    total: 2 + index,
    held: 0,
    domains: { 'example.com': 2 + index - 1, 'example.org': 1 },
  }));
  return { points, domains: ['example.com', 'example.org'] };
}

test('charts screen with data: qshape table, stacked bars, lines, outcomes and the exact deferral reply', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin' });
  if (!harness) return;
  await harness.answer('domains.list', { items: [] });
  await harness.answer('stats.queueSeries', queueSeries());
  await harness.answer('stats.queueAges', ages);
  await harness.answer('stats.outcomesByHour', {
    hours: [
      { hour: '2026-11-27T08:00:00+01:00', delivered: 5, deferred: 2, bounced: 0 },
      { hour: '2026-11-27T09:00:00+01:00', delivered: 0, deferred: 4, bounced: 1 },
      { hour: '2026-11-27T10:00:00+01:00', delivered: 0, deferred: 0, bounced: 0 },
    ],
  });
  await harness.answer('stats.topDeferrals', {
    replies: [{ reply, code: 451, enhancedCode: '4.7.1', count: 6, domains: ['example.com', 'example.org'], lastSeen: '2026-11-27T09:42:10+01:00' }],
  });
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });
  const page = harness.page;

  // Ages: the table has the engine's counts under the right bucket and domain.
  const table = page.getByRole('table', { name: /Messages queued per domain and age/ });
  await table.waitFor({ timeout: 10_000 });
  const headings = await table.locator('thead th').allTextContents();
  assert.deepEqual(headings.slice(0, 5), ['Domain', 'Total', 'Held', '< 5 min', '5–10 min']);
  assert.ok(headings[11]?.startsWith('640–1280 min'), headings[11]);
  assert.ok(headings[12]?.startsWith('> 1280 min'), headings[12]);
  const cells = async (domain: string) => table.locator(`tr[data-domain="${domain}"] td`).allTextContents();
  assert.deepEqual(await cells('example.com'), ['7', '2', '1', '0', '0', '2', '0', '0', '0', '0', '0', '4']);
  assert.deepEqual(await cells('example.org'), ['3', '0', '0', '3', '0', '0', '0', '0', '0', '0', '0', '0']);
  assert.deepEqual(await cells(''), ['10', '2', '1', '3', '0', '2', '0', '0', '0', '0', '0', '4']);

  // Ages chart: real SVG bars, one colour per domain, and a legend naming the domains.
  const agesChart = page.getByTestId('queue-ages-chart');
  await agesChart.locator('.recharts-bar-rectangle').first().waitFor({ timeout: 10_000 });
  assert.ok((await agesChart.locator('.recharts-bar-rectangle').count()) > 0);
  assert.deepEqual(await agesChart.locator('.recharts-legend-item-text').allTextContents(), ['example.com', 'example.org']);

  // Queue series: a total line plus one per domain, and the time zone named on the axis.
  const seriesChart = page.getByTestId('queue-series-chart');
  await seriesChart.locator('.recharts-line-curve').first().waitFor({ timeout: 10_000 });
  assert.equal(await seriesChart.locator('.recharts-line-curve').count(), 3);
  assert.deepEqual(await seriesChart.locator('.recharts-legend-item-text').allTextContents(), ['All domains', 'example.com', 'example.org']);
  await seriesChart.getByText('Time (Europe/Berlin)').waitFor();
  await page.getByText(/Latest .*: 5 queued\. Peak: 5 at/).waitFor();

  // Outcomes: stacked bars in the dashboard's colours, hours labelled from the ISO string's own local part.
  const outcomesChart = page.getByTestId('outcomes-chart');
  await outcomesChart.locator('.recharts-bar-rectangle').first().waitFor({ timeout: 10_000 });
  const fills = await outcomesChart.locator('.recharts-bar-rectangle path').evaluateAll((paths) => [...new Set(paths.map((path) => path.getAttribute('fill')))].sort());
  assert.deepEqual(fills, ['#1a7f37', '#9a6700', '#cf222e']);
  assert.deepEqual(await outcomesChart.locator('.recharts-legend-item-text').allTextContents(), ['Delivered', 'Deferred (will retry)', 'Bounced']);
  await outcomesChart.getByText('09:00').waitFor();
  await page.getByText('Numbers per hour').click();
  await page.getByRole('row', { name: /27 Nov 09:00 \(\+01:00\) 0 4 1/ }).waitFor();

  // Deferrals: the reply exactly as received, not trimmed or collapsed.
  const shown = page.getByTestId('deferral-reply');
  await shown.waitFor({ timeout: 10_000 });
  assert.equal(await shown.textContent(), reply);
  const row = page.getByTestId('top-deferrals-table').locator('tbody tr').first();
  assert.deepEqual((await row.locator('td').allTextContents()).filter((_text, index) => index !== 2), ['6', '451 4.7.1', 'example.com, example.org', '27 Nov 09:42 (+01:00)']);

  await page.setViewportSize({ width: 1200, height: 800 });
  await page.screenshot({ path: resultPath('charts-screen.png'), fullPage: true }); // for a human look, not compared
});

test('charts screen: the queue line breaks where the engine recorded no sample', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const now = Date.now();
  // Once a minute for 5 minutes, then 3 hours with no sample (engine stopped), then 5 more minutes.
  const minutesAgo = [250, 249, 248, 247, 246, 5, 4, 3, 2, 1];
  await harness.answer('domains.list', { items: [] });
  await harness.answer('stats.queueSeries', {
    points: minutesAgo.map((ago) => ({ time: new Date(now - ago * 60_000).toISOString(), total: 3, held: 0, domains: { 'example.com': 3 } })),
    domains: ['example.com'],
  });
  await harness.answer('stats.queueAges', ages);
  await harness.answer('stats.outcomesByHour', { hours: [] });
  await harness.answer('stats.topDeferrals', { replies: [] });
  await harness.mount(SCREEN, 'ChartsScreen', { params: { range: '6h' } });
  const curves = harness.page.getByTestId('queue-series-chart').locator('.recharts-line-curve');
  await curves.first().waitFor({ state: 'attached', timeout: 10_000 }); // a flat line has no height: not "visible"
  const moves = await curves.evaluateAll((paths) => paths.map((path) => (path.getAttribute('d') ?? '').split('M').length - 1));
  assert.deepEqual(moves, [2, 2], 'total and example.com each drawn as two segments');
});
