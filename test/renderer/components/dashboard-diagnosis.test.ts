import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiOutput } from '../../../electron/contract/api-contract.js';
import { openComponentPage } from '../../support/component-page.js';
import { destinationLimits, probeState, summary, summaryDomain } from './fixtures/summary.js';

const DASHBOARD = 'renderer/src/features/dashboard/dashboard.tsx';
const TOO_MANY = '421 4.7.0 Too many connections from 192.0.2.7, try again later';

test('dashboard: a card shows the lowered connection limit with its reason and the recovery checks while deferred', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t); // the browser is in UTC
  if (!harness) return;
  const { page } = harness;
  // The probe interval is read from the last and next probe times: 2 minutes apart.
  await harness.answer('stats.summary', deferredWithLimits(todayAt('23:12'), todayAt('23:14')));
  await harness.mount(DASHBOARD, 'Dashboard');
  const card = page.locator('[data-domain="example.com"]');
  const throttle = card.getByTestId('throttle');
  await throttle.waitFor({ timeout: 10_000 });
  assert.equal(await throttle.count(), 1, 'only the limited server is listed');
  assert.equal(await throttle.textContent(), `mail.example.com:25: Limited to 2 connections (of 10) since 23:10: the server answered ${TOO_MANY}`);
  assert.equal(await card.getByTestId('probe').textContent(), 'Checking the server every 2 min; last check 23:12: no answer');
  await page.screenshot({ path: 'test-results/dashboard-throttle-probe.png', fullPage: true });
});

test('dashboard: "Why is mail stuck?" opens a region with the summary and each cause, fix and exact reply', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await harness.answer('stats.summary', summary({ queued: 40, domains: [summaryDomain('example.com', { queued: 40, reachable: true }), summaryDomain('example.org')] }));
  await harness.answer('diagnosis.domain', diagnosis);
  await harness.mount(DASHBOARD, 'Dashboard');
  const card = page.locator('[data-domain="example.com"]');
  const button = card.getByRole('button', { name: 'Why is mail stuck?' });
  await button.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('[data-domain="example.org"]').getByRole('button', { name: 'Why is mail stuck?' }).count(), 0, 'not on a card with nothing queued');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'diagnosis.domain'), [], 'nothing is read until asked');

  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const region = card.getByRole('region', { name: 'Why mail for example.com is stuck' });
  await region.getByTestId('diagnosis-summary').filter({ hasText: diagnosis.summary }).waitFor({ timeout: 10_000 });
  const cause = region.locator('[data-category="rate-limited"]');
  assert.equal(await cause.getByRole('heading').textContent(), 'Too many connections or messages (38 of 40 attempts)');
  assert.equal(await cause.getByTestId('cause-fix').textContent(), `What to do: ${FIX}`);
  assert.equal(await cause.locator('pre').textContent(), TOO_MANY_MULTILINE, 'the reply exactly as received, lines and all');
  assert.equal(await region.locator('[data-category="delivered"]').count(), 0, 'deliveries are not a cause');
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'diagnosis.domain'), [{ method: 'diagnosis.domain', input: { domain: 'example.com' } }]);
  await page.screenshot({ path: 'test-results/dashboard-why-stuck.png', fullPage: true });

  await page.keyboard.press('Enter'); // the button kept the focus: it closes the region again
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await region.isHidden(), true);
});

const FIX = 'Exempt 192.0.2.7 from connection rate limiting on the firewall or the Exchange receive connector.';
const TOO_MANY_MULTILINE = '421-4.7.0 Too many connections from 192.0.2.7\n421 4.7.0   try again later';

const diagnosis: ApiOutput<'diagnosis.domain'> = {
  domain: 'example.com',
  attempts: 40,
  oldest: '2026-11-27T20:00:00.000Z',
  newest: '2026-11-27T23:10:00.000Z',
  topCategory: 'rate-limited',
  summary: `Your server limited connections from 192.0.2.7 on 38 of 40 attempts: ${FIX}`,
  causes: [
    {
      category: 'rate-limited',
      title: 'Too many connections or messages',
      explanation: 'mail.example.com refused more connections from 192.0.2.7.',
      fix: FIX,
      count: 38,
      share: '38 of 40 attempts',
      sourceAddresses: ['192.0.2.7'],
      destinations: ['mail.example.com:25'],
      lastSeen: '2026-11-27T23:10:00.000Z',
      example: {
        time: '2026-11-27T23:10:00.000Z',
        destination: 'mail.example.com:25',
        localAddress: '192.0.2.7',
        remoteAddress: '198.51.100.25',
        stage: 'banner',
        code: 421,
        enhancedCode: '4.7.0',
        response: TOO_MANY_MULTILINE,
        errorCode: 'ECONNECTION',
      },
    },
    {
      category: 'delivered',
      title: 'Delivered',
      explanation: 'Accepted.',
      fix: '',
      count: 2,
      share: '2 of 40 attempts',
      sourceAddresses: ['192.0.2.7'],
      destinations: ['mail.example.com:25'],
      lastSeen: '2026-11-27T22:00:00.000Z',
      example: { time: '2026-11-27T22:00:00.000Z', destination: 'mail.example.com:25', localAddress: '192.0.2.7', remoteAddress: '198.51.100.25', stage: 'done', code: 250, enhancedCode: '2.0.0', response: '250 2.0.0 Ok', errorCode: null },
    },
  ],
};

/** Today at hh:mm UTC (the browser's zone here), so the card shows the time without a date. */
function todayAt(hhmm: string): string {
  return `${new Date().toISOString().slice(0, 10)}T${hhmm}:00.000Z`;
}

/** example.com deferred and probed, its first server limited after a 421, its second at the configured limit. */
function deferredWithLimits(lastProbeAt: string, nextProbeAt: string) {
  return summary({
    queued: 4,
    domains: [
      summaryDomain('example.com', {
        queued: 4,
        reachable: false,
        suspendedUntil: '2099-01-01T10:00:00.000Z',
        probe: probeState({ lastProbeAt, nextProbeAt, lastResult: 'failed' }),
        destinations: [
          destinationLimits('mail.example.com:25', { connectionLimit: 2, reason: TOO_MANY, since: todayAt('23:10') }),
          destinationLimits('backup.example.com:25'),
        ],
      }),
    ],
  });
}
