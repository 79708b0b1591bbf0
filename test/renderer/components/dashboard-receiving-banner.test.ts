import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';
import { listeningOn, paused, waitingForDomain } from './fixtures/setup.js';
import { summary, summaryDomain } from './fixtures/summary.js';

const DASHBOARD = 'renderer/src/features/dashboard/dashboard.tsx';

test('dashboard: receiving paused shows a banner whose Resume calls listener.resume, and the banner goes once receiving', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await harness.answer('alerts.list', { items: [] });
  await harness.answer('stats.summary', summary({ domains: [summaryDomain('example.com')], listener: paused }));
  await harness.mount(DASHBOARD, 'Dashboard');
  const banner = page.getByTestId('receiving-banner');
  await banner.filter({ hasText: 'Receiving is paused.' }).waitFor({ timeout: 10_000 });

  await harness.answer('listener.resume', listeningOn(25));
  await harness.answer('stats.summary', summary({ domains: [summaryDomain('example.com')], listener: listeningOn(25) }));
  await banner.getByRole('button', { name: 'Resume receiving' }).click();
  await page.getByText('Receiving mail on 0.0.0.0:25.').waitFor({ timeout: 10_000 });
  await banner.waitFor({ state: 'detached', timeout: 10_000 });
  assert.deepEqual(
    (await harness.calls()).filter((call) => call.method === 'listener.resume'),
    [{ method: 'listener.resume', input: {} }],
  );
});

test('dashboard: while waiting for the first domain it says so and links to the setup and the domain form; no banner when receiving', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await harness.answer('alerts.list', { items: [] });
  await harness.answer('stats.summary', summary({ listener: waitingForDomain }));
  await harness.mount(DASHBOARD, 'Dashboard');
  const banner = page.getByTestId('receiving-banner');
  await banner.filter({ hasText: 'Receiving starts when you add your first domain.' }).waitFor({ timeout: 10_000 });
  assert.equal(await banner.getByRole('link', { name: 'Run the setup' }).getAttribute('href'), '#/setup');
  assert.equal(await banner.getByRole('link', { name: 'add a domain' }).getAttribute('href'), '#/domains?add=1');
  assert.equal(await page.locator('.error-notice').count(), 0, 'waiting on purpose is not shown as a fault');

  await harness.answer('stats.summary', summary({ domains: [summaryDomain('example.com')], listener: listeningOn(25) }));
  await harness.emit('listener.status', { listening: true, error: null, paused: false, waitingForDomain: false });
  await page.getByText('Receiving mail on 0.0.0.0:25.').waitFor({ timeout: 10_000 });
  assert.equal(await banner.count(), 0);
});
