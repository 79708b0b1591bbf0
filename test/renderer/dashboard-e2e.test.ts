import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startService } from '../support/headless-service.js';
import { sampleMessage, sendRaw, startDestination } from '../support/mail-peers.js';
import { tempDir } from '../support/temp-dir.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

test('dashboard in Chromium: live queue count from engine events, Retry now drains it', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`Debian's Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    return;
  }
  if (!existsSync(path.join(repoRoot, 'renderer', 'dist', 'index.html'))) {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  }
  const office = await startDestination();
  const officePort = office.port;
  await office.close(); // the office server is down
  const service = await startService(t, await tempDir(t));
  const saved = await service.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: officePort, tls: 'none' }] });
  assert.equal(saved.status, 200);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${service.url}/#token=${service.token}`);
  const card = page.locator('[data-domain="example.com"]');
  await card.getByTestId('queued').filter({ hasText: '0' }).waitFor({ timeout: 10_000 });
  assert.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');

  await sendRaw(service.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('live'));
  await card.getByTestId('queued').filter({ hasText: '1' }).waitFor({ timeout: 10_000 }); // no reload: the event stream did it
  await card.getByTestId('last-reply').filter({ hasText: /deferred: .*ECONNREFUSED/ }).waitFor({ timeout: 10_000 });

  const back = await startDestination({ port: officePort });
  t.after(() => back.close());
  await card.getByRole('button', { name: 'Retry now' }).click();
  await card.getByTestId('queued').filter({ hasText: '0' }).waitFor({ timeout: 10_000 });
  await card.getByTestId('last-reply').filter({ hasText: /^delivered: 250/ }).waitFor({ timeout: 10_000 });
  assert.equal(back.messages.length, 1);
  await page.screenshot({ path: path.join(repoRoot, 'test-results', 'dashboard.png'), fullPage: true }); // for a human look
  assert.deepEqual(pageErrors, []);
});
