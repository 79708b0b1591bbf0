import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import { domainList } from './fixtures/domain-list.js';
import { localDateIn } from './fixtures/local-date.js';

const SCREEN = 'renderer/src/features/charts/charts-screen.tsx';
const HOUR_MS = 3_600_000;

async function answerEmpty(harness: ComponentPage): Promise<void> {
  await harness.answer('domains.list', domainList('example.com'));
  await harness.answer('stats.queueSeries', { points: [], domains: [] });
  await harness.answer('stats.queueAges', { bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280], domains: [], totals: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  await harness.answer('stats.outcomesByHour', { hours: [] });
  await harness.answer('stats.topDeferrals', { replies: [] });
}

async function lastInput(harness: ComponentPage, method: string): Promise<Record<string, unknown>> {
  const calls = (await harness.calls()).filter((call) => call.method === method);
  const last = calls[calls.length - 1];
  assert.ok(last, `no ${method} call`);
  return last.input as Record<string, unknown>;
}

test('charts screen: the range picker asks for the matching window', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  await answerEmpty(harness);
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });
  await harness.page.getByText('No samples yet').waitFor({ timeout: 10_000 });

  const first = await lastInput(harness, 'stats.queueSeries');
  assert.ok(Math.abs(Date.now() - 24 * HOUR_MS - Date.parse(String(first.since))) < 2 * 60_000, `default is the last 24 hours, got ${String(first.since)}`);

  for (const [label, hours] of [['Last 6 hours', 6], ['Last 7 days', 7 * 24], ['Last hour', 1], ['Last 30 days', 30 * 24]] as const) {
    await harness.page.getByLabel('Range').selectOption({ label });
    await harness.page.waitForFunction((since) => {
      const calls = (globalThis as unknown as { harness: { calls: { method: string; input: { since: string } }[] } }).harness.calls.filter((call) => call.method === 'stats.queueSeries');
      return Math.abs(Date.parse(calls[calls.length - 1]?.input.since ?? '') - since) < 2 * 60_000;
    }, Date.now() - hours * HOUR_MS);
    const input = await lastInput(harness, 'stats.queueSeries');
    assert.deepEqual(Object.keys(input), ['since'], 'no until (= now) and no domain filter');
  }
});

test('charts screen: domain filter, period and time zone go into every request', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'America/New_York' });
  if (!harness) return;
  await answerEmpty(harness);
  await harness.mount(SCREEN, 'ChartsScreen', { params: {} });
  const page = harness.page;
  await page.getByText('No delivery attempts in this period.').waitFor({ timeout: 10_000 });

  // Default: yesterday and today in the computer's zone.
  const now = Date.now();
  const expected = { from: localDateIn('America/New_York', now - 24 * HOUR_MS), to: localDateIn('America/New_York', now), timeZone: 'America/New_York' };
  assert.deepEqual(await lastInput(harness, 'stats.outcomesByHour'), expected);
  assert.deepEqual(await lastInput(harness, 'stats.topDeferrals'), { ...expected, limit: 10 });

  await page.getByLabel('Domain').selectOption('example.com');
  await page.getByLabel('First day').fill('2026-11-01');
  await page.getByLabel('Last day').fill('2026-11-03');
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  const period = { from: '2026-11-01', to: '2026-11-03', timeZone: 'Asia/Tokyo', domain: 'example.com' };
  await page.waitForFunction(() => {
    const calls = (globalThis as unknown as { harness: { calls: { method: string; input: { timeZone?: string } }[] } }).harness.calls;
    return calls.some((call) => call.method === 'stats.topDeferrals' && call.input.timeZone === 'Asia/Tokyo');
  });
  assert.deepEqual(await lastInput(harness, 'stats.outcomesByHour'), period);
  assert.deepEqual(await lastInput(harness, 'stats.topDeferrals'), { ...period, limit: 10 });
  assert.equal((await lastInput(harness, 'stats.queueSeries')).domain, 'example.com');

  // A period the engine would refuse is explained beside the fields and not sent.
  const before = (await harness.calls()).length;
  await page.getByLabel('Last day').fill('2026-12-15');
  await page.getByText('That is 45 days: choose at most 31.').waitFor();
  await page.getByText('Choose a valid period above to see the outcomes.').waitFor();
  const sent = (await harness.calls()).slice(before).filter((call) => call.method === 'stats.outcomesByHour' || call.method === 'stats.topDeferrals');
  assert.equal(sent.length, 0);
});

test('charts screen: the age chart follows queue.changed events', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  await answerEmpty(harness);
  await harness.mount(SCREEN, 'ChartsScreen', { params: { domain: 'example.com' } });
  const page = harness.page;
  await page.getByText('No messages queued for example.com: nothing is stuck.').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByLabel('Domain').inputValue(), 'example.com', 'the route param sets the filter');

  await harness.answer('stats.queueAges', {
    bucketMinutes: [5, 10, 20, 40, 80, 160, 320, 640, 1280],
    domains: [{ domain: 'example.com', total: 1, held: 0, counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] }],
    totals: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  });
  await harness.emit('queue.changed', { domains: ['example.com'], queued: 1 });
  await page.getByTestId('queue-ages-chart').locator('.recharts-bar-rectangle').first().waitFor({ timeout: 10_000 });
  assert.deepEqual(await page.locator('tr[data-domain="example.com"] td').allTextContents(), ['1', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0']);
});
