import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { InboundRow, OutboundRow } from '../../../electron/contract/report-schema.js';
import { parseRoute } from '../../../renderer/src/ui/route.js';
import { resultPath } from '../../support/chromium.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import { domainList } from './fixtures/domain-list.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { outboundRow, reportCalls, waitForReportCall } from './fixtures/reports.js';

const SCREEN = 'renderer/src/features/reports/reports-screen.tsx';
const domains = domainList('example.com', 'example.org');
// A Gmail-style multi-line refusal, with the double spaces and trailing space it really has.
const MULTI_LINE = '550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient\'s email address for typos or  \n550 5.1.1 unnecessary spaces, "quoted", too. https://support.google.com/mail/?p=NoSuchUser a1si 5.1.1 ';

const UNKNOWN_RECIPIENT = { category: 'unknown-recipient', title: 'Unknown recipient', explanation: 'mail.example.com:25 has no mailbox for this address.', fix: 'Check the address with the sender, or create the mailbox.' } as const;
const REFUSED = { category: 'connection-refused', title: 'Connection refused', explanation: 'mail.example.com:25 refused the connection from 192.0.2.1.', fix: 'Start the mail server, or open port 25 on its firewall for 192.0.2.1.' } as const;

/** The attempt most tests look at: refused at RCPT with the multi-line reply. */
function outbound(overrides: Partial<OutboundRow> = {}): OutboundRow {
  return outboundRow({ stage: 'rcpt', outcome: 'bounced', code: 550, enhancedCode: '5.1.1', response: MULTI_LINE, diagnosis: UNKNOWN_RECIPIENT, ...overrides });
}

const unreachable = outbound({
  time: '2026-11-27T09:00:00.000+01:00',
  queueId: 'q2',
  recipients: ['carol@example.com', 'dave@example.com'],
  remoteAddress: null,
  stage: 'connect',
  outcome: 'deferred',
  code: null,
  enhancedCode: null,
  response: 'connect ECONNREFUSED 192.0.2.10:25',
  errorCode: 'ECONNECTION',
  diagnosis: REFUSED,
});

const inbound: InboundRow = {
  time: '2026-11-27T08:00:00.000+01:00',
  clientAddress: '198.51.100.7',
  helo: 'mx.example.net',
  from: 'spam@example.net',
  recipients: ['nobody@example.com'],
  domain: 'example.com',
  outcome: 'refused',
  code: 550,
  response: '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown',
  queueIds: [],
  size: null,
};

/** Mounts the screen on 2026-11-01..2026-11-27 in Europe/Berlin, the range most tests look at. */
async function openReports(t: Parameters<typeof openComponentPage>[0], params: Record<string, string> = {}) {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin' });
  if (!harness) return null;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 2345, rows: [outbound(), unreachable] });
  await harness.answer('reports.inbound', { total: 1, rows: [inbound] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: { from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin', ...params } });
  return harness;
}

test('the status column shows the reply exactly, multi-line and with its spaces, coloured by outcome', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t);
  if (!harness) return;
  const { page } = harness;
  const table = page.getByRole('table', { name: 'Delivery attempts for all domains, 2026-11-01 to 2026-11-27 (Europe/Berlin)' });
  await table.waitFor({ timeout: 10_000 });
  const status = table.getByTestId('status');
  assert.equal(await status.first().locator('pre').textContent(), MULTI_LINE);
  assert.match((await status.first().textContent()) ?? '', /^bounced/);
  // No reply at all: the error code says why, after the network error text.
  assert.equal(await status.nth(1).locator('pre').textContent(), 'connect ECONNREFUSED 192.0.2.10:25');
  assert.match((await status.nth(1).textContent()) ?? '', /^deferred ECONNECTION/);
  // The cause beside the exact reply: the diagnosis title, the fix as its tooltip and behind "What to do".
  const cause = status.first().getByTestId('diagnosis');
  assert.equal(await cause.locator('.diagnosis-title').textContent(), 'Unknown recipient');
  assert.equal(await cause.locator('.diagnosis-title').getAttribute('title'), UNKNOWN_RECIPIENT.fix);
  assert.match((await cause.textContent()) ?? '', /^Cause: Unknown recipient/);
  await cause.getByText('What to do').click();
  await cause.getByText(UNKNOWN_RECIPIENT.fix).waitFor({ state: 'visible', timeout: 5_000 });
  assert.equal(await status.nth(1).getByTestId('diagnosis').locator('.diagnosis-title').textContent(), 'Connection refused');
  const colours = await status.evaluateAll((cells) => cells.map((cell) => (globalThis as unknown as PageGlobals).getComputedStyle(cell).color));
  assert.deepEqual(colours, ['rgb(207, 34, 46)', 'rgb(154, 103, 0)']);
  const secondRow = table.getByRole('row').nth(2);
  assert.match((await secondRow.textContent()) ?? '', /carol@example\.comdave@example\.com/);
  assert.match((await page.getByTestId('page-range').textContent()) ?? '', /^1–2 of 2,345$/);
  await page.screenshot({ path: resultPath('reports-outbound.png'), fullPage: true }); // for a human look
});

test('changing type, domain, dates, outcome, page and page size sends the matching input', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t, { type: 'outbound', domain: 'example.com' });
  if (!harness) return;
  const { page } = harness;
  const base = { method: 'reports.outbound', domain: 'example.com', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin', offset: 0, limit: 100 };
  assert.deepEqual(await waitForReportCall(harness, base), base);
  assert.equal(await page.getByLabel('Domain').inputValue(), 'example.com');
  assert.ok(await page.getByRole('radio', { name: 'Outbound (delivery attempts)' }).isChecked());

  await page.getByRole('button', { name: 'Next' }).click();
  await waitForReportCall(harness, { ...base, offset: 100 });
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByLabel('Rows per page').selectOption('250');
  await waitForReportCall(harness, { ...base, limit: 250 });
  await page.getByRole('button', { name: 'Next' }).click();
  await waitForReportCall(harness, { ...base, limit: 250, offset: 250 });

  // A new filter starts again at the first page.
  await page.getByLabel('Outcome').selectOption('deferred');
  const deferred = await waitForReportCall(harness, { ...base, limit: 250, outcome: 'deferred' });
  assert.equal(deferred.offset, 0);
  await page.getByLabel('Domain').selectOption('example.org');
  await waitForReportCall(harness, { ...base, limit: 250, outcome: 'deferred', domain: 'example.org' });
  await page.getByLabel('From').fill('2026-11-20');
  await page.getByLabel('To').fill('2026-11-21');
  await waitForReportCall(harness, { ...base, limit: 250, outcome: 'deferred', domain: 'example.org', from: '2026-11-20', to: '2026-11-21' });
  await page.getByLabel('Domain').selectOption('All domains');
  const all = await waitForReportCall(harness, { method: 'reports.outbound', outcome: 'deferred', domain: undefined, from: '2026-11-20' });
  assert.equal('domain' in all, false, 'all domains: the field is left out');

  // Inbound has its own outcomes: the outbound one is dropped, not sent where it means nothing.
  await page.getByRole('radio', { name: 'Inbound (sessions received and refused)' }).check();
  const inboundCall = await waitForReportCall(harness, { method: 'reports.inbound' });
  assert.deepEqual(inboundCall, { method: 'reports.inbound', from: '2026-11-20', to: '2026-11-21', timeZone: 'Europe/Berlin', offset: 0, limit: 250 });
  const table = page.getByRole('table', { name: 'Sessions received for all domains, 2026-11-20 to 2026-11-21 (Europe/Berlin)' });
  await table.waitFor({ timeout: 10_000 });
  assert.equal(await table.getByTestId('reply').locator('pre').textContent(), inbound.response);
  assert.deepEqual(await table.getByRole('columnheader').allTextContents(), ['Time (Europe/Berlin)', 'Client IP', 'HELO', 'From', 'Recipients', 'Outcome', 'Reply', 'Size']);
  assert.deepEqual(
    (await page.getByLabel('Outcome').locator('option').allTextContents()),
    ['All outcomes', 'Accepted', 'Refused'],
  );
  await page.getByLabel('Outcome').selectOption('refused');
  await waitForReportCall(harness, { method: 'reports.inbound', outcome: 'refused' });
});

test('"From" after "To" is refused at the field and nothing is sent', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t);
  if (!harness) return;
  const { page } = harness;
  await waitForReportCall(harness, { from: '2026-11-01' });
  await page.getByLabel('From').fill('2026-11-28');
  const reason = page.locator('#report-from-error');
  await reason.waitFor({ timeout: 10_000 });
  assert.match((await reason.textContent()) ?? '', /"From" \(2026-11-28\) is after "To" \(2026-11-27\)/);
  assert.equal(await page.getByLabel('From').getAttribute('aria-describedby'), 'report-from-error');
  await page.waitForTimeout(800); // longer than the typing pause
  assert.ok((await reportCalls(harness)).every((input) => input.from === '2026-11-01'));
  assert.equal(await page.getByRole('table').count(), 0, 'no rows of another filter under a refused one');
});

test('an empty report says so, naming the domain, dates and zone; an API failure is shown', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'UTC' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 0, rows: [] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: { domain: 'example.com', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' } });
  await page.getByText('No delivery attempts for example.com between 2026-11-01 and 2026-11-27 (Europe/Berlin).').waitFor({ timeout: 10_000 });
  assert.ok(await page.getByRole('button', { name: 'Export to CSV' }).isDisabled());

  await harness.fail('reports.outbound', { code: 'STORAGE_ERROR', message: 'Cannot read the attempt log: check the data folder' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('alert').filter({ hasText: 'Loading the report failed: Cannot read the attempt log: check the data folder' }).waitFor({ timeout: 10_000 });
});

test('Export to CSV downloads every row of the filter with the header row, quoted as RFC 4180 asks', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t, { domain: 'example.com' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('reports.outbound', { total: 2, rows: [outbound(), unreachable] });
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'mx-spool-outbound-example.com-2026-11-01_2026-11-27-Europe-Berlin.csv');
  const bytes = await readFile(await file.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark for Excel');
  const text = bytes.toString('utf8').slice(1);
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'Time (Europe/Berlin),UTC offset,Domain,From,Recipients,Destination,Remote IP,Local IP,Stage,Outcome,Code,Enhanced code,Reply,Error code,Cause category,Cause,Fix,Duration (ms),Queue ID,Message-ID,Refused recipients');
  assert.ok(text.includes(`2026-11-27 10:15:00,UTC+01:00,example.com,alice@example.net,bob@example.com,mail.example.com:25,192.0.2.10,192.0.2.1,rcpt,bounced,550,5.1.1,"${MULTI_LINE.replaceAll('"', '""')}",,unknown-recipient,Unknown recipient,"Check the address with the sender, or create the mailbox.",120,q1,<m1@example.net>,\r\n`));
  assert.ok(text.endsWith('2026-11-27 09:00:00,UTC+01:00,example.com,alice@example.net,carol@example.com; dave@example.com,mail.example.com:25,,192.0.2.1,connect,deferred,,,connect ECONNREFUSED 192.0.2.10:25,ECONNECTION,connection-refused,Connection refused,"Start the mail server, or open port 25 on its firewall for 192.0.2.1.",120,q2,<m1@example.net>,\r\n'));
  const exportCalls = (await reportCalls(harness)).filter((call) => call.limit === 10_000);
  assert.deepEqual(exportCalls, [{ method: 'reports.outbound', domain: 'example.com', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin', offset: 0, limit: 10_000 }]);
  await page.getByRole('button', { name: 'Export to CSV' }).waitFor({ timeout: 10_000 });
});

test('new delivery attempts refresh the first page at most once per 2 s, and only attempts it could show', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t, { domain: 'example.com' });
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  const count = async () => (await reportCalls(harness)).length;
  // Count from a settled page: on a loaded machine the first load may still be followed by its own refetch.
  let before = await count();
  for (let settled = 0; settled < 4; ) {
    await page.waitForTimeout(250);
    const now = await count();
    settled = now === before ? settled + 1 : 0;
    before = now;
  }
  const attempt = { time: '2026-11-27T08:00:00.000Z', queueId: 'q9', messageId: null, domain: 'example.com', from: 'a@example.net', recipients: ['b@example.com'], destination: 'mail.example.com:25', remoteAddress: null, localAddress: null, stage: 'connect', code: null, enhancedCode: null, response: 'connect ECONNREFUSED', errorCode: 'ECONNECTION', durationMs: 3, outcome: 'deferred' };

  await harness.emit('attempt.made', { ...attempt, domain: 'example.org' });
  await harness.emit('attempt.made', { ...attempt, time: '2026-11-28T08:00:00.000Z' }); // 09:00 on the 28th in Berlin: after "To"
  await page.waitForTimeout(500);
  assert.equal(await count(), before, 'attempts the report cannot show cause no refetch');

  // One page.evaluate per burst, so a burst takes microseconds however loaded the test machine is.
  const burst = () =>
    page.evaluate((payload) => {
      const harnessWindow = globalThis as unknown as { harness: { emit(event: string, payload: unknown): void } };
      for (let index = 0; index < 20; index++) harnessWindow.harness.emit('attempt.made', payload);
    }, attempt);
  const waitForCount = async (wanted: number, what: string) => {
    const deadline = Date.now() + 15_000; // generous: a loaded CI machine is slow, and this bounds only a failure
    while ((await count()) < wanted) {
      assert.ok(Date.now() < deadline, what);
      await page.waitForTimeout(25);
    }
  };
  await burst();
  await waitForCount(before + 1, 'a burst refetches at once');
  // Times from the page's own clock: the test's polling may notice a call late on a loaded machine.
  const reportTimes = async () => (await harness.timedCalls()).filter((call) => call.method.startsWith('reports.')).map((call) => call.at);
  const firstRefetchAt = (await reportTimes())[before]!;
  const secondBurstAt = await page.evaluate(() => performance.now());
  await burst();
  await page.waitForTimeout(700);
  // Only meaningful while the 2 s window is still open (a very slow machine may have passed it already).
  const pageNow = await page.evaluate(() => performance.now());
  if (pageNow - firstRefetchAt < 1800) assert.equal(await count(), before + 1, 'a second burst within 2 s waits');
  await waitForCount(before + 2, 'the waiting refetch comes');
  const secondRefetchAt = (await reportTimes())[before + 1]!;
  // The throttle times its refreshes, and each call follows its refresh after a render that a loaded
  // machine may slow down more for the first than for the second: 1.5 s still tells a throttle from none.
  if (secondBurstAt - firstRefetchAt < 1500) assert.ok(secondRefetchAt - firstRefetchAt >= 1500, `not before 2 s have passed (${Math.round(secondRefetchAt - firstRefetchAt)} ms)`);
  await page.waitForTimeout(500);
  assert.equal(await count(), before + 2, 'and it is one refetch for the whole second burst');
});

test('a long export shows its progress and can be cancelled without a download', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  // Export pages (limit 10,000) of a 25,000-row report; the second one waits until the test lets it go.
  // Sent as text: tsx names the functions of a page.evaluate callback with a helper the page does not have.
  // Nothing is returned: Playwright would await the proxy, whose every property (then included) is a function.
  await page.evaluate(`{
    const original = window.mxSpool.api;
    const row = { time: '2026-11-27T10:15:00.000+01:00', messageId: null, queueId: 'q', domain: 'example.com', from: '', recipients: [], destination: 'mx:25', remoteAddress: null, localAddress: null, stage: 'done', outcome: 'delivered', code: 250, enhancedCode: null, response: '250 ok', errorCode: null, durationMs: 1 };
    window.mxSpool.api = new Proxy(original, {
      get(target, method) {
        return async function (input) {
          if (method !== 'reports.outbound' || input.limit !== 10000) return target[method](input);
          if (input.offset > 0) await new Promise(function (resolve) { window.releaseSecondPage = resolve; });
          return { ok: true, value: { total: 25000, rows: Array.from({ length: 10000 }, function () { return row; }) } };
        };
      },
    });
    undefined;
  }`);
  let downloads = 0;
  page.on('download', () => downloads++);

  await page.getByRole('button', { name: 'Export to CSV' }).click();
  await page.getByRole('status').filter({ hasText: 'Exporting 10,000 of 25,000…' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByRole('progressbar', { name: 'Export progress' }).getAttribute('value'), '10000');
  const cancel = page.getByRole('button', { name: 'Cancel export' });
  assert.ok(await cancel.evaluate((button) => button === (globalThis as unknown as PageGlobals).document.activeElement), 'focus moves to Cancel');
  await page.keyboard.press('Enter');
  const exportButton = page.getByRole('button', { name: 'Export to CSV' });
  await exportButton.waitFor({ timeout: 10_000 });
  assert.ok(await exportButton.evaluate((button) => button === (globalThis as unknown as PageGlobals).document.activeElement), 'focus comes back to Export');
  await page.evaluate('window.releaseSecondPage && window.releaseSecondPage()');
  await page.waitForTimeout(500);
  assert.equal(downloads, 0);
  assert.equal(await page.getByRole('status').filter({ hasText: 'Exporting' }).count(), 0);
});

/** The screen at its address `#/reports` with no params, on a computer in Europe/Berlin, as the top bar opens it. */
async function openReportsAddress(t: Parameters<typeof openComponentPage>[0]): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin' });
  if (!harness) return null;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.outbound', { total: 2345, rows: [outbound(), unreachable] });
  await harness.answer('reports.inbound', { total: 1, rows: [inbound] });
  await harness.page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/reports'));
  await harness.mount(SCREEN, 'ReportsScreen', { params: {} });
  return harness;
}

function addressOf(harness: ComponentPage): Promise<{ hash: string; entries: number }> {
  return harness.page.evaluate(() => ({ hash: (globalThis as unknown as PageGlobals).location.hash, entries: (globalThis as unknown as PageGlobals).history.length }));
}

async function expectHash(harness: ComponentPage, expected: string): Promise<void> {
  await harness.page.waitForFunction((wanted) => (globalThis as unknown as PageGlobals).location.hash === wanted, expected, { timeout: 5_000 }).catch(async () => {
    assert.equal((await addressOf(harness)).hash, expected, 'the address');
  });
}

test('the address follows the applied filter and page with replaceState, and that address restores the same request', { timeout: 60_000 }, async (t) => {
  const harness = await openReportsAddress(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  const start = await addressOf(harness);
  assert.equal(start.hash, '#/reports', 'outbound, all domains, the last 7 days in the computer\'s zone: a plain address');

  await page.getByLabel('Domain').selectOption('example.com');
  await page.getByLabel('Outcome').selectOption('deferred');
  await page.getByLabel('From').fill('2026-11-01');
  await page.getByLabel('To').fill('2026-11-27');
  await page.getByLabel('Rows per page').selectOption('250');
  const filtered = { method: 'reports.outbound', domain: 'example.com', outcome: 'deferred', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin', offset: 0, limit: 250 };
  await waitForReportCall(harness, filtered);
  await page.getByRole('button', { name: 'Next' }).click();
  await waitForReportCall(harness, { ...filtered, offset: 250 });
  const linked = '#/reports?domain=example.com&outcome=deferred&from=2026-11-01&to=2026-11-27&timeZone=Europe%2FBerlin&page=2&pageSize=250';
  await expectHash(harness, linked);
  assert.equal((await addressOf(harness)).entries, start.entries, 'replaceState: no history entry per change');
  const settled = (await reportCalls(harness)).length;
  await page.waitForTimeout(600);
  assert.equal((await reportCalls(harness)).length, settled, 'writing the address asks for nothing');

  // A reload or a bookmark of that address: the same request first, on the same page.
  const before = (await reportCalls(harness)).length;
  await harness.mount(SCREEN, 'ReportsScreen', { params: parseRoute(linked).params });
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  assert.deepEqual((await reportCalls(harness)).slice(before)[0], { ...filtered, offset: 250 });
  assert.equal(await page.getByLabel('Outcome').inputValue(), 'deferred');
  assert.match((await page.getByTestId('page-range').textContent()) ?? '', /^251–252 of 2,345$/);
  await expectHash(harness, linked);

  // Inbound has no "deferred": the outcome leaves the address with the form.
  await page.getByRole('radio', { name: 'Inbound (sessions received and refused)' }).check();
  await expectHash(harness, '#/reports?type=inbound&domain=example.com&from=2026-11-01&to=2026-11-27&timeZone=Europe%2FBerlin&pageSize=250');
  // A refused filter is not written: the address keeps the last report shown.
  await page.getByLabel('From').fill('2026-11-28');
  await page.locator('#report-from-error').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(800); // longer than the typing pause
  assert.equal((await addressOf(harness)).hash, '#/reports?type=inbound&domain=example.com&from=2026-11-01&to=2026-11-27&timeZone=Europe%2FBerlin&pageSize=250');
  assert.equal((await addressOf(harness)).entries, start.entries);
});

test('a link followed while Reports is shown applies its filters; the same report spelled otherwise is not asked again', { timeout: 60_000 }, async (t) => {
  const harness = await openReportsAddress(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  // Another zone with dates left alone: the last 7 days there, so the dates stay out of the address.
  await page.getByLabel('Time zone').fill('UTC');
  await waitForReportCall(harness, { method: 'reports.outbound', timeZone: 'UTC' });
  await expectHash(harness, '#/reports?timeZone=UTC');
  await page.waitForTimeout(600);
  const before = (await reportCalls(harness)).length;

  await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/reports?type=outbound&page=1&timeZone=UTC'));
  await page.waitForTimeout(600);
  assert.equal((await reportCalls(harness)).length, before, 'no request for the report already shown');
  assert.equal(await page.getByLabel('Time zone').inputValue(), 'UTC');

  // The dashboard, the queue or the desktop tray link here by setting the hash: the form starts over from the link.
  await page.evaluate(() => void ((globalThis as unknown as PageGlobals).location.hash = '#/reports?type=inbound&domain=example.org'));
  const followed = await waitForReportCall(harness, { method: 'reports.inbound', domain: 'example.org' });
  assert.equal(followed.timeZone, 'Europe/Berlin', 'the link names no zone: the computer\'s');
  assert.equal(await page.getByLabel('Domain').inputValue(), 'example.org');
  assert.ok(await page.getByRole('radio', { name: 'Inbound (sessions received and refused)' }).isChecked());
});

test('counts and sizes are written in the browser\'s locale, as the Queue writes them', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin', locale: 'de-DE' });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.list', domains);
  await harness.answer('reports.inbound', { total: 2345, rows: [{ ...inbound, size: 4300 }] });
  await harness.mount(SCREEN, 'ReportsScreen', { params: { type: 'inbound', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' } });
  const table = page.getByRole('table');
  await table.waitFor({ timeout: 10_000 });
  // de-DE groups with a point and writes decimals with a comma: the fixed en-US of before wrote 2,345 and 4.2 KB.
  assert.match((await page.getByTestId('page-range').textContent()) ?? '', /^1–1 of 2\.345$/);
  const size = table.getByRole('cell', { name: '4,2 KB' });
  assert.equal(await size.getAttribute('title'), '4.300 bytes');
});
