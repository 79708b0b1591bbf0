import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { startAdminServer } from '../../electron/headless/admin-http-server.js';
import { UI_CONTENT_SECURITY_POLICY } from '../../electron/headless/static-files.js';
import { FakeEvents, createFakeHandlers } from './fake-api.js';
import { rawHttp } from '../support/raw-http.js';

const TOKEN = 'static-token-0123456789abcdefghijklmnopqrst';

/** A temp folder with the UI in `ui/` and a secret next to it that must never be served. */
async function startWithUi(t: TestContext) {
  const base = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-static-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const ui = path.join(base, 'ui');
  await mkdir(path.join(ui, 'assets'), { recursive: true });
  await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>MX Spool</title>');
  await writeFile(path.join(ui, 'assets', 'app.js'), 'console.log(1);');
  await writeFile(path.join(ui, 'assets', 'app.css'), 'body{}');
  await writeFile(path.join(ui, 'assets', 'logo.svg'), '<svg/>');
  await writeFile(path.join(ui, '.env'), 'SECRET=1');
  await writeFile(path.join(base, 'secret.txt'), 'top secret');
  if (process.platform !== 'win32') await symlink(path.join(base, 'secret.txt'), path.join(ui, 'assets', 'link.txt'));
  const server = await startAdminServer({
    handlers: createFakeHandlers().handlers,
    events: new FakeEvents(),
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    logger: createMemoryLogger(),
    staticDir: ui,
  });
  t.after(() => server.close());
  return { server };
}

describe('admin HTTP server: UI files', () => {
  it('serves the UI without a token, with its MIME type and the CSP', async (t) => {
    const { server } = await startWithUi(t);
    const cases: [string, string][] = [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
    ];
    for (const [urlPath, type] of cases) {
      const res = await fetch(`${server.url}${urlPath}`);
      assert.equal(res.status, 200, urlPath);
      assert.equal(res.headers.get('content-type'), type, urlPath);
      assert.equal(res.headers.get('content-security-policy'), UI_CONTENT_SECURITY_POLICY);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      await res.text();
    }
  });

  it('answers client routes with index.html but a missing asset with 404', async (t) => {
    const { server } = await startWithUi(t);
    const route = await fetch(`${server.url}/queue/abc-123`);
    assert.equal(route.status, 200);
    assert.match(await route.text(), /<title>MX Spool/);
    const missing = await fetch(`${server.url}/assets/missing.js`);
    assert.equal(missing.status, 404);
  });

  it('answers HEAD with headers only', async (t) => {
    const { server } = await startWithUi(t);
    const res = await rawHttp({ port: server.port, path: '/assets/app.js', method: 'HEAD', headers: { Host: `127.0.0.1:${server.port}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], String('console.log(1);'.length));
    assert.equal(res.body, '');
  });

  it('never serves a file outside the UI folder, a dotfile, or through a symlink out of it', async (t) => {
    const { server } = await startWithUi(t);
    const attempts = [
      '/..%2f..%2fetc/passwd',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/.env',
      '/%2eenv',
      '/assets/link.txt',
      '/secret.txt%00.js',
      '/C:%5cWindows%5cwin.ini',
      '/%E0%A4%A',
    ];
    for (const attempt of attempts) {
      const res = await rawHttp({ port: server.port, path: attempt, headers: { Host: `127.0.0.1:${server.port}` } });
      assert.ok(res.status === 404 || res.status === 403, `${attempt} -> ${res.status}`);
      assert.doesNotMatch(res.body, /top secret|SECRET=1|root:/, attempt);
    }
  });

  it('serves nothing but /api without a UI folder', async (t) => {
    const server = await startAdminServer({
      handlers: createFakeHandlers().handlers,
      events: new FakeEvents(),
      token: TOKEN,
      host: '127.0.0.1',
      port: 0,
      logger: createMemoryLogger(),
    });
    t.after(() => server.close());
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 404);
    await res.text();
  });

  it('keeps /api behind the token when the UI is served', async (t) => {
    const { server } = await startWithUi(t);
    const res = await fetch(`${server.url}/api/settings.get`, { method: 'POST' });
    assert.equal(res.status, 401);
  });

  it('refuses to start with a UI folder that does not exist', async () => {
    await assert.rejects(
      startAdminServer({
        handlers: createFakeHandlers().handlers,
        events: new FakeEvents(),
        token: TOKEN,
        host: '127.0.0.1',
        port: 0,
        logger: createMemoryLogger(),
        staticDir: path.join(os.tmpdir(), 'mx-spool-no-such-ui'),
      }),
      /ENOENT/,
    );
  });
});
