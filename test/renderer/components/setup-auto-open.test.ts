import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import { domainList } from './fixtures/domain-list.js';
import { appInfo, freshSettings, waitingForDomain } from './fixtures/setup.js';
import { summary } from './fixtures/summary.js';

const APP = 'renderer/src/app.tsx';

interface HashGlobals {
  location: { hash: string };
  history: { replaceState(data: null, unused: string, url: string): void };
}

/** The whole app, loaded afresh at `hash` (as a page load would be), with this install's state. */
async function loadApp(harness: ComponentPage, state: { done: boolean; domains: string[] }, hash = '') {
  await harness.answer('settings.get', freshSettings(state.done));
  await harness.answer('domains.list', domainList(...state.domains));
  await harness.answer('stats.summary', summary({ listener: waitingForDomain }));
  await harness.answer('alerts.list', { items: [] });
  await harness.answer('app.info', appInfo('desktop'));
  await harness.page.evaluate((url) => (globalThis as unknown as HashGlobals).history.replaceState(null, '', url), `/${hash}`);
  await harness.mount(APP, 'App');
}

const hash = (harness: ComponentPage) => harness.page.evaluate(() => (globalThis as unknown as HashGlobals).location.hash);

test('app: a new install (setup not done, no domain) opens on the setup, once; otherwise the app opens where it was asked to', { timeout: 90_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  const dashboard = page.getByRole('heading', { level: 1, name: 'Dashboard' });
  const setup = page.getByRole('heading', { level: 1, name: 'Set up MX Spool' });

  await loadApp(harness, { done: false, domains: [] });
  await setup.waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '#/setup');
  // Not forced later: the admin goes to the dashboard and stays there while nothing has changed.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Dashboard' }).click();
  await dashboard.waitFor({ timeout: 10_000 });
  await page.getByText('No domains yet.').waitFor({ timeout: 10_000 });
  await page.getByTestId('receiving-banner').filter({ hasText: 'Receiving starts when you add your first domain' }).waitFor();
  assert.equal(await hash(harness), '#/dashboard');

  // Setup finished or skipped: the dashboard, even without a domain. The dashboard is drawn only once the
  // answer is known, so seeing it means the app decided not to open the setup.
  await loadApp(harness, { done: true, domains: [] });
  await dashboard.waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '');

  // A domain exists (set up before this version had a setup): the dashboard.
  await loadApp(harness, { done: false, domains: ['example.com'] });
  await dashboard.waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '');

  // A link to another screen is followed, first run or not.
  await loadApp(harness, { done: false, domains: [] }, '#/about');
  await page.getByRole('heading', { level: 1, name: 'About MX Spool' }).waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '#/about');
});

test('app: app.navigate from the desktop host shows the screen asked for; anything but a #/ route is ignored', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await loadApp(harness, { done: true, domains: ['example.com'] });
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: 10_000 });

  await harness.emit('app.navigate', { route: '#/about' });
  await page.getByRole('heading', { level: 1, name: 'About MX Spool' }).waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '#/about');
  assert.equal(await page.getByRole('navigation', { name: 'Screens' }).locator('[aria-current="page"]').textContent(), 'About');

  await harness.emit('app.navigate', { route: 'https://example.net/#/settings' });
  await harness.emit('app.navigate', { route: 'settings' });
  assert.equal(await hash(harness), '#/about', 'not a #/ route: ignored');
  await harness.emit('app.navigate', { route: '#/dashboard' });
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: 10_000 });
  assert.equal(await hash(harness), '#/dashboard');
});
