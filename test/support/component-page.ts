import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { createServer } from 'vite';
import type { ApiMethod, ApiOutput } from '../../electron/contract/api-contract.js';
import { launchChromium, repoRoot } from './chromium.js';

/** What test/renderer/harness/harness.tsx puts on the page's window (this file has no DOM typings).
 * page.evaluate sends function source to the page, so each callback names globalThis itself; and tsx
 * adds a `__name` helper to named arrow functions that the page lacks, so keep those out of callbacks. */
interface HarnessWindow {
  harness: {
    mount(modulePath: string, exportName: string, props: Record<string, unknown>): Promise<void>;
    answers: Record<string, unknown>;
    calls: { method: string; input: unknown; at: number }[];
    emit(event: string, payload: unknown): void;
    hold(method: string): void;
    release(method: string): void;
  };
}

export interface ComponentPage {
  page: Page;
  /** Mount `exportName` from a renderer module (path relative to the repo root) with JSON props. */
  mount(modulePath: string, exportName: string, props?: Record<string, unknown>): Promise<void>;
  /** What the stand-in API answers for a method from now on. */
  answer<M extends ApiMethod>(method: M, value: ApiOutput<M>): Promise<void>;
  fail(method: ApiMethod, error: { code: string; message: string; issues?: { path: string; message: string }[] }): Promise<void>;
  /** Every API call the component made, in order. */
  calls(): Promise<{ method: string; input: unknown }[]>;
  /** The same calls with the page's clock (performance.now()) at each: timing checks then do not depend on how fast the test polls. */
  timedCalls(): Promise<{ method: string; input: unknown; at: number }[]>;
  emit(event: string, payload: unknown): Promise<void>;
  /** Calls of `method` wait from now on until `release(method)`, so a test sees what shows meanwhile. */
  hold(method: ApiMethod): Promise<void>;
  release(method: ApiMethod): Promise<void>;
}

/**
 * A real renderer component in Debian's Chromium, served by Vite's dev server from
 * test/renderer/harness. `timeZone` sets the browser's own zone, so a test can prove a screen shows
 * times in the zone the admin picked and not in the zone of the computer; `locale` (en-GB unless told) the
 * browser's language, for the numbers. Null when Chromium is missing (the test is then marked skipped
 * with the reason).
 */
export async function openComponentPage(t: TestContext, options: { timeZone?: string; locale?: string } = {}): Promise<ComponentPage | null> {
  const browser = await launchChromium(t);
  if (!browser) return null;
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-vite-'));
  const server = await createServer({
    configFile: false,
    root: path.join(repoRoot, 'test/renderer/harness'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // React is CommonJS: Vite pre-bundles it. Scanning every renderer module up front means a component
    // mounted later never brings a new dependency that would make Vite re-bundle and reload the page.
    // One cache per test process: two test files pre-bundling into one shared folder at once race.
    cacheDir,
    optimizeDeps: { entries: [path.join(repoRoot, 'renderer/src/**/*.tsx'), path.join(repoRoot, 'test/renderer/harness/*.tsx')] },
    oxc: { jsx: { runtime: 'automatic' } },
  });
  await server.listen();
  t.after(() => server.close());
  t.after(() => rm(cacheDir, { recursive: true, force: true })); // after-hooks run in registration order
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not listen on a port');
  const context = await browser.newContext({ timezoneId: options.timeZone ?? 'UTC', locale: options.locale ?? 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  t.after(() => {
    if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
  });
  await page.goto(`http://127.0.0.1:${address.port}/`);
  await page.waitForFunction(() => 'harness' in globalThis);
  return {
    page,
    async mount(modulePath, exportName, props = {}) {
      await page.evaluate(([file, name, json]) => (globalThis as unknown as HarnessWindow).harness.mount(file, name, json), [path.join(repoRoot, modulePath), exportName, props] as const);
    },
    async answer(method, value) {
      await page.evaluate(([name, json]) => void ((globalThis as unknown as HarnessWindow).harness.answers[name] = { ok: true, value: json }), [method, value as unknown] as const);
    },
    async fail(method, error) {
      await page.evaluate(([name, json]) => void ((globalThis as unknown as HarnessWindow).harness.answers[name] = { ok: false, error: json }), [method, error] as const);
    },
    calls: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).harness.calls.map((call) => ({ method: call.method, input: call.input }))),
    timedCalls: () => page.evaluate(() => (globalThis as unknown as HarnessWindow).harness.calls),
    async emit(event, payload) {
      await page.evaluate(([name, json]) => (globalThis as unknown as HarnessWindow).harness.emit(name, json), [event, payload] as const);
    },
    async hold(method) {
      await page.evaluate((name) => (globalThis as unknown as HarnessWindow).harness.hold(name), method);
    },
    async release(method) {
      await page.evaluate((name) => (globalThis as unknown as HarnessWindow).harness.release(name), method);
    },
  };
}
