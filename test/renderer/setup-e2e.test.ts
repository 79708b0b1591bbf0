import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium, repoRoot } from '../support/chromium.js';
import { spawnService } from '../support/headless-service.js';
import { closedPort, sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// `SCREENSHOT_DIR=docs/screenshots npm test -- test/renderer/setup-e2e` refreshes the setup and About pictures.
const screenshotDir = path.resolve(repoRoot, process.env.SCREENSHOT_DIR ?? 'test-results');

async function shoot(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** How a TCP connection to the port on 127.0.0.1 ends: 'connected', or the error code (ECONNREFUSED). */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function expectStep(page: Page, n: number, title: string) {
  await page.getByRole('heading', { level: 2, name: `Step ${n} of 6: ${title}` }).waitFor({ timeout: 10_000 });
}

test('first-run setup end to end: the service receives nothing until the setup adds a domain, then a real message is delivered', { timeout: 240_000 }, async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  if (!existsSync(path.join(repoRoot, 'renderer', 'dist', 'index.html'))) {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  }
  const office = await startDestination(); // the office mail server, up
  t.after(() => office.close());
  const firstPort = await closedPort(); // where the service would listen at once without --wait-for-domain
  const chosenPort = await closedPort(); // the port picked in the setup
  const dataDir = await tempDir(t);
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ listener: { port: firstPort } }));
  // No --smtp-port: the listener follows the settings, so the port chosen in the setup takes effect.
  const service = spawnService(t, ['--data-dir', dataDir, '--smtp-host', '127.0.0.1', '--admin-port', '0', '--wait-for-domain']);
  const url = (await waitFor(() => /Admin URL: (http:\/\/127\.0\.0\.1:\d+)\//.exec(service.output()), 30_000, 'admin URL printed'))[1]!;
  const token = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();

  // Receiving has not started: the configured port refuses connections.
  assert.equal(await tryConnect(firstPort), 'ECONNREFUSED', 'no SMTP before the first domain');

  const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-GB', viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/#token=${token}`);

  // A new install opens on the setup.
  await page.getByRole('heading', { level: 1, name: 'Set up MX Spool' }).waitFor({ timeout: 15_000 });
  await expectStep(page, 1, 'Your domain');
  await page.getByTestId('setup-waiting').waitFor({ timeout: 10_000 });
  await page.getByLabel('Domain name').fill('example.com');
  await shoot(page, 'setup-domain');
  await page.getByLabel('Domain name').press('Enter');

  await expectStep(page, 2, 'The office mail server');
  await page.getByLabel('Host name or IP address').fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill(String(office.port));
  await page.getByLabel('Encryption (TLS)').selectOption('none');
  await shoot(page, 'setup-mail-server');
  await page.getByRole('button', { name: 'Save and continue' }).click();

  // The real route test against the office server: RCPT TO accepted, nothing delivered.
  await expectStep(page, 3, 'Test the route');
  await page.getByTestId('setup-waiting').waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByRole('button', { name: 'Test the route' }).click();
  await page.getByTestId('route-result').filter({ hasText: `127.0.0.1:${office.port} would accept mail for postmaster@example.com. Nothing was sent.` }).waitFor({ timeout: 30_000 });
  await shoot(page, 'setup-route-test');
  assert.equal(office.messages.length, 0, 'the route test sends no message');
  await page.getByRole('button', { name: 'Next' }).click();

  // DNS of example.com is not ours to check from a test machine: skipped, as an admin may.
  await expectStep(page, 4, 'Check DNS');
  await page.getByRole('button', { name: 'Skip this step' }).click();

  await expectStep(page, 5, 'The listening port');
  const port = page.getByLabel('Receive mail on port');
  await waitFor(async () => (await port.inputValue()) === String(firstPort), 10_000, 'the configured port shown');
  await port.fill(String(chosenPort));
  await port.press('Enter');

  await expectStep(page, 6, 'Start receiving');
  await page.getByTestId('setup-listener').filter({ hasText: `Receiving mail on 127.0.0.1:${chosenPort}.` }).waitFor({ timeout: 15_000 });
  await shoot(page, 'setup-receiving');
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor({ timeout: 10_000 });

  // A real message to the port chosen in the setup reaches the office server.
  await sendRaw(chosenPort, { from: 'sender@example.net', to: ['alice@example.com'] }, sampleMessage('after setup'));
  await waitFor(() => office.messages.length === 1, 20_000, 'the message delivered to the office server');
  assert.deepEqual(office.messages[0]!.to, ['alice@example.com']);
  assert.match(office.messages[0]!.raw.toString(), /Subject: after setup/);
  assert.equal(await tryConnect(firstPort), 'ECONNREFUSED', 'the listener moved to the chosen port');

  // About: the service cannot open a folder, so the path is shown to copy; diagnostics download as a file.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'About', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'About MX Spool' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('about-host').textContent(), 'Service (headless, opened in a browser)');
  await page.getByRole('button', { name: 'Open data folder' }).click();
  await page.getByTestId('folder-path').getByText(dataDir, { exact: true }).waitFor({ timeout: 10_000 });
  const download = page.waitForEvent('download', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Export diagnostics' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^mx-spool-diagnostics-.*\.json$/);
  const diagnostics = JSON.parse(await readFile(await file.path(), 'utf8')) as unknown;
  assert.ok(JSON.stringify(diagnostics).includes('example.com'), 'the export holds the configured domain');
  await page.getByTestId('diagnostics-saved').waitFor({ timeout: 10_000 });
  await shoot(page, 'about');
  assert.deepEqual(pageErrors, []);

  // Finish was saved: the next start opens on the dashboard, with the port chosen in the setup.
  const settings = (await (await fetch(`${url}/api/settings.get`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).json()) as {
    value: { setup: { done: boolean }; listener: { port: number } };
  };
  assert.deepEqual({ port: settings.value.listener.port, setupDone: settings.value.setup.done }, { port: chosenPort, setupDone: true });
});
