import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import type { ApiOutput } from '../../../electron/contract/api-contract.js';
import type { QueueItem } from '../../../electron/contract/queue-schema.js';
import type { AttemptRecord } from '../../../electron/contract/report-schema.js';
import { parseRoute } from '../../../renderer/src/ui/route.js';
import { resultPath } from '../../support/chromium.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { summary as summaryOf, summaryDomain } from './fixtures/summary.js';

const SCREEN = 'renderer/src/features/queue/queue-screen.tsx';
const GREYLISTED = '451 4.7.1 <bob@example.com>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/example.com.html for the reason';
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function queueItem(id: string, overrides: Partial<QueueItem> = {}): QueueItem {
  const to = overrides.to ?? [`${id}@example.com`];
  return {
    id,
    domain: 'example.com',
    from: 'alice@example.net',
    to,
    recipients: to.map((address) => ({ address, status: 'deferred' as const, code: 451, response: GREYLISTED })),
    size: 4300,
    state: 'queued',
    createdAt: minutesAgo(185),
    attempts: 3,
    nextAttemptAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    lastAttemptAt: minutesAgo(5),
    lastResponse: GREYLISTED,
    expiresAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
    messageId: `<${id}@mail.example.net>`,
    subject: 'Quarterly report',
    kind: 'inbound',
    ...overrides,
  };
}

const items = [
  queueItem('q1', { from: '', kind: 'bounce', to: ['alice@example.com', 'bob@example.com', 'carol@example.com'], lastCategory: 'greylisted' }),
  queueItem('q2', { state: 'held', nextAttemptAt: null, size: 3_500_000 }),
  queueItem('q3', { domain: 'example.org', lastResponse: null, attempts: 0, lastCategory: null }),
];

const summary = summaryOf({
  queued: 150,
  held: 2,
  oldestCreatedAt: minutesAgo(185),
  domains: [summaryDomain('example.com', { queued: 150, held: 2, oldestCreatedAt: minutesAgo(185) }), summaryDomain('example.org', { queued: 1, oldestCreatedAt: minutesAgo(185) })],
});

function attempt(overrides: Partial<AttemptRecord>): AttemptRecord {
  return {
    time: minutesAgo(180),
    queueId: 'q1',
    messageId: '<q1@mail.example.net>',
    domain: 'example.com',
    from: '',
    recipients: ['alice@example.com'],
    destination: 'mail.example.com:25',
    remoteAddress: '192.0.2.10',
    localAddress: '198.51.100.2',
    stage: 'rcpt',
    code: 451,
    enhancedCode: '4.7.1',
    response: GREYLISTED,
    errorCode: null,
    durationMs: 412,
    outcome: 'deferred',
    ...overrides,
  };
}

/**
 * A page with the queue screen mounted over canned answers; null when Chromium is missing. `hash` is the
 * address the app would show it at: the screen writes its view there only while the address is its own.
 */
async function queuePage(t: TestContext, params: Record<string, string> = {}, list: ApiOutput<'queue.list'> = { total: 250, items }, hash?: string, locale?: string): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t, locale ? { locale } : {});
  if (!harness) return null;
  await harness.answer('stats.summary', summary);
  await harness.answer('queue.list', list);
  if (hash !== undefined) await harness.page.evaluate((href) => void ((globalThis as unknown as PageGlobals).location.hash = href), hash);
  await harness.mount(SCREEN, 'QueueScreen', { params });
  return harness;
}

function addressOf(page: Page): Promise<{ hash: string; entries: number }> {
  return page.evaluate(() => ({ hash: (globalThis as unknown as PageGlobals).location.hash, entries: (globalThis as unknown as PageGlobals).history.length }));
}

/** Waits until the address is `expected` (the screen writes it after rendering, and the search after its pause). */
async function expectHash(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((wanted) => (globalThis as unknown as PageGlobals).location.hash === wanted, expected, { timeout: 5_000 }).catch(async () => {
    assert.equal((await addressOf(page)).hash, expected, 'the address');
  });
}

async function callsOf(harness: ComponentPage, method: string): Promise<unknown[]> {
  return (await harness.calls()).filter((call) => call.method === method).map((call) => call.input);
}

/** The page's focused element. */
function focusedElement(page: Page): Promise<{ text: string | null; dataId: string | null }> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as PageGlobals).document.activeElement;
    return { text: active?.textContent ?? null, dataId: active?.getAttribute('data-id') ?? null };
  });
}

/** Waits until the last call of `method` had `expected` as input (the screen may ask more than once). */
async function expectLastInput(harness: ComponentPage, method: string, expected: unknown): Promise<void> {
  const deadline = Date.now() + 5_000;
  let last: unknown;
  while (Date.now() < deadline) {
    last = (await callsOf(harness, method)).at(-1);
    try {
      assert.deepEqual(last, expected);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  assert.deepEqual(last, expected, `last ${method} input`);
}

test('queue table shows one page of canned queue.list items, exactly, and refetches on queue.changed', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t);
  if (!harness) return;
  const { page } = harness;
  const table = page.getByRole('table', { name: 'Queued messages' });
  await table.waitFor({ timeout: 10_000 });
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });

  const first = table.locator('tr[data-id="q1"]');
  assert.equal(await first.getByTestId('sender').textContent(), '<>', 'the null sender is shown as <>');
  assert.match((await first.textContent()) ?? '', /alice@example\.com \+2 more/);
  assert.match((await first.textContent()) ?? '', /4\.2 KB/);
  assert.match((await first.textContent()) ?? '', /3 h 5 min/);
  const reply = first.getByTestId('last-reply');
  assert.equal(await reply.textContent(), GREYLISTED, 'the last reply is the exact text');
  assert.equal(await reply.getAttribute('title'), GREYLISTED, 'the full reply is in the tooltip');
  assert.equal(await first.getByTestId('last-category').textContent(), 'Greylisted', 'the last failure\'s category beside the reply');
  assert.equal(await table.locator('tr[data-id="q3"]').getByTestId('last-category').count(), 0, 'no category before any attempt');
  const held = table.locator('tr[data-id="q2"]');
  assert.match((await held.textContent()) ?? '', /3\.3 MB/);
  assert.match((await held.textContent()) ?? '', /Held/);
  assert.equal(await page.getByTestId('queue-range').textContent(), '1–3 of 250');
  assert.equal(await page.getByRole('columnheader', { name: 'Age', exact: true }).getAttribute('aria-sort'), 'descending', 'oldest first = ages descending');
  await page.screenshot({ path: resultPath('queue-screen.png'), fullPage: true }); // for a human look

  const before = (await callsOf(harness, 'queue.list')).length;
  await harness.answer('queue.list', { total: 1, items: [queueItem('q9', { from: 'zed@example.net' })] });
  await harness.emit('queue.changed', { domains: ['example.com'], queued: 1 });
  await table.locator('tr[data-id="q9"]').waitFor({ timeout: 5_000 });
  assert.ok((await callsOf(harness, 'queue.list')).length > before, 'queue.changed refetched queue.list');
  assert.equal(await table.locator('tbody tr').count(), 1);

  // A burst of events while the engine is busy listing costs one or two more requests, not one each.
  await page.waitForTimeout(400);
  const beforeBurst = (await callsOf(harness, 'queue.list')).length;
  for (let index = 0; index < 10; index += 1) await harness.emit('queue.changed', { domains: ['example.com'], queued: index });
  await page.waitForTimeout(1_000);
  const burst = (await callsOf(harness, 'queue.list')).length - beforeBurst;
  assert.ok(burst >= 1 && burst <= 2, `10 events caused ${burst} queue.list requests`);
});

test('sorting, filters, search and paging send the matching queue.list input', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table', { name: 'Queued messages' }).waitFor({ timeout: 10_000 });

  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'size', order: 'desc', offset: 0, limit: 100 });
  assert.equal(await page.getByRole('columnheader', { name: 'Size', exact: true }).getAttribute('aria-sort'), 'descending');
  assert.equal(await page.getByRole('columnheader', { name: 'Age', exact: true }).getAttribute('aria-sort'), null, 'only the sorted column has aria-sort');
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'size', order: 'asc', offset: 0, limit: 100 });
  await page.getByRole('button', { name: 'Age', exact: true }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });

  await page.getByRole('button', { name: 'Next page' }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 100, limit: 100 });
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  await page.getByRole('button', { name: 'Next page' }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 100, limit: 100 });

  // A filter starts again at the first page.
  await page.getByLabel('Domain', { exact: true }).selectOption('example.com');
  await expectLastInput(harness, 'queue.list', { domain: 'example.com', sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  await page.getByLabel('State', { exact: true }).selectOption('held');
  await page.getByLabel('Older than', { exact: true }).selectOption({ label: '1 h' });
  await expectLastInput(harness, 'queue.list', { domain: 'example.com', state: 'held', olderThanMinutes: 60, sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });

  // One input event per key, back to back: a pause between keys longer than the 300 ms debounce (seen once
  // on a loaded CI machine with 40 ms between keys) would rightly send a search for "b".
  await page.getByLabel('Search', { exact: true }).pressSequentially('bob');
  await expectLastInput(harness, 'queue.list', { domain: 'example.com', state: 'held', olderThanMinutes: 60, search: 'bob', sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  const searches = (await callsOf(harness, 'queue.list')).map((input) => (input as { search?: string }).search).filter(Boolean);
  assert.deepEqual([...new Set(searches)], ['bob'], 'the search is debounced: no request per key');

  await page.getByLabel('Per page', { exact: true }).selectOption('200');
  await expectLastInput(harness, 'queue.list', { domain: 'example.com', state: 'held', olderThanMinutes: 60, search: 'bob', sort: 'createdAt', order: 'asc', offset: 0, limit: 200 });

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 0, limit: 200 });
});

test('route params are the initial filters; empty and filtered-empty queues say so', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t, { domain: 'example.org', state: 'held', olderThanMinutes: '90' }, { total: 0, items: [] });
  if (!harness) return;
  const { page } = harness;
  await expectLastInput(harness, 'queue.list', { domain: 'example.org', state: 'held', olderThanMinutes: 90, sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  await page.getByText('No message matches these filters.').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByLabel('Domain', { exact: true }).inputValue(), 'example.org');
  assert.equal(await page.getByLabel('Older than', { exact: true }).inputValue(), '90');

  await harness.mount(SCREEN, 'QueueScreen', { params: {} });
  await page.getByText('The queue is empty: all mail has been delivered.').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('table', { name: 'Queued messages' }).count(), 0);
});

test('actions: Hold on two selected rows, Delete only after confirming, Retry for a whole domain', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t, { domain: 'example.com' });
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table', { name: 'Queued messages' }).waitFor({ timeout: 10_000 });
  const selectedGroup = page.getByRole('group', { name: 'Selected messages' });

  // Keyboard: the rows are one tab stop; arrows move, Space selects.
  await page.getByRole('button', { name: 'Next attempt', exact: true }).focus();
  await page.keyboard.press('Tab');
  assert.equal((await focusedElement(page)).dataId, 'q1', 'Tab enters the rows at the first one');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  assert.equal((await focusedElement(page)).dataId, 'q2');
  assert.equal(await page.getByRole('checkbox', { name: 'Select message q2' }).isChecked(), true, 'Space selects the focused row');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal((await focusedElement(page)).text, 'Next page', 'one more Tab leaves the table, however many rows it has');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focusedElement(page)).dataId, 'q2', 'and Shift+Tab comes back to the row last used');

  await page.getByRole('checkbox', { name: 'Select message q1' }).check();
  await page.getByRole('checkbox', { name: 'Select message q2' }).check();
  assert.match((await selectedGroup.textContent()) ?? '', /2 messages selected/);
  await harness.answer('queue.hold', { count: 2 });
  await selectedGroup.getByRole('button', { name: 'Hold' }).click();
  await page.getByRole('status').filter({ hasText: 'Held 2 messages' }).first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await callsOf(harness, 'queue.hold'), [{ ids: ['q1', 'q2'] }]);
  assert.equal(await page.getByRole('checkbox', { name: 'Select message q1' }).isChecked(), false, 'the selection is cleared');

  await page.getByRole('checkbox', { name: 'Select all on this page' }).check();
  assert.match((await selectedGroup.textContent()) ?? '', /3 messages selected/);
  await page.getByRole('checkbox', { name: 'Select all on this page' }).uncheck();
  await page.getByRole('checkbox', { name: 'Select message q3' }).check();

  await harness.answer('queue.delete', { count: 1 });
  await selectedGroup.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the selected message?' });
  await confirm.waitFor({ timeout: 5_000 });
  assert.match((await confirm.textContent()) ?? '', /removed from the queue for good.*sender is not told/);
  assert.deepEqual(await callsOf(harness, 'queue.delete'), [], 'nothing is deleted before confirming');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.deepEqual(await callsOf(harness, 'queue.delete'), []);

  await selectedGroup.getByRole('button', { name: 'Bounce' }).click();
  const bounce = page.getByRole('dialog', { name: 'Bounce the selected message?' });
  assert.match((await bounce.textContent()) ?? '', /non-delivery report/);
  await page.keyboard.press('Escape');
  await bounce.waitFor({ state: 'detached' });

  await selectedGroup.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Delete the selected message' }).click();
  await page.getByRole('status').filter({ hasText: 'Deleted 1 message' }).first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await callsOf(harness, 'queue.delete'), [{ ids: ['q3'] }]);

  const domainGroup = page.getByRole('group', { name: 'All messages of example.com' });
  assert.match((await domainGroup.textContent()) ?? '', /All 152 messages of example\.com/);
  await harness.answer('queue.retry', { count: 152 });
  await domainGroup.getByRole('button', { name: 'Retry' }).click();
  await page.getByRole('status').filter({ hasText: 'Retried 152 messages' }).first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await callsOf(harness, 'queue.retry'), [{ domain: 'example.com' }]);

  await harness.fail('queue.release', { code: 'STORAGE_ERROR', message: 'The spool folder is not writable' });
  await domainGroup.getByRole('button', { name: 'Release' }).click();
  await page.getByRole('alert').filter({ hasText: 'Release failed: The spool folder is not writable' }).waitFor({ timeout: 5_000 });
});

test('message drawer shows queue.get: envelope, headers, attempt timeline; Escape closes it and focus returns', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t);
  if (!harness) return;
  const { page } = harness;
  const headers = 'Received: from mx.example.net\r\nFrom: <>\r\nTo: alice@example.com\r\nSubject: Quarterly report\r\nMessage-ID: <q1@mail.example.net>\r\n';
  await harness.answer('queue.get', {
    item: items[0]!,
    headers,
    attempts: [
      attempt({ stage: 'connect', code: null, enhancedCode: null, remoteAddress: null, response: 'connect ECONNREFUSED 192.0.2.10:25', errorCode: 'ECONNECTION', durationMs: 3, time: minutesAgo(184) }),
      attempt({ durationMs: 1250 }),
    ],
    diagnoses: [
      { category: 'connection-refused', title: 'Connection refused', explanation: 'mail.example.com:25 (192.0.2.10) refused the connection.', fix: 'Start the mail server, or open port 25 on its firewall.' },
      { category: 'greylisted', title: 'Greylisted', explanation: 'mail.example.com:25 asked MX Spool to try again later (greylisting).', fix: 'Nothing to do: the next attempt is usually accepted. To skip the wait, allowlist 198.51.100.2.' },
    ],
  });
  const row = page.locator('tr[data-id="q1"]');
  await row.waitFor({ timeout: 10_000 });

  await row.locator('td').nth(1).click();
  const drawer = page.getByRole('dialog', { name: 'Message details' });
  await drawer.waitFor({ timeout: 5_000 });
  assert.deepEqual(await callsOf(harness, 'queue.get'), [{ id: 'q1' }]);
  await drawer.getByTestId('message-headers').filter({ hasText: 'Subject: Quarterly report' }).waitFor({ timeout: 5_000 });
  assert.equal(await drawer.getByTestId('message-headers').textContent(), headers, 'the header block as stored');
  const timeline = drawer.getByRole('table', { name: 'Delivery attempts' });
  assert.equal(await timeline.locator('tbody tr').count(), 2);
  const greylisted = timeline.locator('tbody tr').nth(1);
  for (const text of ['mail.example.com:25', '192.0.2.10', 'rcpt', '451', '4.7.1', GREYLISTED, '1.3 s', 'deferred']) {
    assert.ok(((await greylisted.textContent()) ?? '').includes(text), `the attempt shows ${text}`);
  }
  assert.match((await timeline.locator('tbody tr').first().textContent()) ?? '', /connect ECONNREFUSED 192\.0\.2\.10:25 \(ECONNECTION\)/);
  // Under each exact reply: that attempt's diagnosis, with what to do.
  const diagnosis = greylisted.getByTestId('attempt-diagnosis');
  assert.equal(await diagnosis.locator('.diagnosis-title').textContent(), 'Greylisted');
  assert.equal(await diagnosis.locator('.diagnosis-explanation').textContent(), 'mail.example.com:25 asked MX Spool to try again later (greylisting).');
  assert.equal(await diagnosis.locator('.diagnosis-fix').textContent(), 'Fix: Nothing to do: the next attempt is usually accepted. To skip the wait, allowlist 198.51.100.2.');
  assert.match((await timeline.locator('tbody tr').first().getByTestId('attempt-diagnosis').textContent()) ?? '', /^Connection refused.*Fix: Start the mail server, or open port 25 on its firewall\.$/);
  assert.equal(await greylisted.locator('.outcome').getAttribute('class'), 'outcome outcome-deferred');
  assert.match((await drawer.getByRole('table', { name: 'Recipients' }).textContent()) ?? '', /bob@example\.com.*deferred/);
  assert.equal((await focusedElement(page)).text, 'Close', 'focus moves into the drawer');

  await page.screenshot({ path: resultPath('queue-drawer.png') }); // for a human look

  const before = (await callsOf(harness, 'queue.get')).length;
  await harness.emit('attempt.made', attempt({ queueId: 'other' }));
  await harness.emit('attempt.made', attempt({ time: minutesAgo(0) }));
  await page.waitForFunction((count) => (globalThis as unknown as { harness: { calls: { method: string }[] } }).harness.calls.filter((call) => call.method === 'queue.get').length > count, before);
  await page.waitForTimeout(200);
  assert.equal((await callsOf(harness, 'queue.get')).length, before + 1, 'only this message\'s attempts refresh the drawer');

  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'detached', timeout: 5_000 });
  assert.equal((await focusedElement(page)).dataId, 'q1', 'focus returns to the row');

  // Keyboard: Enter on the focused row opens it; Delete in the drawer confirms, closes it and reports.
  await page.keyboard.press('Enter');
  await drawer.waitFor({ timeout: 5_000 });
  await harness.answer('queue.delete', { count: 1 });
  await drawer.getByRole('group', { name: 'This message' }).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: 'Delete this message?' }).getByRole('button', { name: 'Delete this message' }).click();
  await drawer.waitFor({ state: 'detached', timeout: 5_000 });
  await page.getByRole('status').filter({ hasText: 'Deleted 1 message' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(await callsOf(harness, 'queue.delete'), [{ ids: ['q1'] }]);

  await page.getByRole('button', { name: 'Details of message q2' }).click();
  await drawer.waitFor({ timeout: 5_000 });
  await drawer.getByRole('button', { name: 'Close' }).click();
  await drawer.waitFor({ state: 'detached', timeout: 5_000 });
});

test('the address follows filters, search, sort, page and page size with replaceState, and that address restores the view', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t, {}, undefined, '#/queue');
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table', { name: 'Queued messages' }).waitFor({ timeout: 10_000 });
  const start = await addressOf(page);
  assert.equal(start.hash, '#/queue', 'the whole queue, oldest first, first page: a plain address');

  await page.getByLabel('Domain', { exact: true }).selectOption('example.com');
  await page.getByLabel('State', { exact: true }).selectOption('held');
  await page.getByLabel('Older than', { exact: true }).selectOption({ label: '1 h' });
  await page.getByLabel('Search', { exact: true }).pressSequentially('bob smith');
  await page.getByRole('button', { name: 'Size', exact: true }).click();
  await page.getByLabel('Per page', { exact: true }).selectOption('50');
  // The search is applied after its pause, and a new filter goes back to page 1: page once it is.
  await expectLastInput(harness, 'queue.list', { domain: 'example.com', state: 'held', olderThanMinutes: 60, search: 'bob smith', sort: 'size', order: 'desc', offset: 0, limit: 50 });
  await page.getByRole('button', { name: 'Next page' }).click();
  const input = { domain: 'example.com', state: 'held', olderThanMinutes: 60, search: 'bob smith', sort: 'size', order: 'desc', offset: 50, limit: 50 };
  await expectLastInput(harness, 'queue.list', input);
  const linked = '#/queue?domain=example.com&state=held&olderThanMinutes=60&search=bob+smith&sort=size&order=desc&page=2&pageSize=50';
  await expectHash(page, linked);
  assert.equal((await addressOf(page)).entries, start.entries, 'replaceState: no history entry per change, Back still leaves the screen');

  // Writing the address is not a link: no request, no page reset follows it.
  const settledCalls = (await callsOf(harness, 'queue.list')).length;
  await page.waitForTimeout(600);
  assert.equal((await callsOf(harness, 'queue.list')).length, settledCalls, 'no request after the address was written');
  assert.equal(await page.getByTestId('queue-range').textContent(), '51–53 of 250');

  // A reload or a bookmark: the app mounts the screen with the params of that address.
  const callsBefore = (await harness.calls()).length;
  await harness.mount(SCREEN, 'QueueScreen', { params: parseRoute(linked).params });
  await page.getByRole('table', { name: 'Queued messages' }).waitFor({ timeout: 10_000 });
  const restored = (await harness.calls()).slice(callsBefore).filter((call) => call.method === 'queue.list');
  assert.deepEqual(restored[0]?.input, input, 'the first request is the same page of the same view, not page 1 first');
  assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), 'bob smith');
  assert.equal(await page.getByLabel('State', { exact: true }).inputValue(), 'held');
  assert.equal(await page.getByRole('columnheader', { name: 'Size', exact: true }).getAttribute('aria-sort'), 'descending');
  assert.equal(await page.getByTestId('queue-range').textContent(), '51–53 of 250');
  await expectHash(page, linked);

  // The open message is part of the view; closing the drawer takes it out again.
  await harness.answer('queue.get', { item: items[0]!, headers: '', attempts: [], diagnoses: [] });
  await page.getByRole('button', { name: 'Details of message q1' }).click();
  await expectHash(page, `${linked}&id=q1`);
  await page.keyboard.press('Escape');
  await expectHash(page, linked);

  // Back to every default: the address is plain again.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expectHash(page, '#/queue?sort=size&order=desc&pageSize=50');
  await page.getByRole('button', { name: 'Age', exact: true }).click();
  await page.getByLabel('Per page', { exact: true }).selectOption('100');
  await expectHash(page, '#/queue');
  assert.equal((await addressOf(page)).entries, start.entries);
});

test('a link followed while the queue is shown applies its filters; the same view spelled otherwise changes nothing', { timeout: 60_000 }, async (t) => {
  const harness = await queuePage(t, {}, undefined, '#/queue');
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table', { name: 'Queued messages' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Next page' }).click();
  await expectLastInput(harness, 'queue.list', { sort: 'createdAt', order: 'asc', offset: 100, limit: 100 });
  await expectHash(page, '#/queue?page=2');
  await page.waitForTimeout(400);
  const before = (await callsOf(harness, 'queue.list')).length;

  // The same view with its defaults written out: a real hashchange, but nothing to follow.
  await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/queue?pageSize=100&page=2&sort=createdAt'));
  await page.waitForTimeout(600);
  assert.equal((await callsOf(harness, 'queue.list')).length, before, 'no request for the view already shown');
  assert.equal(await page.getByTestId('queue-range').textContent(), '101–103 of 250', 'the page is kept');

  // A dashboard link or the tray's app.navigate (both set the hash) to another domain: the screen starts over from it.
  await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/queue?domain=example.org'));
  await expectLastInput(harness, 'queue.list', { domain: 'example.org', sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  assert.equal(await page.getByLabel('Domain', { exact: true }).inputValue(), 'example.org');
  assert.equal(await page.getByTestId('queue-range').textContent(), '1–3 of 250');

  // A link to another screen is the app's to follow (it unmounts this one): the queue neither follows nor writes over it.
  await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/reports?domain=example.org'));
  await page.getByLabel('State', { exact: true }).selectOption('held');
  await expectLastInput(harness, 'queue.list', { domain: 'example.org', state: 'held', sort: 'createdAt', order: 'asc', offset: 0, limit: 100 });
  await page.waitForTimeout(200);
  assert.equal((await addressOf(page)).hash, '#/reports?domain=example.org');
});

test('counts, sizes and durations are written in the browser\'s locale, as Reports writes them', { timeout: 60_000 }, async (t) => {
  // de-DE groups with a point and writes decimals with a comma: the opposite of en-US, so either mix-up shows.
  const harness = await queuePage(t, { domain: 'example.com' }, { total: 12_345, items: [...items, queueItem('q4', { attempts: 1_234 })] }, undefined, 'de-DE');
  if (!harness) return;
  const { page } = harness;
  const table = page.getByRole('table', { name: 'Queued messages' });
  await table.waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('queue-range').textContent(), '1–4 of 12.345');
  assert.match((await table.locator('tr[data-id="q1"]').textContent()) ?? '', /4,2 KB/);
  assert.match((await table.locator('tr[data-id="q2"]').textContent()) ?? '', /3,3 MB/);
  assert.match((await table.locator('tr[data-id="q4"]').textContent()) ?? '', /1\.234/);
  assert.equal(await page.getByLabel('Domain', { exact: true }).locator('option:checked').textContent(), 'example.com (152)');
  await harness.answer('queue.get', { item: items[0]!, headers: '', attempts: [attempt({ durationMs: 1250 })], diagnoses: [] });
  await page.getByRole('button', { name: 'Details of message q1' }).click();
  assert.match((await page.getByRole('table', { name: 'Delivery attempts' }).textContent()) ?? '', /1,3 s/);
});
