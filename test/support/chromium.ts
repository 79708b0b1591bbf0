import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Debian's Chromium, driven by playwright-core (its own browser download is never used). Returns null
 * after marking the test skipped, with the reason, where Chromium is not installed.
 */
export async function launchChromium(t: TestContext): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    t.skip(`Debian's Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
    return null;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  return browser;
}

/** Where tests save screenshots for a human look (not committed); docs/screenshots holds the curated ones. */
export function resultPath(name: string): string {
  return path.join(repoRoot, 'test-results', name);
}
