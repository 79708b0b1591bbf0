import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { ApiOutput } from '../../../electron/contract/api-contract.js';
import { domainSchema, settingsSchema, type DomainInput } from '../../../electron/contract/settings-schema.js';
import { openComponentPage, type ComponentPage } from '../../support/component-page.js';
import { summary, summaryDomain } from './fixtures/summary.js';

/** The page's harness (test/renderer/harness/harness.tsx) with a canned answer the test releases itself. */
interface HeldAnswerGlobals {
  harness: { answers: Record<string, unknown> };
  releaseTestRoute?: () => void;
}

const SCREEN = 'renderer/src/features/domains/domains-screen.tsx';
const REJECTED = '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table';

async function openEditForm(t: TestContext, domain: DomainInput): Promise<ComponentPage | null> {
  const harness = await openComponentPage(t);
  if (!harness) return null;
  const item = domainSchema.parse(domain);
  await harness.answer('domains.list', { items: [item] });
  await harness.answer('settings.get', settingsSchema.parse({ domains: [item] }));
  await harness.answer('stats.summary', summary({ domains: [summaryDomain(item.name)] }));
  await harness.mount(SCREEN, 'DomainsScreen', { params: { edit: item.name } });
  await harness.page.getByRole('heading', { name: `Edit ${item.name}` }).waitFor({ timeout: 10_000 });
  return harness;
}

test('Test beside a mail server sends its unsaved values and the recipient, then shows the failed RCPT reply and the transcript', { timeout: 60_000 }, async (t) => {
  const harness = await openEditForm(t, { name: 'example.com', destinations: [{ host: 'old.example.com' }, { host: 'backup.example.com', port: 2525 }] });
  if (!harness) return;
  const { page } = harness;
  const second = page.getByRole('group', { name: 'Mail server 2' });
  await second.getByLabel('Host name or IP address').fill('mail.example.com'); // not saved
  await second.getByLabel('Port').fill('587');
  await second.getByLabel('Encryption (TLS)').selectOption('required');
  const testButton = second.getByRole('button', { name: 'Test mail server 2' });
  await testButton.click();
  assert.equal(await testButton.getAttribute('aria-expanded'), 'true');
  const recipient = second.getByLabel('Recipient address to test');
  assert.equal(await recipient.inputValue(), 'postmaster@example.com', 'prefilled with the postmaster of the domain');
  await recipient.fill('nobody@example.com');

  // The answer is held back (the harness awaits a canned promise) until the progress line has been seen.
  await page.evaluate((value) => {
    const page = globalThis as unknown as HeldAnswerGlobals;
    page.harness.answers['domains.testRoute'] = new Promise((resolve) => {
      page.releaseTestRoute = () => resolve({ ok: true, value });
    });
  }, routeResult);
  await recipient.press('Enter'); // runs the test; the domain is not saved
  await second.getByRole('progressbar', { name: 'Testing mail server 2' }).waitFor({ timeout: 10_000 });
  assert.match((await second.getByRole('status').textContent()) ?? '', /Testing mail\.example\.com:587… A server that does not answer can take up to 5 minutes/);
  await page.evaluate(() => (globalThis as unknown as HeldAnswerGlobals).releaseTestRoute?.());
  await second.getByTestId('route-result').waitFor({ timeout: 10_000 });

  const calls = await harness.calls();
  assert.deepEqual(calls.filter((call) => call.method === 'domains.save'), [], 'Enter in the recipient field does not save the domain');
  assert.deepEqual(
    calls.filter((call) => call.method === 'domains.testRoute').map((call) => call.input),
    [{ destination: { host: 'mail.example.com', port: 587, tls: 'required', verifyCertificate: false }, recipient: 'nobody@example.com' }],
  );
  assert.equal(await second.getByTestId('route-failure').textContent(), 'Failed at RCPT TO (550 5.1.1): Recipient rejected');
  assert.equal(await second.getByTestId('route-failure-reply').textContent(), REJECTED, 'the reply exactly as sent');
  assert.equal(
    await second.getByTestId('route-transcript').textContent(),
    ['* Connected to 198.51.100.25:587 from 192.0.2.7', 'S: 220-mail.example.com ESMTP', 'S: 220 ready', 'C: EHLO spool.example.net', 'S: 250 mail.example.com', 'C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS', 'C: MAIL FROM:<>', 'S: 250 2.1.0 Ok', 'C: RCPT TO:<nobody@example.com>', `S: ${REJECTED}`, 'C: QUIT', 'S: 221 2.0.0 Bye'].join('\n'),
  );
  const tls = second.getByTestId('route-tls');
  assert.match((await tls.textContent()) ?? '', /CN=mail\.example\.com.*CN=Example CA/);
  assert.equal(await page.getByRole('group', { name: 'Mail server 1' }).getByTestId('route-result').count(), 0, 'only the tested server shows a result');
  await page.screenshot({ path: 'test-results/domains-route-test.png', fullPage: true });

  await recipient.press('Escape'); // closes the test, not the form
  assert.equal(await testButton.getAttribute('aria-expanded'), 'false');
  await page.getByRole('heading', { name: 'Edit example.com' }).waitFor();
});

test('the route test sends the sender the admin typed, and names a bad one beside its field without calling the engine', { timeout: 60_000 }, async (t) => {
  const harness = await openEditForm(t, { name: 'example.com', destinations: [{ host: 'mail.example.com' }] });
  if (!harness) return;
  const { page } = harness;
  const server = page.getByRole('group', { name: 'Mail server 1' });
  await server.getByRole('button', { name: 'Test mail server 1' }).click();
  const sender = server.getByLabel('Sender address (optional)');
  await sender.fill('alice <x>@outside.example');
  await sender.press('Enter');
  await server.locator('#' + (await sender.getAttribute('aria-describedby'))!.split(' ')[0]!).waitFor({ timeout: 10_000 });
  assert.equal(await sender.getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'domains.testRoute'), [], 'nothing sent while the sender is invalid');

  await harness.answer('domains.testRoute', { ...routeResult, sender: 'alice@outside.example' });
  await sender.fill('alice@outside.example');
  await sender.press('Enter');
  await server.getByTestId('route-result').waitFor({ timeout: 10_000 });
  assert.equal(await sender.getAttribute('aria-invalid'), null);
  assert.deepEqual(
    (await harness.calls()).filter((call) => call.method === 'domains.testRoute').map((call) => call.input),
    [{ destination: { host: 'mail.example.com', port: 25, tls: 'opportunistic', verifyCertificate: false }, recipient: 'postmaster@example.com', sender: 'alice@outside.example' }],
  );
});

test('Check DNS shows the MX table with this spool marked and a warning in plain words', { timeout: 60_000 }, async (t) => {
  const harness = await openEditForm(t, { name: 'example.com', destinations: [{ host: 'mail.example.com' }] });
  if (!harness) return;
  const { page } = harness;
  await harness.answer('domains.checkDns', dnsResult);
  await page.getByRole('button', { name: 'Check DNS' }).click();
  const result = page.getByTestId('dns-result');
  await result.waitFor({ timeout: 10_000 });
  assert.deepEqual((await harness.calls()).filter((call) => call.method === 'domains.checkDns').map((call) => call.input), [{ name: 'example.com' }]);
  const warning = result.locator('[data-code="SPOOL_OUTRANKS_PRIMARY"]');
  assert.equal(await warning.textContent(), `This spool comes before the office server. ${OUTRANKS}`);
  const rows = result.getByRole('row');
  assert.deepEqual(await rows.allTextContents(), [
    'PreferenceMail serverAddressesThis spool',
    '5spool.example.net192.0.2.7This spool (matched by name)',
    '10mail.example.com198.51.100.25, 2001:db8::25',
  ]);
  await page.screenshot({ path: 'test-results/domains-dns-check.png', fullPage: true });
});

const OUTRANKS = 'Senders try this spool before your office server: spool.example.net has preference 5, mail.example.com 10. Give spool.example.net a higher number, e.g. 20.';

const dnsResult: ApiOutput<'domains.checkDns'> = {
  domain: 'example.com',
  mx: [
    { preference: 5, exchange: 'spool.example.net', addresses: ['192.0.2.7'], addressError: null, isThisSpool: true, matchedBy: 'name' },
    { preference: 10, exchange: 'mail.example.com', addresses: ['198.51.100.25', '2001:db8::25'], addressError: null, isThisSpool: false, matchedBy: null },
  ],
  fallbackAddresses: [],
  spool: { hostname: 'spool.example.net', addresses: ['192.0.2.7'], inMx: true, preference: 5, primaryPreference: 10 },
  warnings: [{ code: 'SPOOL_OUTRANKS_PRIMARY', message: OUTRANKS }],
  ok: false,
};

const routeResult: ApiOutput<'domains.testRoute'> = {
  ok: false,
  stage: 'rcpt',
  startedAt: '2026-11-27T23:10:00.000Z',
  destination: 'mail.example.com:587',
  sender: '',
  steps: [
    { step: 'connect', ok: true, durationMs: 3, detail: 'Connected to 198.51.100.25:587 from 192.0.2.7' },
    { step: 'banner', ok: true, durationMs: 5, detail: '220 ready' },
    { step: 'ehlo', ok: true, durationMs: 2, detail: 'STARTTLS, SIZE, 8BITMIME' },
    { step: 'starttls', ok: true, durationMs: 20, detail: 'TLSv1.3, CN=mail.example.com' },
    { step: 'mail', ok: true, durationMs: 1, detail: '250 2.1.0 Ok' },
    { step: 'rcpt', ok: false, durationMs: 1, detail: REJECTED },
    { step: 'quit', ok: true, durationMs: 1, detail: '221 2.0.0 Bye' },
  ],
  transcript: [
    { direction: 'info', text: 'Connected to 198.51.100.25:587 from 192.0.2.7', atMs: 3 },
    { direction: 'server', text: '220-mail.example.com ESMTP\n220 ready', atMs: 8 },
    { direction: 'client', text: 'EHLO spool.example.net', atMs: 8 },
    { direction: 'server', text: '250 mail.example.com', atMs: 10 },
    { direction: 'client', text: 'STARTTLS', atMs: 10 },
    { direction: 'server', text: '220 2.0.0 Ready to start TLS', atMs: 11 },
    { direction: 'client', text: 'MAIL FROM:<>', atMs: 31 },
    { direction: 'server', text: '250 2.1.0 Ok', atMs: 32 },
    { direction: 'client', text: 'RCPT TO:<nobody@example.com>', atMs: 32 },
    { direction: 'server', text: REJECTED, atMs: 33 },
    { direction: 'client', text: 'QUIT', atMs: 33 },
    { direction: 'server', text: '221 2.0.0 Bye', atMs: 34 },
  ],
  extensions: ['SIZE', '8BITMIME'],
  tls: {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    certificate: {
      subject: 'CN=mail.example.com',
      issuer: 'CN=Example CA',
      subjectAltNames: ['DNS:mail.example.com'],
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
      fingerprint256: 'AA:BB',
      serialNumber: '01',
      selfSigned: false,
    },
    verified: false,
    verifyError: 'unable to get local issuer certificate (UNABLE_TO_GET_ISSUER_CERT_LOCALLY)',
  },
  localAddress: '192.0.2.7',
  remoteAddress: '198.51.100.25',
  failure: { stage: 'rcpt', code: 550, enhancedCode: '5.1.1', response: REJECTED, errorCode: 'EENVELOPE', originalCode: null, message: 'Recipient rejected' },
};
