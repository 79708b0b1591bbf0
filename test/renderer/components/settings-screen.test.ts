import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Locator } from 'playwright-core';
import type { SourceAddressesResult } from '../../../electron/contract/diagnosis-schema.js';
import { settingsSchema, type SettingsInput } from '../../../electron/contract/settings-schema.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import { summary, type ListenerStatus } from './fixtures/summary.js';

const SCREEN = 'renderer/src/features/settings/settings-screen.tsx';

const inUse = { listening: false, address: null, port: null, error: 'listen EADDRINUSE: address already in use 0.0.0.0:25' };

const noAddresses: SourceAddressesResult = { since: '2026-11-20T10:00:00.000Z', destinations: [] };

async function openSettings(t: TestContext, listener: ListenerStatus, settings: SettingsInput = {}, addresses: SourceAddressesResult = noAddresses): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t);
  if (!harness) return null;
  await harness.answer('settings.get', settingsSchema.parse(settings));
  await harness.answer('diagnosis.sourceAddresses', addresses);
  await harness.answer('stats.summary', summary({ listener }));
  await harness.mount(SCREEN, 'SettingsScreen', { params: {} });
  await harness.page.getByRole('heading', { name: 'Listener' }).waitFor({ timeout: 10_000 });
  return harness;
}

/** Everything that describes a control (its reason or hint, and the listener's problem), as read aloud. */
async function descriptionOf(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id: string) => element.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

const updateCalls = async (harness: ComponentPage) => (await harness.calls()).filter((call) => call.method === 'settings.update').map((call) => call.input);

test('a listener error is shown beside the port with what to do, and saving the listener sends only a listener patch', { timeout: 60_000 }, async (t) => {
  const harness = await openSettings(t, inUse);
  if (!harness) return;
  const { page } = harness;
  const listener = page.getByRole('form', { name: 'Listener' });
  await listener.getByTestId('listener-status').filter({ hasText: 'Not receiving mail on 0.0.0.0:25' }).waitFor({ timeout: 10_000 });
  const port = listener.getByLabel('Port', { exact: true });
  assert.match(await descriptionOf(port), /address already in use.*Another program already uses this port.*Pick another port, or stop the other mail server/);
  await page.screenshot({ path: 'test-results/settings-listener-error.png', fullPage: true });

  await port.fill('2525');
  await listener.getByLabel('Message size limit (MB)').fill('10');
  const saved = settingsSchema.parse({ listener: { port: 2525, maxMessageBytes: 10 * 1024 * 1024 } });
  await harness.answer('settings.update', saved);
  await harness.answer('settings.get', saved);
  await harness.answer('stats.summary', summary({ listener: { listening: true, address: '0.0.0.0', port: 2525, error: null } })); // the engine restarted it
  await port.press('Enter');

  await listener.getByRole('status').filter({ hasText: 'Saved. Receiving mail on 0.0.0.0:2525.' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await updateCalls(harness), [
    { listener: { host: '0.0.0.0', port: 2525, hostname: '', maxMessageBytes: 10 * 1024 * 1024, maxRecipients: 100, tlsCertFile: '', tlsKeyFile: '' } },
  ]);
  assert.equal(await listener.locator('#settings-listener-problem').count(), 0, 'the problem is gone once the listener runs');
  const calls = (await harness.calls()).map((call) => call.method);
  assert.ok(calls.lastIndexOf('stats.summary') > calls.indexOf('settings.update'), 'the status is read again after the restart');
});

test('a listener.status event refreshes the status: port 25 without administrator rights gets its own advice', { timeout: 60_000 }, async (t) => {
  const harness = await openSettings(t, { listening: true, address: '0.0.0.0', port: 25, error: null });
  if (!harness) return;
  const listener = harness.page.getByRole('form', { name: 'Listener' });
  await listener.getByTestId('listener-status').filter({ hasText: 'Receiving mail on 0.0.0.0:25.' }).waitFor({ timeout: 10_000 });
  const error = 'listen EACCES: permission denied 0.0.0.0:25';
  await harness.answer('stats.summary', summary({ listener: { listening: false, address: null, port: null, error } }));
  await harness.emit('listener.status', { listening: false, error });
  await listener.locator('#settings-listener-problem').waitFor({ timeout: 10_000 });
  assert.match(await descriptionOf(listener.getByLabel('Port', { exact: true })), /Run MX Spool as administrator or as a service, or use a port above 1024/);
});

test('each section is checked with the contract before saving, and the reason stands beside the field', { timeout: 60_000 }, async (t) => {
  const harness = await openSettings(t, { listening: true, address: '0.0.0.0', port: 25, error: null });
  if (!harness) return;
  const { page } = harness;
  const listener = page.getByRole('form', { name: 'Listener' });
  const port = listener.getByLabel('Port', { exact: true });
  await port.fill('25a');
  await listener.getByLabel('Message size limit (MB)').fill('4096');
  await listener.getByRole('button', { name: 'Save listener settings' }).press('Enter');
  await port.and(page.locator('[aria-invalid="true"]')).waitFor({ timeout: 5_000 });
  assert.match(await descriptionOf(port), /^Enter a number/);
  assert.match(await descriptionOf(listener.getByLabel('Message size limit (MB)')), /^Enter a size from 0.001 to 1024 MB/);
  assert.equal(await port.evaluate((element) => element === element.ownerDocument.activeElement), true, 'focus moves to the first invalid field');

  const retry = page.getByRole('form', { name: 'Retry policy' });
  await retry.getByLabel('Shortest retry interval (minutes)').fill('300');
  await retry.getByLabel('Shortest retry interval (minutes)').press('Enter');
  assert.match(await descriptionOf(retry.getByLabel('Shortest retry interval (minutes)')), /^Must not be longer than the longest interval/);

  const relay = page.getByRole('form', { name: 'Bounce relay' });
  await relay.getByLabel('Send bounces through a relay').check();
  await relay.getByRole('button', { name: 'Save bounce relay settings' }).click();
  assert.match(await descriptionOf(relay.getByLabel('Relay host')), /^Enter the relay host or turn the relay off/);
  assert.deepEqual(await updateCalls(harness), [], 'nothing invalid is sent');

  // A reason only the engine knows lands at its field too.
  const queue = page.getByRole('form', { name: 'Queue' });
  const failure = { code: 'INVALID_INPUT', message: 'Some settings are not valid', issues: [{ path: 'queue.minFreeDiskMb', message: 'More than the disk holds' }] };
  await harness.fail('settings.update', failure);
  await queue.getByLabel('Minimum free disk space (MB)').fill('999999');
  await queue.getByRole('button', { name: 'Save queue settings' }).click();
  await queue.getByLabel('Minimum free disk space (MB)').and(page.locator('[aria-invalid="true"]')).waitFor({ timeout: 5_000 });
  assert.match(await descriptionOf(queue.getByLabel('Minimum free disk space (MB)')), /^More than the disk holds/);
  assert.deepEqual(await updateCalls(harness), [{ queue: { lifetimeDays: 7, minFreeDiskMb: 999999, delayWarningHours: 0 } }]);
  await page.screenshot({ path: 'test-results/settings-invalid.png', fullPage: true });
});

test('bounce relay: emptying the saved login removes it (auth: null), keeping it sends it unchanged', { timeout: 60_000 }, async (t) => {
  const stored = { bounceRelay: { enabled: true, host: 'smtp.example.net', port: 587, auth: { user: 'spool', pass: 'secret' } } };
  const harness = await openSettings(t, { listening: true, address: '0.0.0.0', port: 25, error: null }, stored);
  if (!harness) return;
  const relay = harness.page.getByRole('form', { name: 'Bounce relay' });
  await harness.answer('settings.update', settingsSchema.parse(stored));
  await relay.getByRole('button', { name: 'Save bounce relay settings' }).click();
  await relay.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ timeout: 10_000 });
  await relay.getByLabel('Relay user name (optional)').fill('');
  await relay.getByLabel('Relay password').fill(''); // the user-name reason shown meanwhile goes now, not on blur
  await harness.answer('settings.update', settingsSchema.parse({ bounceRelay: { ...stored.bounceRelay, auth: undefined } }));
  await relay.getByRole('button', { name: 'Save bounce relay settings' }).click(); // a pointer click, straight from the field
  await relay.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ timeout: 10_000 });
  const [kept, removed] = (await updateCalls(harness)) as { bounceRelay: { auth: unknown } }[];
  assert.deepEqual(kept?.bounceRelay.auth, { user: 'spool', pass: 'secret' });
  assert.equal(removed?.bounceRelay.auth, null);
});

const EXCHANGE_STEPS =
  'Create a receive connector just for this spool, without rate limits (Exchange Management Shell):\n' +
  'New-ReceiveConnector -Name "MX Spool 198.51.100.2" -TransportRole FrontendTransport -Usage Custom -Bindings 0.0.0.0:25 -RemoteIPRanges 198.51.100.2';

const usedAddresses: SourceAddressesResult = {
  since: '2026-11-20T10:00:00.000Z',
  destinations: [
    {
      destination: 'mail.example.com:25',
      domains: ['example.com', 'example.org'],
      addresses: [
        {
          address: '198.51.100.2',
          count: 38,
          lastSeen: '2026-11-27T09:15:00.000Z',
          instructions: [
            { server: 'firewall', title: 'Firewall', text: 'Allow incoming TCP connections from 198.51.100.2 to port 25 of the mail server.' },
            { server: 'exchange', title: 'Exchange receive connector', text: EXCHANGE_STEPS },
          ],
        },
      ],
    },
    { destination: 'backup.example.com:25', domains: ['example.com'], addresses: [] },
  ],
};

test('"Our addresses" lists each source IP per destination with copy-ready allowlisting steps, or says none yet', { timeout: 60_000 }, async (t) => {
  const harness = await openSettings(t, { listening: true, address: '0.0.0.0', port: 25, error: null }, {}, usedAddresses);
  if (!harness) return;
  const { page } = harness;
  const section = page.getByRole('region', { name: 'Our addresses' });
  const table = section.getByRole('table', { name: 'Source addresses used for mail.example.com:25' });
  await table.waitFor({ timeout: 10_000 });
  assert.deepEqual(await table.getByRole('columnheader').allTextContents(), ['Address', 'Attempts', 'Last seen']);
  const row = table.locator('tbody tr');
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('td').nth(0).textContent(), '198.51.100.2');
  assert.equal(await row.locator('td').nth(1).textContent(), '38');
  assert.equal(await row.locator('td').nth(2).getAttribute('title'), '2026-11-27T09:15:00.000Z');
  assert.match((await row.locator('td').nth(2).textContent()) ?? '', /27\/11\/2026.*09:15:00/, 'in the computer\'s zone (UTC here)');
  assert.match((await section.getByRole('heading', { name: /^mail\.example\.com:25/ }).textContent()) ?? '', /\(example\.com, example\.org\)/);
  assert.match((await section.getByRole('region', { name: 'backup.example.com:25 (example.com)' }).textContent()) ?? '', /No connection was made to this server/);

  const steps = section.getByTestId('allowlist');
  assert.equal(await steps.locator('pre').count(), 2);
  assert.equal(await steps.locator('[data-server="exchange"] pre').textContent(), EXCHANGE_STEPS, 'the steps exactly, lines kept');

  // The clipboard of a headless browser is out of reach: record what is written instead. Source text,
  // because tsx would wrap a method defined in a callback in a `__name` helper the page lacks.
  await page.evaluate(`
    globalThis.copied = [];
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText(text) { globalThis.copied.push(text); return Promise.resolve(); } } });
  `);
  const copy = steps.getByRole('button', { name: 'Copy the Exchange receive connector steps for 198.51.100.2' });
  assert.equal(await copy.textContent(), 'Copy');
  await copy.click();
  await steps.locator('[data-server="exchange"]').getByRole('button', { name: /Copy the Exchange/ }).filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
  assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { copied: string[] }).copied), [EXCHANGE_STEPS]);
  assert.equal(await steps.getByRole('button', { name: 'Copy the Firewall steps for 198.51.100.2' }).textContent(), 'Copy', 'only the pressed button says Copied');
  await page.screenshot({ path: 'test-results/settings-our-addresses.png', fullPage: true });

  // Nothing sent in the last 7 days: the section says when the addresses will appear.
  await harness.answer('diagnosis.sourceAddresses', noAddresses);
  await section.getByRole('button', { name: 'Refresh addresses' }).click();
  await section.getByText('No delivery attempts in the last 7 days: the addresses appear after the first attempt.').waitFor({ timeout: 10_000 });
  assert.equal(await section.getByRole('table').count(), 0);
  assert.equal((await harness.calls()).filter((call) => call.method === 'diagnosis.sourceAddresses').length, 2);
});
