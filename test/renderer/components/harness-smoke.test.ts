import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage } from '../../support/component-page.js';
import { summary } from './fixtures/summary.js';

test('component harness mounts a real renderer component and records its API calls', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Asia/Tokyo' });
  if (!harness) return;
  await harness.answer('stats.summary', summary({ queued: 3 }));
  await harness.mount('renderer/src/features/dashboard/dashboard.tsx', 'Dashboard');
  await harness.page.getByTestId('total-queued').filter({ hasText: '3' }).waitFor({ timeout: 10_000 });
  const calls = await harness.calls();
  assert.ok(calls.some((call) => call.method === 'stats.summary'));
  assert.equal(await harness.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), 'Asia/Tokyo');
});
