import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../../electron/contract/alerts-schema.js';
import { openComponentPage } from '../../support/component-page.js';
import { summary, summaryDomain } from './fixtures/summary.js';

const stuck: Alert = {
  id: 'a1',
  time: '2026-11-27T22:00:00.000Z',
  kind: 'stuck',
  domain: 'example.com',
  message: 'Mail for example.com has waited 61 minutes: its mail server refuses connections. Check the server and its firewall.',
  count: 3,
};

test('dashboard: recent alerts are listed, and a new one appears when the engine raises it', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'UTC' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('stats.summary', summary({ domains: [summaryDomain('example.com', { queued: 3 })] }));
  await harness.answer('alerts.list', { items: [] });
  await harness.mount('renderer/src/features/dashboard/dashboard.tsx', 'Dashboard');
  await page.locator('[data-domain="example.com"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('heading', { name: 'Recent alerts' }).count(), 0, 'no section while there are no alerts');

  const recovered: Alert = { ...stuck, id: 'a2', time: '2026-11-27T22:30:00.000Z', kind: 'recovered', message: 'Mail for example.com is delivered again.' };
  await harness.answer('alerts.list', { items: [recovered, stuck] });
  await harness.emit('alert.raised', recovered);
  const section = page.getByRole('region', { name: 'Recent alerts' });
  await section.getByTestId('alert').nth(1).waitFor({ timeout: 10_000 });
  const texts = await section.getByTestId('alert').allTextContents();
  assert.match(texts[0]!, /^Recovered example\.com, .*: Mail for example\.com is delivered again\./);
  assert.match(texts[1]!, /^Stuck example\.com, .*has waited 61 minutes/);
});

test('dashboard: more than five alerts can all be shown, each stuck one linking to its domain\'s queue', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'UTC' });
  if (!harness) return;
  const { page } = harness;
  const items: Alert[] = Array.from({ length: 8 }, (_, index) => ({ ...stuck, id: `s${index}`, domain: `d${index}.example`, time: `2026-11-27T${String(20 - index).padStart(2, '0')}:00:00.000Z` }));
  await harness.answer('stats.summary', summary({ domains: [summaryDomain('example.com', { queued: 3 })] }));
  await harness.answer('alerts.list', { items });
  await harness.mount('renderer/src/features/dashboard/dashboard.tsx', 'Dashboard');
  const section = page.getByRole('region', { name: 'Recent alerts' });
  await section.getByTestId('alert').first().waitFor({ timeout: 10_000 });
  assert.equal(await section.getByTestId('alert').count(), 5, 'the newest five at first');

  const more = section.getByRole('button', { name: 'Show all 8 alerts' });
  await more.focus();
  await page.keyboard.press('Enter');
  const all = page.getByRole('region', { name: 'All alerts' });
  await all.getByTestId('alert').nth(7).waitFor({ timeout: 10_000 });
  assert.equal(await all.getByRole('button', { name: 'Show the newest 5' }).getAttribute('aria-expanded'), 'true');
  assert.equal(await all.getByRole('link', { name: 'Open the queue of d7.example' }).getAttribute('href'), '#/queue?domain=d7.example');
});
