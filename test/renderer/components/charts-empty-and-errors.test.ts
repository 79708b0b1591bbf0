import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';

const SCREEN = 'renderer/src/features/charts/charts-screen.tsx';

test('charts screen: every chart says in words that there is nothing to show', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  await harness.answer('domains.list', { items: [] });
  await harness.answer('stats.queueSeries', { points: [], domains: [] });
  await harness.answer('stats.queueAges', { bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280], domains: [], totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  await harness.answer('stats.outcomesByHour', { hours: [{ hour: '2026-11-27T09:00:00Z', delivered: 0, deferred: 0, bounced: 0 }] });
  await harness.answer('stats.topDeferrals', { replies: [] });
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });

  const page = harness.page;
  await page.getByRole('heading', { name: 'Charts of stuck messages', level: 1 }).waitFor({ timeout: 10_000 });
  await page.getByText('No samples yet: the engine records the queue size every minute.').waitFor({ timeout: 10_000 });
  await page.getByText('No messages queued: nothing is stuck.').waitFor();
  await page.getByText('No delivery attempts in this period.').waitFor();
  await page.getByText('No deferred delivery attempts in this period.').waitFor();
  for (const heading of ['Queue size over time', 'Age of queued messages', 'Delivery outcomes per hour', 'Most frequent deferral replies']) {
    assert.equal(await page.getByRole('heading', { name: heading, level: 2 }).count(), 1, heading);
  }
  assert.equal(await page.locator('.recharts-surface').count(), 0, 'no empty chart is drawn');
  // Every control is labelled, so it can be reached and named by keyboard and screen reader.
  for (const label of ['Domain', 'Range', 'First day', 'Last day', 'Time zone']) assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
});

test('charts screen: an API failure says what went wrong and offers to try again', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  await harness.answer('domains.list', { items: [] });
  await harness.answer('stats.queueSeries', { points: [], domains: [] });
  await harness.fail('stats.queueAges', { code: 'SPOOL_UNREADABLE', message: 'The spool folder cannot be read: check that the data folder is on a mounted disk, then try again' });
  await harness.answer('stats.outcomesByHour', { hours: [] });
  await harness.answer('stats.topDeferrals', { replies: [] });
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });

  const page = harness.page;
  const ages = page.getByRole('region', { name: 'Age of queued messages' });
  const alert = ages.getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.equal(
    await alert.textContent(),
    'Loading the ages of queued messages failed: The spool folder cannot be read: check that the data folder is on a mounted disk, then try again',
  );
  // The other charts are not taken down by one failure.
  await page.getByText('No samples yet: the engine records the queue size every minute.').waitFor();

  await harness.answer('stats.queueAges', { bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280], domains: [], totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  await ages.getByRole('button', { name: 'Try again' }).click();
  await ages.getByText('No messages queued: nothing is stuck.').waitFor({ timeout: 10_000 });
  assert.equal(await ages.getByRole('alert').count(), 0);
});

test('charts screen: an unreachable engine is reported with what to do', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  await harness.answer('domains.list', { items: [] });
  await harness.answer('stats.queueAges', { bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280], domains: [], totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  await harness.answer('stats.outcomesByHour', { hours: [] });
  await harness.answer('stats.topDeferrals', { replies: [] });
  // A bridge that throws (not an API error result) is what a dead IPC channel or HTTP connection looks like.
  // Page source as a string: tsx would wrap a function literal's inner functions in a helper the page lacks.
  await harness.page.evaluate(`(() => {
    const bridge = globalThis.mxSpool;
    const api = bridge.api;
    bridge.api = new Proxy({}, { get: (_target, method) => (method === 'stats.queueSeries' ? () => Promise.reject(new TypeError('Failed to fetch')) : api[method]) });
  })()`);
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });
  const alert = harness.page.getByRole('region', { name: 'Queue size over time' }).getByRole('alert');
  await alert.waitFor({ timeout: 10_000 });
  assert.match((await alert.textContent()) ?? '', /^Loading the queue size failed: Failed to fetch — is MX Spool still running\? Reload this page when it is\.$/);
});
