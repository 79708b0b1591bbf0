import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startService } from '../support/headless-service.js';
import { sampleMessage, sendRaw } from '../support/mail-peers.js';
import { errorCodeOf, rawHttp, type RawHttpResponse } from '../support/raw-http.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

/**
 * The admin API's access rules against the real service (the CLI as a child process, real sockets): token,
 * Host (DNS rebinding) and Origin (other web pages), on API calls, the event stream and the UI files.
 * test/headless/admin-http-server.test.ts and admin-http-events.test.ts check the same rules on the HTTP
 * host alone with fake handlers; this proves them end to end, including that a refused call changed nothing.
 *
 * Host rule (decided here): only `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` with the server's own
 * port. A Host with another port is refused too: a browser always names the port it connected to, so a
 * different one means a forwarder or a rebinding page on another port, never our own UI.
 */

const SAVE_BODY = JSON.stringify({ name: 'rebind.example', destinations: [{ host: '127.0.0.1', port: 2525 }] });
// Every kind of endpoint: a read, a write, the event stream (both token forms), health, and the UI files.
type Target = { label: string; method: string; path: (token: string) => string; body?: string; bearer: boolean };
const TARGETS: Target[] = [
  { label: 'POST settings.get', method: 'POST', path: () => '/api/settings.get', body: '{}', bearer: true },
  { label: 'POST domains.save', method: 'POST', path: () => '/api/domains.save', body: SAVE_BODY, bearer: true },
  { label: 'GET events (bearer)', method: 'GET', path: () => '/api/events', bearer: true },
  { label: 'GET events (?token=)', method: 'GET', path: (token) => `/api/events?token=${encodeURIComponent(token)}`, bearer: false },
  { label: 'GET health', method: 'GET', path: () => '/api/health', bearer: true },
];

test('admin API access rules against the running service', async (t) => {
  const dataDir = await tempDir(t);
  const service = await startService(t, dataDir);
  const port = Number(new URL(service.url).port);
  const own = `127.0.0.1:${port}`;
  let checked = 0;

  const send = (target: Target, headers: Record<string, string>, token = service.token): Promise<RawHttpResponse> => {
    checked += 1;
    return rawHttp({
      port,
      path: target.path(token),
      method: target.method,
      headers: { ...(target.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(target.body === undefined ? {} : { body: target.body }),
      streamed: true,
    });
  };
  const bearer = (target: Target, token = service.token): Record<string, string> => (target.bearer ? { Authorization: `Bearer ${token}` } : {});
  const refused = (res: RawHttpResponse, status: number, code: string, what: string): void => {
    assert.equal(res.status, status, `${what}: ${res.body}`);
    assert.equal(errorCodeOf(res), code, what);
    assert.match(String(res.headers['content-type']), /^application\/json/, `${what}: no event stream opened`);
    assert.equal(res.headers['access-control-allow-origin'], undefined, what);
  };
  const domainsSaved = async (): Promise<unknown[]> => ((await service.call('domains.list', {})).body.value as unknown as { items: unknown[] }).items;

  await t.test('accepts the right token, Host and Origin on every endpoint', async () => {
    for (const target of TARGETS.filter((candidate) => candidate.label !== 'POST domains.save')) {
      for (const host of [own, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
        const res = await send(target, { ...bearer(target), Host: host });
        assert.equal(res.status, 200, `${target.label} Host ${host}: ${res.body}`);
      }
      // A page the service served itself sends its own origin.
      const res = await send(target, { ...bearer(target), Host: own, Origin: `http://${own}` });
      assert.equal(res.status, 200, `${target.label} own Origin`);
    }
    const stream = await send(TARGETS[3]!, { Host: own });
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
  });

  await t.test('refuses a missing or wrong token with 401, and the refused write changes nothing', async () => {
    const wrongTokens = [`${service.token}x`, service.token.slice(0, -1), service.token.toUpperCase(), 'x'.repeat(service.token.length), ''];
    for (const target of TARGETS) {
      refused(await send(target, { Host: own }, 'not-the-token'), 401, 'UNAUTHORIZED', `${target.label} without a token`);
      for (const token of wrongTokens) {
        const res = await send(target, { ...bearer(target, token), Host: own }, token);
        refused(res, 401, 'UNAUTHORIZED', `${target.label} token ${JSON.stringify(token.slice(0, 8))}...`);
        if (target.bearer) assert.equal(res.headers['www-authenticate'], 'Bearer realm="mx-spool"');
      }
    }
    // Other ways of presenting the right token that must not count: another scheme, no scheme, the query on a call.
    const save = TARGETS[1]!;
    for (const authorization of [`Basic ${service.token}`, service.token, `Bearer  ${service.token} extra`]) {
      refused(await send(save, { Authorization: authorization, Host: own }), 401, 'UNAUTHORIZED', authorization.slice(0, 12));
    }
    const viaQuery = await rawHttp({ port, path: `/api/domains.save?token=${service.token}`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: SAVE_BODY });
    refused(viaQuery, 401, 'UNAUTHORIZED', '?token= on a method call');
    checked += 4;
    assert.deepEqual(await domainsSaved(), [], 'no refused domains.save was applied');
  });

  await t.test('refuses a foreign Host header (DNS rebinding) with 403 even with the token, before anything runs', async () => {
    const foreign = [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `localhost:${port === 65535 ? 1 : port + 1}`, '127.0.0.1', 'localhost', `[::1]:${port + 1}`, `127.0.0.1.nip.io:${port}`, `0.0.0.0:${port}`, `192.168.1.10:${port}`];
    for (const target of TARGETS) {
      for (const host of foreign) refused(await send(target, { ...bearer(target), Host: host }), 403, 'FORBIDDEN', `${target.label} Host ${host}`);
    }
    // The UI files too: a rebinding page must not even load them from us.
    for (const host of foreign.slice(0, 2)) {
      const ui = await rawHttp({ port, path: '/', headers: { Host: host } });
      assert.equal(ui.status, 403, `GET / Host ${host}`);
      checked += 1;
    }
    // No Host at all: Node's HTTP server itself refuses an HTTP/1.1 request without one.
    const bare = await rawHttp({ port, path: '/api/settings.get', method: 'POST', headers: { Authorization: `Bearer ${service.token}` }, body: '{}', setHost: false });
    assert.equal(bare.status, 400);
    checked += 1;
    assert.deepEqual(await domainsSaved(), [], 'no refused domains.save was applied');
  });

  await t.test('refuses requests from other origins with 403, on API calls and on the event stream', async () => {
    const origins = ['http://evil.example', `http://evil.example:${port}`, 'null', `http://127.0.0.1:${port + 1}`, `https://${own}`, `http://localhost:${port}`, `http://${own}.evil.example`, 'file://'];
    for (const target of TARGETS) {
      for (const origin of origins) refused(await send(target, { ...bearer(target), Host: own, Origin: origin }), 403, 'FORBIDDEN', `${target.label} Origin ${origin}`);
    }
    // A CORS preflight gets no Access-Control-Allow-* either: the browser will not send the real request.
    const preflight = await rawHttp({ port, path: '/api/domains.save', method: 'OPTIONS', headers: { Host: own, Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    refused(preflight, 403, 'FORBIDDEN', 'OPTIONS preflight');
    checked += 1;
    assert.deepEqual(await domainsSaved(), [], 'no refused domains.save was applied');
  });

  await t.test('the token never reaches the log, and the service is still up', async () => {
    assert.ok(!service.output().includes(service.token), 'token absent from stdout/stderr');
    assert.match(service.output(), /ADMIN_HTTP_REQUEST .*status=403/);
    assert.match(service.output(), /ADMIN_HTTP_REQUEST .*status=401/);
    assert.equal((await service.call('stats.summary', {})).status, 200);
    assert.equal(service.child.exitCode, null);
  });

  t.diagnostic(`admin API guards: ${checked} requests checked`);
});

test('data files are readable by their owner only', { skip: process.platform === 'win32' && 'Windows has no POSIX modes; the profile ACL protects them' }, async (t) => {
  const dataDir = path.join(await tempDir(t), 'data'); // made by the service itself
  const service = await startService(t, dataDir);
  const saved = await service.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port: 9, auth: { user: 'spool', pass: 'office-Secret-4711' } }] });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  await sendRaw(service.smtpPort, { from: 's@example.net', to: ['u@example.com'] }, sampleMessage('modes'));
  await waitFor(async () => (await service.call('queue.list', {})).body.value?.total === 1, 10_000, 'message queued');
  // The attempt log is written once the first delivery attempt (to the closed port) ends.
  await waitFor(async () => (await walk(path.join(dataDir, 'logs')).catch(() => [])).length > 0, 15_000, 'a log file');

  const entries = [{ file: dataDir, directory: true }, ...(await walk(dataDir))];
  const wider: string[] = [];
  for (const { file, directory } of entries) {
    // A temp file of a write in progress may be renamed away between the listing and this stat.
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (!info) continue;
    const mode = info.mode & 0o777;
    // The TLS certificate is public by nature (it is sent to every client); its key is not.
    const mayBeRead = !directory && /\.(crt|cert\.pem)$|cert\.pem$/.test(file);
    if ((mode & 0o077) !== 0 && !mayBeRead) wider.push(`${path.relative(dataDir, file) || '.'} ${mode.toString(8)}`);
  }
  assert.deepEqual(wider, [], 'every file 0600 and every folder 0700');
  const names = entries.map(({ file }) => path.relative(dataDir, file));
  for (const expected of ['settings.json', 'admin-token', 'spool', 'logs']) assert.ok(names.includes(expected), `${expected} exists (${names.join(', ')})`);
  assert.ok(names.some((name) => name.startsWith('spool' + path.sep) && !name.endsWith('tmp') && !name.endsWith('quarantine') && !name.endsWith('queue')), 'a spool file was checked');
  // The headless service has no OS keychain: the password is plain text, protected by the file's mode (docs/settings.md).
  assert.ok((await readFile(path.join(dataDir, 'settings.json'), 'utf8')).includes('office-Secret-4711'));
  t.diagnostic(`owner-only: ${entries.length} files and folders checked`);
});

async function walk(dir: string): Promise<{ file: string; directory: boolean }[]> {
  const found: { file: string; directory: boolean }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    found.push({ file, directory: entry.isDirectory() });
    if (entry.isDirectory()) found.push(...(await walk(file)));
  }
  return found;
}
