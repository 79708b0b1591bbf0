import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { domainSchema, settingsSchema, type DomainInput } from '../../../electron/contract/settings-schema.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { summary, summaryDomain } from './fixtures/summary.js';

const SCREEN = 'renderer/src/features/domains/domains-screen.tsx';


const officeDomain: DomainInput = { name: 'example.com', held: true, destinations: [{ host: 'mail.example.com' }, { host: '10.0.0.2', port: 2525, tls: 'required' }] };

async function openList(t: TestContext): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t);
  if (!harness) return null;
  const items = [domainSchema.parse(officeDomain), domainSchema.parse({ name: 'example.org', enabled: false, destinations: [{ host: 'mx.example.org' }] })];
  await harness.answer('domains.list', { items });
  await harness.answer('settings.get', settingsSchema.parse({ domains: items }));
  await harness.answer('stats.summary', summary({ queued: 3, held: 3, domains: [summaryDomain('example.com', { queued: 3, held: 3 })] }));
  await harness.mount(SCREEN, 'DomainsScreen', { params: {} });
  await harness.page.locator('tr[data-domain="example.com"]').getByTestId('queued').filter({ hasText: '3' }).waitFor({ timeout: 10_000 });
  return harness;
}

test('the list shows each domain with its mail servers in order and its queued count', { timeout: 60_000 }, async (t) => {
  const harness = await openList(t);
  if (!harness) return;
  const row = harness.page.locator('tr[data-domain="example.com"]');
  assert.deepEqual(await row.locator('.server-list li').allInnerTexts(), ['mail.example.com:25 (TLS if offered)', '10.0.0.2:2525 (TLS required)']);
  assert.match(await row.innerText(), /Enabled\s*Mail held/);
  assert.match(await harness.page.locator('tr[data-domain="example.org"]').innerText(), /Disabled/);
  await harness.page.screenshot({ path: 'test-results/domains-list.png', fullPage: true });
});

test('disabling a domain saves it with enabled: false and leaves its hold alone', { timeout: 60_000 }, async (t) => {
  const harness = await openList(t);
  if (!harness) return;
  const { held: _held, ...unheld } = domainSchema.parse(officeDomain);
  await harness.answer('domains.save', { domain: { ...domainSchema.parse(officeDomain), enabled: false }, created: false, retried: 0 });
  await harness.page.getByRole('button', { name: 'Disable example.com' }).click();
  await harness.page.getByRole('status').filter({ hasText: 'example.com disabled: MX Spool now refuses new mail for it' }).waitFor({ timeout: 10_000 });
  const saves = (await harness.calls()).filter((call) => call.method === 'domains.save');
  assert.deepEqual(saves.map((call) => call.input), [{ ...unheld, enabled: false }]);
});

test('removing a domain asks first, saying its queued messages stay, and Escape keeps it', { timeout: 60_000 }, async (t) => {
  const harness = await openList(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('button', { name: 'Remove example.com' }).click();
  const confirmation = page.getByRole('group', { name: 'Remove example.com' });
  assert.match(await confirmation.innerText(), /Its 3 queued messages stay in the queue until you deliver or delete them/);
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent), 'Cancel', 'the safe choice has the focus');
  await page.keyboard.press('Escape');
  await confirmation.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label')), 'Remove example.com');

  await page.keyboard.press('Enter'); // the focused Remove button again
  await harness.answer('domains.remove', { removed: true, queued: 3 });
  await harness.answer('domains.list', { items: [domainSchema.parse({ name: 'example.org', enabled: false, destinations: [{ host: 'mx.example.org' }] })] });
  await page.getByRole('button', { name: 'Yes, remove example.com' }).click();
  await page.getByRole('status').filter({ hasText: 'example.com removed. 3 queued messages stay in the queue' }).waitFor({ timeout: 10_000 });
  await page.locator('tr[data-domain="example.com"]').waitFor({ state: 'detached' });
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'domains.remove').map((call) => call.input), [{ name: 'example.com' }]);
  assert.equal(await page.getByRole('link', { name: 'Open the queue for example.com' }).getAttribute('href'), '#/queue?domain=example.com');
});
