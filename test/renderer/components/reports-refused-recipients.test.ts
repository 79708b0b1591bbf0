import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { RefusedRecipient } from '../../../electron/contract/report-schema.js';
import { outboundCsv } from '../../../renderer/src/features/reports/report-csv-rows.js';
import { attemptRecord } from '../../engine/reports/report-fixtures.js';
import { resultPath } from '../../support/chromium.js';
import { openComponentPage } from '../../support/component-page.js';
import { domainList } from './fixtures/domain-list.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { outboundRow } from './fixtures/reports.js';

// Replies as an office Postfix sends them at RCPT TO; the double space is kept to show nothing is tidied.
const BOB: RefusedRecipient = { address: 'bob@example.com', code: 550, enhancedCode: '5.1.1', response: '550 5.1.1 <bob@example.com>: Recipient address rejected: User  unknown', outcome: 'bounced' };
const CAROL: RefusedRecipient = { address: 'carol@example.com', code: 450, enhancedCode: '4.2.1', response: '450 4.2.1 <carol@example.com>: Mailbox busy, try later', outcome: 'deferred' };

/** Delivered to alice@, bob@ and carol@ refused at RCPT TO: the attempt's reply is the 250 to DATA. */
const partlyRefused = outboundRow({
  recipients: ['alice@example.com', 'bob@example.com', 'carol@example.com'],
  outcome: 'deferred',
  refusedRecipients: [BOB, CAROL],
  diagnosis: { category: 'delivered', title: 'Delivered', explanation: 'Accepted.', fix: 'Nothing to do.' },
});
const allTaken = outboundRow({ time: '2026-11-27T09:00:00.000+01:00', queueId: 'q2' });

async function openReports(t: Parameters<typeof openComponentPage>[0]) {
  const harness = await openComponentPage(t, { timeZone: 'Europe/Berlin' });
  if (!harness) return null;
  await harness.answer('domains.list', domainList('example.com'));
  await harness.answer('reports.outbound', { total: 2, rows: [partlyRefused, allTaken] });
  await harness.mount('renderer/src/features/reports/reports-screen.tsx', 'ReportsScreen', { params: { domain: 'example.com', from: '2026-11-01', to: '2026-11-27', timeZone: 'Europe/Berlin' } });
  return harness;
}

test('the reply cell lists each recipient refused at RCPT TO under the 250, with its exact reply and outcome', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t);
  if (!harness) return;
  const { page } = harness;
  const status = page.getByRole('table').getByTestId('status');
  await status.first().waitFor({ timeout: 10_000 });
  assert.equal(await status.first().locator('pre').textContent(), '250 2.0.0 Ok: queued as 4ABC', 'the attempt\'s own reply is unchanged');

  const note = status.first().getByTestId('refused-recipients');
  assert.equal(await note.locator('.refused-label').textContent(), '2 recipients refused:');
  // A list named by that label, one item per refused recipient, in RCPT TO order.
  const items = status.first().getByRole('list', { name: '2 recipients refused' }).getByRole('listitem');
  assert.deepEqual(await items.allTextContents(), [`bob@example.com — ${BOB.response} (bounced)`, `carol@example.com — ${CAROL.response} (deferred)`]);
  // The outcome is a word and coloured as everywhere else, not the cell's delivered green.
  const colours = await note.locator('.refused-outcome').evaluateAll((spans) => spans.map((span) => (globalThis as unknown as PageGlobals).getComputedStyle(span).color));
  assert.deepEqual(colours, ['rgb(207, 34, 46)', 'rgb(154, 103, 0)']);
  // Nothing is refused in the other attempt, and nothing is said about it.
  assert.equal(await status.nth(1).getByTestId('refused-recipients').count(), 0);
  await page.screenshot({ path: resultPath('reports-refused-recipients.png'), fullPage: true }); // for a human look
});

test('the CSV export gets "Refused recipients" as its last column, the columns before it unchanged', { timeout: 60_000 }, async (t) => {
  const harness = await openReports(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('table').waitFor({ timeout: 10_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to CSV' }).click();
  const lines = (await readFile(await (await download).path(), 'utf8')).slice(1).split('\r\n');
  assert.equal(lines[0], 'Time (Europe/Berlin),UTC offset,Domain,From,Recipients,Destination,Remote IP,Local IP,Stage,Outcome,Code,Enhanced code,Reply,Error code,Cause category,Cause,Fix,Duration (ms),Queue ID,Message-ID,Refused recipients');
  assert.equal(
    lines[1],
    '2026-11-27 10:15:00,UTC+01:00,example.com,alice@example.net,alice@example.com; bob@example.com; carol@example.com,mail.example.com:25,192.0.2.10,192.0.2.1,done,deferred,250,2.0.0,250 2.0.0 Ok: queued as 4ABC,,delivered,Delivered,Nothing to do.,120,q1,<m1@example.net>,' +
      `"bob@example.com: ${BOB.response} | carol@example.com: ${CAROL.response}"`,
  );
  assert.ok(lines[2]?.endsWith(',q2,<m1@example.net>,'), 'empty last field without refusals');
});

test('in the CSV a refusal whose text lacks its code gets the code in front; an empty list leaves the field empty', () => {
  const bare: RefusedRecipient = { address: 'dave@example.com', code: 550, enhancedCode: null, response: 'No such user here', outcome: 'bounced' };
  const table = outboundCsv([outboundRow({ refusedRecipients: [bare] }), outboundRow({ refusedRecipients: [] })], 'UTC');
  assert.equal(table.header.at(-1), 'Refused recipients');
  assert.equal(table.rows[0]?.at(-1), 'dave@example.com: 550 No such user here');
  assert.equal(table.rows[1]?.at(-1), null);
});

test('the message drawer\'s attempt timeline shows the refused recipients under the attempt\'s reply', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  const attempt = attemptRecord('2026-11-27T09:15:00.000Z', { recipients: ['alice@example.com', 'bob@example.com'], outcome: 'bounced', refusedRecipients: [BOB] });
  await harness.mount('renderer/src/features/queue/attempt-timeline.tsx', 'AttemptTimeline', { attempts: [attempt, { ...attempt, refusedRecipients: undefined }] });
  const table = page.getByRole('table', { name: 'Delivery attempts' });
  await table.waitFor({ timeout: 10_000 });
  const items = table.getByRole('list', { name: '1 recipient refused' }).getByRole('listitem');
  assert.deepEqual(await items.allTextContents(), [`bob@example.com — ${BOB.response} (bounced)`]);
  assert.equal(await table.getByTestId('refused-recipients').count(), 1, 'only the attempt that has refusals');
});
