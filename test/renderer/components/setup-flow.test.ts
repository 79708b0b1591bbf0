import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import type { PageGlobals } from './fixtures/page-globals.js';
import { dnsOk, freshSettings, listeningOn, refusedAtRcpt, savedDomain, waitingForDomain } from './fixtures/setup.js';
import { summary } from './fixtures/summary.js';

const SETUP = 'renderer/src/features/setup/setup-screen.tsx';
const reads = new Set(['domains.list', 'settings.get', 'stats.summary']);

/** A new install: no domain, every default, the listener waiting for the first domain. */
async function openSetup(harness: ComponentPage) {
  await harness.answer('domains.list', { items: [] });
  await harness.answer('settings.get', freshSettings());
  await harness.answer('stats.summary', summary({ listener: waitingForDomain }));
  await harness.mount(SETUP, 'SetupScreen', { params: {} });
  await expectStep(harness.page, 1, 'Your domain');
}

/** The step's heading is shown and has the focus (a screen reader announces it; Tab goes on from there). */
async function expectStep(page: Page, n: number, title: string) {
  await page.getByRole('heading', { level: 2, name: `Step ${n} of 6: ${title}` }).waitFor({ timeout: 10_000 });
  await page.waitForFunction((text) => (globalThis as unknown as PageGlobals).document.activeElement?.textContent === text, `Step ${n} of 6: ${title}`, { timeout: 5_000 });
}

/** The calls that change something (or test), in order: the reads the screens refresh are left out. */
async function actions(harness: ComponentPage) {
  return (await harness.calls()).filter((call) => !reads.has(call.method));
}

test('setup: the happy path saves the domain, tests the route, checks DNS, saves the port and finishes, in that order, by keyboard', { timeout: 90_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await openSetup(harness);
  await page.getByTestId('setup-waiting').filter({ hasText: 'Receiving does not start before a domain exists' }).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Setup steps' }).locator('[aria-current="step"]').textContent(), 'Your domain');

  await page.getByLabel('Domain name').fill('example.com');
  await page.getByLabel('Domain name').press('Enter');
  await expectStep(page, 2, 'The office mail server');
  const domainInput = { name: 'example.com', enabled: true, destinations: [{ host: '192.168.1.10', port: 2525, tls: 'required' as const, verifyCertificate: false }], acceptAllRecipients: true, recipients: [] };
  await harness.answer('domains.save', savedDomain(domainInput));
  await page.getByLabel('Host name or IP address').fill('192.168.1.10');
  await page.getByLabel('Port', { exact: true }).fill('2525');
  await page.getByLabel('Encryption (TLS)').selectOption('required');
  await page.getByLabel('Port', { exact: true }).press('Enter');

  await expectStep(page, 3, 'Test the route');
  await harness.answer('domains.testRoute', refusedAtRcpt('192.168.1.10:2525'));
  await page.getByLabel('Recipient address to test (optional)').fill('alice@example.com');
  await page.getByLabel('Recipient address to test (optional)').press('Enter');
  await page.getByTestId('route-failure').filter({ hasText: 'Failed at RCPT TO (550 5.1.1): The server does not know this recipient' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Next' }).click();

  await expectStep(page, 4, 'Check DNS');
  await harness.answer('domains.checkDns', dnsOk('example.com'));
  await page.getByRole('button', { name: 'Check DNS' }).click();
  await page.getByTestId('dns-result').filter({ hasText: 'DNS is set up right' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Next' }).click();

  await expectStep(page, 5, 'The listening port');
  const port = page.getByLabel('Receive mail on port');
  await page.getByText('Mail servers on the internet deliver to port 25').waitFor();
  assert.equal(await port.inputValue(), '25', 'the saved port is shown');
  await harness.answer('settings.update', freshSettings());
  await harness.answer('stats.summary', summary({ listener: listeningOn(2525) }));
  await port.fill('2525');
  await port.press('Enter');

  await expectStep(page, 6, 'Start receiving');
  await page.getByTestId('setup-listener').filter({ hasText: 'Receiving mail on 0.0.0.0:2525.' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash === '#/dashboard', undefined, { timeout: 10_000 });

  const saved = savedDomain(domainInput).domain;
  assert.deepEqual(await actions(harness), [
    { method: 'domains.save', input: domainInput },
    { method: 'domains.testRoute', input: { destination: saved.destinations[0], recipient: 'alice@example.com' } },
    { method: 'domains.checkDns', input: { name: 'example.com' } },
    { method: 'settings.update', input: { listener: { port: 2525 } } },
    { method: 'settings.update', input: { setup: { done: true } } },
  ]);
});

test('setup: each step gives its reason beside the field and sends nothing until the input is valid', { timeout: 90_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await openSetup(harness);

  const name = page.getByLabel('Domain name');
  await name.press('Enter');
  await page.locator('#setup-name-error').filter({ hasText: 'Enter a domain name' }).waitFor();
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.equal(await name.getAttribute('aria-describedby'), 'setup-name-error', 'the reason is read with the field');
  await name.fill('not a domain');
  await name.press('Enter');
  await page.locator('#setup-name-error').filter({ hasText: 'Not a valid domain name (e.g. example.com)' }).waitFor();
  await name.fill('example.com');
  await name.press('Enter');

  await expectStep(page, 2, 'The office mail server');
  const port = page.getByLabel('Port', { exact: true });
  await port.fill('99999');
  await port.press('Enter');
  await page.locator('#setup-port-error').filter({ hasText: 'Port is 1 to 65535' }).waitFor();
  await page.locator('#setup-host-error').waitFor();
  assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id), 'setup-host', 'focus on the first field to fix');
  // The engine's own reasons: beside the field when there is one, listed above the fields otherwise.
  await harness.fail('domains.save', {
    code: 'INVALID_INPUT',
    message: 'The domain is not valid',
    issues: [
      { path: 'destinations.0.host', message: 'That is this spool itself: mail would loop' },
      { path: 'name', message: 'example.com is this spool\'s own domain' },
    ],
  });
  await page.getByLabel('Host name or IP address').fill('127.0.0.1');
  await port.fill('25');
  await port.press('Enter');
  await page.locator('#setup-host-error').filter({ hasText: 'That is this spool itself: mail would loop' }).waitFor({ timeout: 10_000 });
  await page.getByRole('alert').filter({ hasText: "Not saved:name: example.com is this spool's own domain" }).waitFor();
  await expectStepStill(page, 2);

  await harness.answer('domains.save', savedDomain({ name: 'example.com', destinations: [{ host: '192.168.1.10' }] }));
  await page.getByLabel('Host name or IP address').fill('192.168.1.10');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expectStep(page, 3, 'Test the route');
  const recipient = page.getByLabel('Recipient address to test (optional)');
  await recipient.fill('bob');
  await recipient.press('Enter');
  await page.locator('#setup-recipient-error').filter({ hasText: 'Enter one full address, e.g. alice@example.com' }).waitFor();
  await page.getByRole('button', { name: 'Skip this step' }).click();
  await expectStep(page, 4, 'Check DNS');
  await page.getByRole('button', { name: 'Skip this step' }).click();

  await expectStep(page, 5, 'The listening port');
  const listenPort = page.getByLabel('Receive mail on port');
  await listenPort.fill('25a');
  await listenPort.press('Enter');
  await page.locator('#setup-listen-port-error').filter({ hasText: 'Enter a number' }).waitFor();
  await listenPort.fill('70000');
  await listenPort.press('Enter');
  await page.locator('#setup-listen-port-error').filter({ hasText: 'Port is 1 to 65535' }).waitFor();
  await harness.fail('settings.update', { code: 'SETTINGS_INVALID', message: 'Not saved', issues: [{ path: 'listener.port', message: 'Port 2526 is the admin port' }] });
  await listenPort.fill('2526');
  await listenPort.press('Enter');
  await page.locator('#setup-listen-port-error').filter({ hasText: 'Port 2526 is the admin port' }).waitFor({ timeout: 10_000 });
  await expectStepStill(page, 5);

  // The skipped steps sent nothing; only the valid attempts reached the engine.
  assert.deepEqual(
    (await actions(harness)).map((call) => [call.method, call.input]),
    [
      ['domains.save', { name: 'example.com', enabled: true, destinations: [{ host: '127.0.0.1', port: 25, tls: 'opportunistic', verifyCertificate: false }], acceptAllRecipients: true, recipients: [] }],
      ['domains.save', { name: 'example.com', enabled: true, destinations: [{ host: '192.168.1.10', port: 25, tls: 'opportunistic', verifyCertificate: false }], acceptAllRecipients: true, recipients: [] }],
      ['settings.update', { listener: { port: 2526 } }],
    ],
  );
});

async function expectStepStill(page: Page, n: number) {
  await page.getByRole('heading', { level: 2, name: new RegExp(`^Step ${n} of 6:`) }).waitFor({ timeout: 1_000 });
}

test('setup: Back keeps what was typed; Skip setup marks the setup done and opens the dashboard', { timeout: 60_000 }, async (t) => {
  const harness = await openComponentPage(t);
  if (!harness) return;
  const { page } = harness;
  await openSetup(harness);
  await page.getByLabel('Domain name').fill('example.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await expectStep(page, 2, 'The office mail server');
  await page.getByLabel('Host name or IP address').fill('mail.example.com');
  await page.getByRole('button', { name: 'Back' }).click();
  await expectStep(page, 1, 'Your domain');
  assert.equal(await page.getByLabel('Domain name').inputValue(), 'example.com');
  await page.getByRole('button', { name: 'Next' }).click();
  await expectStep(page, 2, 'The office mail server');
  assert.equal(await page.getByLabel('Host name or IP address').inputValue(), 'mail.example.com');

  await harness.answer('settings.update', freshSettings(true));
  await page.getByRole('button', { name: 'Skip setup' }).click();
  await page.waitForFunction(() => (globalThis as unknown as { location: { hash: string } }).location.hash === '#/dashboard', undefined, { timeout: 10_000 });
  assert.deepEqual(await actions(harness), [{ method: 'settings.update', input: { setup: { done: true } } }]);
});
