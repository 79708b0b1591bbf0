import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Locator } from 'playwright-core';
import { domainSchema, settingsSchema, type DomainInput } from '../../../electron/contract/settings-schema.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { summary, summaryDomain } from './fixtures/summary.js';

const SCREEN = 'renderer/src/features/domains/domains-screen.tsx';


/** The reason the form shows for a control: the element its aria-describedby names. */
async function reasonOf(control: Locator): Promise<string | null> {
  await control.and(control.page().locator('[aria-invalid="true"]')).waitFor({ timeout: 5_000 });
  return control.evaluate((element) => {
    const id = element.getAttribute('aria-describedby');
    return id ? (element.ownerDocument.getElementById(id)?.textContent ?? null) : null;
  });
}

async function focusedId(harness: ComponentPage): Promise<string | undefined> {
  return harness.page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id);
}

async function openScreen(t: TestContext, domains: DomainInput[] = [], queued: Record<string, number> = {}): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t);
  if (!harness) return null;
  const items = domains.map((domain) => domainSchema.parse(domain));
  await harness.answer('domains.list', { items });
  await harness.answer('settings.get', settingsSchema.parse({ retry: { firstRetryMinutes: 7 }, alerts: { stuckMinutes: 45 }, domains: items }));
  await harness.answer(
    'stats.summary',
    summary({
      queued: Object.values(queued).reduce((sum, count) => sum + count, 0),
      domains: items.map((domain) => summaryDomain(domain.name, { queued: queued[domain.name] ?? 0 })),
    }),
  );
  await harness.mount(SCREEN, 'DomainsScreen', { params: {} });
  return harness;
}

const saveCalls = async (harness: ComponentPage) => (await harness.calls()).filter((call) => call.method === 'domains.save');

test('domain form shows the reason beside each invalid field and focuses the first one', { timeout: 60_000 }, async (t) => {
  const harness = await openScreen(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByText('No domains yet').waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Add domain' }).click();
  const name = page.getByLabel('Domain name');
  assert.equal(await focusedId(harness), await name.getAttribute('id'), 'the form opens on its first field');
  await name.fill('not a domain');
  const server = page.getByRole('group', { name: 'Mail server 1' });
  await server.getByLabel('Host name or IP address').fill('mail server!');
  await server.getByLabel('Port').fill('70000');
  await page.getByLabel('Accept only the recipients listed').check();
  await server.getByLabel('Port').press('Enter');

  assert.equal(await reasonOf(name), 'Not a valid domain name (e.g. example.com)');
  assert.equal(await reasonOf(server.getByLabel('Host name or IP address')), 'Not a valid host name or IP address');
  assert.equal(await reasonOf(server.getByLabel('Port')), 'Port is 1 to 65535');
  assert.equal(await reasonOf(page.getByLabel('Recipients, one per line')), 'List at least one recipient or accept all recipients');
  assert.equal(await focusedId(harness), await name.getAttribute('id'), 'focus moves to the first invalid field');
  assert.deepEqual(await saveCalls(harness), [], 'nothing invalid is sent');

  // After the first submit, leaving a fixed field clears its reason.
  await name.fill('example.com');
  await name.press('Tab');
  await page.locator('[aria-invalid="true"]').first().waitFor();
  assert.equal(await name.getAttribute('aria-invalid'), null);
  await page.screenshot({ path: 'test-results/domains-form-invalid.png', fullPage: true });

  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Add domain' }).waitFor();
  assert.equal(await focusedId(harness), 'add-domain', 'Escape closes the form and returns to the button that opened it');
});

test('adding a domain with the keyboard sends exactly the form and says what to do next', { timeout: 60_000 }, async (t) => {
  const harness = await openScreen(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('button', { name: 'Add domain' }).click();
  await page.keyboard.type('example.org');
  const server = page.getByRole('group', { name: 'Mail server 1' });
  await server.getByLabel('Host name or IP address').fill('mail.example.org');
  await page.getByLabel('Return undelivered mail after (days)').fill('14');
  await page.getByLabel('Alert when mail waits longer than (minutes)').fill('20');
  const saved = { name: 'example.org', destinations: [{ host: 'mail.example.org' }], lifetimeDays: 14, alertStuckMinutes: 20 };
  await harness.answer('domains.save', { domain: domainSchema.parse(saved), created: true, retried: 0 });
  await page.getByLabel('Return undelivered mail after (days)').press('Enter');

  await page.getByRole('status').filter({ hasText: 'example.org added. MX Spool now accepts mail for it' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(
    (await saveCalls(harness)).map((call) => call.input),
    [
      {
        name: 'example.org',
        enabled: true,
        destinations: [{ host: 'mail.example.org', port: 25, tls: 'opportunistic', verifyCertificate: false }],
        acceptAllRecipients: true,
        recipients: [],
        lifetimeDays: 14,
        alertStuckMinutes: 20,
      },
    ],
  );
});

test('changing the mail server of a domain sends the whole domain without "held" and tells how many messages are retried', { timeout: 60_000 }, async (t) => {
  const existing: DomainInput = { name: 'example.com', held: true, destinations: [{ host: 'old.example.com', port: 25 }], acceptAllRecipients: false, recipients: ['alice', 'bob@example.com'], retry: { maxIntervalMinutes: 30 } };
  const harness = await openScreen(t, [existing], { 'example.com': 3 });
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('button', { name: 'Edit example.com' }).click();
  assert.equal(await page.getByLabel('Domain name').getAttribute('readonly'), '', 'renaming is remove + add');
  assert.equal(await page.getByLabel('First retry after (minutes)').getAttribute('placeholder'), '7', 'the server default is the placeholder');
  assert.equal(await page.getByLabel('Alert when mail waits longer than (minutes)').getAttribute('placeholder'), '45', 'so is the alert threshold');

  const first = page.getByRole('group', { name: 'Mail server 1' });
  await first.getByLabel('Host name or IP address').fill('mail.example.com');
  await first.getByLabel('Port').fill('587');
  await first.getByLabel('Encryption (TLS)').selectOption('required');
  await first.getByLabel('User name (optional)').fill('spool');
  await first.getByLabel('Password').fill('secret');
  await page.getByRole('button', { name: 'Add mail server' }).click();
  const second = page.getByRole('group', { name: 'Mail server 2' });
  await second.getByLabel('Host name or IP address').fill('192.168.1.10');
  await second.getByRole('button', { name: 'Move mail server 2 up' }).press('Enter'); // the backup first now
  await page.getByLabel('Recipients, one per line').fill('alice\n\n carol \n');

  const expected = {
    name: 'example.com',
    enabled: true,
    destinations: [
      { host: '192.168.1.10', port: 25, tls: 'opportunistic', verifyCertificate: false },
      { host: 'mail.example.com', port: 587, tls: 'required', verifyCertificate: false, auth: { user: 'spool', pass: 'secret' } },
    ],
    acceptAllRecipients: false,
    recipients: ['alice', 'carol'],
    retry: { maxIntervalMinutes: 30 },
  };
  await page.screenshot({ path: 'test-results/domains-form-edit.png', fullPage: true });
  await harness.answer('domains.save', { domain: domainSchema.parse({ ...expected, held: true }), created: false, retried: 3 });
  await page.getByRole('button', { name: 'Save domain' }).click();

  await page.getByRole('status').filter({ hasText: 'example.com saved. 3 queued messages will be retried now at the new mail server.' }).waitFor({ timeout: 10_000 });
  assert.deepEqual((await saveCalls(harness)).map((call) => call.input), [expected]);
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label')), 'Edit example.com', 'focus returns to the row');
});

test('a reason the engine returns (INVALID_INPUT issues) is shown at its field', { timeout: 60_000 }, async (t) => {
  const harness = await openScreen(t);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('button', { name: 'Add domain' }).click();
  await page.getByLabel('Domain name').fill('example.net');
  const host = page.getByRole('group', { name: 'Mail server 1' }).getByLabel('Host name or IP address');
  await host.fill('mail.example.net');
  await harness.fail('domains.save', { code: 'INVALID_INPUT', message: 'The domain settings are not valid', issues: [{ path: 'destinations.0.host', message: 'This host does not resolve' }] });
  await host.press('Enter');

  assert.equal(await reasonOf(host), 'This host does not resolve');
  assert.equal(await focusedId(harness), await host.getAttribute('id'), 'focus moves to the field the engine named');
  await page.getByRole('heading', { name: 'Add a domain' }).waitFor(); // the form stays open with what was typed
  assert.equal(await host.inputValue(), 'mail.example.net');
});

test('a stored password is never shown: the field is empty with a hint, and saving sends "" to keep it', { timeout: 60_000 }, async (t) => {
  // What the engine answers for a server with a stored password (engine/settings/stored-passwords.ts).
  const existing: DomainInput = { name: 'example.com', destinations: [{ host: 'mail.example.com', port: 587, tls: 'required', auth: { user: 'spool', pass: '' } }] };
  const harness = await openScreen(t, [existing]);
  if (!harness) return;
  const { page } = harness;
  await page.getByRole('button', { name: 'Edit example.com' }).click();
  const first = page.getByRole('group', { name: 'Mail server 1' });
  const password = first.getByLabel('Password');
  assert.equal(await password.inputValue(), '');
  assert.equal(await password.getAttribute('placeholder'), '(stored)');
  const hintId = (await password.getAttribute('aria-describedby')) ?? '';
  assert.match((await page.locator(`[id="${hintId.split(' ')[0]}"]`).textContent()) ?? '', /A password is stored and never shown\. Leave this empty to keep it/);

  await first.getByLabel('Port').fill('25');
  await harness.answer('domains.save', { domain: domainSchema.parse({ ...existing, destinations: [{ ...existing.destinations[0]!, port: 25 }] }), created: false, retried: 0 });
  await page.getByRole('button', { name: 'Save domain' }).click();
  await page.getByRole('status').filter({ hasText: 'example.com saved' }).waitFor({ timeout: 10_000 });
  const sent = (await saveCalls(harness)).map((call) => (call.input as DomainInput).destinations[0]?.auth);
  assert.deepEqual(sent, [{ user: 'spool', pass: '' }], 'the empty field keeps the stored password');

  // Typing a new one replaces the hint.
  await page.getByRole('button', { name: 'Edit example.com' }).click();
  await page.getByRole('group', { name: 'Mail server 1' }).getByLabel('Password').fill('new-secret');
  assert.equal(await page.getByText('A password is stored and never shown').count(), 0);
});
