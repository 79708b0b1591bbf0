import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';
import { summary as summaryOf, summaryDomain, type Summary, type SummaryDomain } from './fixtures/summary.js';

/** The dashboard with example.com alone, its mail server found unreachable unless `domain` says otherwise. */
function summary(domain: Partial<SummaryDomain>): Summary {
  return summaryOf({ queued: domain.queued ?? 0, domains: [summaryDomain('example.com', { reachable: false, ...domain })] });
}

test('dashboard: Retry now shows a progress bar while the due backlog drains, then hides it', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await harness.answer('stats.summary', summary({ queued: 10, due: 0, suspendedUntil: '2026-11-27T10:00:00.000Z' }));
  await harness.mount('renderer/src/features/dashboard/dashboard.tsx', 'Dashboard');
  const card = page.locator('[data-domain="example.com"]');
  await card.getByTestId('reachable').filter({ hasText: /^Not reachable; new mail waits until/ }).waitFor({ timeout: 10_000 });

  await harness.answer('queue.retry', { count: 10 });
  await harness.answer('stats.summary', summary({ queued: 10, due: 10 }));
  await card.getByRole('button', { name: 'Retry now' }).click();
  const bar = card.getByRole('progressbar', { name: 'Retrying example.com' });
  await bar.waitFor({ timeout: 10_000 });
  assert.equal(await bar.getAttribute('value'), '0');

  await harness.answer('stats.summary', summary({ queued: 7, due: 4, reachable: true }));
  await harness.emit('queue.changed', { domains: ['example.com'], queued: 7 });
  await card.getByText('6 of 10').waitFor({ timeout: 10_000 });
  assert.equal(await card.getByRole('button', { name: 'Retrying…' }).isDisabled(), true, 'no second retry while draining');

  await harness.answer('stats.summary', summary({ queued: 0, due: 0, reachable: true }));
  await harness.emit('queue.changed', { domains: ['example.com'], queued: 0 });
  await bar.waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await card.getByTestId('reachable').textContent(), 'Reachable');
  const retries = (await harness.calls()).filter((call) => call.method === 'queue.retry');
  assert.deepEqual(retries, [{ method: 'queue.retry', input: { domain: 'example.com' } }]);
});
