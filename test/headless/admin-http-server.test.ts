import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { settingsSchema } from '../../electron/contract/settings-schema.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { MAX_BODY_BYTES, startAdminServer, type AdminServerOptions } from '../../electron/headless/admin-http-server.js';
import { FakeEvents, createFakeHandlers } from './fake-api.js';
import { rawHttp } from '../support/raw-http.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

async function startTestServer(t: TestContext, overrides: Partial<AdminServerOptions> = {}) {
  const fake = createFakeHandlers();
  const events = new FakeEvents();
  const logger = createMemoryLogger();
  const server = await startAdminServer({ handlers: fake.handlers, events, token: TOKEN, host: '127.0.0.1', port: 0, logger, ...overrides });
  t.after(() => server.close());
  const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { server, fake, events, logger, call };
}

const validDomain = { name: 'example.com', destinations: [{ host: 'mail.example.com' }] };

describe('admin HTTP server: calls', () => {
  it('answers a valid call with 200 and {ok:true, value}', async (t) => {
    const { call } = await startTestServer(t);
    const res = await call('settings.get', {});
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, value: settingsSchema.parse({}) });
  });

  it('passes the parsed input, defaults applied, to the handler', async (t) => {
    const { call, fake } = await startTestServer(t);
    const res = await call('domains.save', validDomain);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { ok: true; value: { created: boolean; domain: { destinations: { port: number }[] } } };
    assert.equal(body.value.created, true);
    assert.equal(body.value.domain.destinations[0]?.port, 25);
    assert.equal(fake.domains.get('example.com')?.enabled, true);
  });

  it('treats an empty body as {}', async (t) => {
    const { server } = await startTestServer(t);
    const res = await fetch(`${server.url}/api/domains.list`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, value: { items: [] } });
  });

  it('answers an unknown method with 404 NOT_FOUND', async (t) => {
    const { call } = await startTestServer(t);
    for (const method of ['nope.nothing', '__proto__', 'constructor', '']) {
      const res = await call(method, {});
      assert.equal(res.status, 404, method);
      const body = (await res.json()) as { ok: false; error: { code: string } };
      assert.equal(body.ok, false);
      assert.equal(body.error.code, 'NOT_FOUND');
    }
  });

  it('answers 404 with the handler AppError code when the thing asked for does not exist', async (t) => {
    const { call } = await startTestServer(t);
    const res = await call('domains.remove', { name: 'missing.example' });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { ok: false, error: { code: 'NOT_FOUND', message: 'No domain missing.example', retryable: false } });
  });

  it('answers invalid input with 400 INVALID_INPUT and issues naming each field', async (t) => {
    const { call, fake } = await startTestServer(t);
    const cases: { method: string; body: unknown; paths: string[] }[] = [
      { method: 'domains.save', body: { ...validDomain, destinations: [{ host: 'mail.example.com', port: 70000 }] }, paths: ['destinations.0.port'] },
      { method: 'domains.save', body: { ...validDomain, colour: 'blue' }, paths: ['colour'] },
      { method: 'domains.save', body: { name: 'example.com', destinations: [] }, paths: ['destinations'] },
      { method: 'domains.save', body: { ...validDomain, destinations: [{ host: 'a b' }] }, paths: ['destinations.0.host'] },
      { method: 'settings.get', body: { verbose: true }, paths: ['verbose'] },
      { method: 'queue.list', body: { limit: 0, sort: 'colour' }, paths: ['sort', 'limit'] },
      { method: 'queue.get', body: [], paths: [''] },
      { method: 'reports.outbound', body: { from: '27.11.2026', to: '2026-11-27' }, paths: ['from'] },
      { method: 'settings.update', body: { listener: { port: '25' } }, paths: ['listener.port'] },
    ];
    for (const { method, body, paths } of cases) {
      const res = await call(method, body);
      assert.equal(res.status, 400, method);
      const reply = (await res.json()) as { ok: false; error: { code: string; message: string; issues: { path: string; message: string }[] } };
      assert.equal(reply.error.code, 'INVALID_INPUT');
      assert.match(reply.error.message, new RegExp(`^Invalid input for ${method.replace('.', '\\.')}`));
      assert.deepEqual(reply.error.issues.map((issue) => issue.path).sort(), [...paths].sort(), `${method} ${JSON.stringify(body)}`);
    }
    assert.equal(fake.calls.length, 0, 'no handler ran for invalid input');
  });

  it('explains which form a selection must take', async (t) => {
    const { call } = await startTestServer(t);
    const res = await call('queue.retry', { domain: 'example.com', ids: ['a'] });
    assert.equal(res.status, 400);
    const reply = (await res.json()) as { error: { issues: { path: string; message: string }[] } };
    assert.match(reply.error.issues[0]?.message ?? '', /none of the accepted forms: 1\) ids: Unknown field "ids"; 2\) domain: Unknown field "domain"/);
  });

  it('answers a handler bug with 500 INTERNAL, logs it, and leaks nothing of it', async (t) => {
    const { call, logger } = await startTestServer(t);
    const res = await call('queue.get', { id: 'abc' });
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), { ok: false, error: { code: 'INTERNAL', message: 'Internal error; see the log', retryable: false } });
    assert.doesNotMatch(text, /secret|ENOENT|at /);
    const logged = logger.entries.find((entry) => entry.code === 'API_HANDLER_FAILED');
    assert.equal(logged?.level, 'error');
    assert.equal(logged?.fields.method, 'queue.get');
    assert.match(String(logged?.fields.stack), /ENOENT/);
  });

  it('refuses a body that is not JSON (400) or not sent as JSON (415)', async (t) => {
    const { call } = await startTestServer(t);
    const broken = await call('settings.get', '{"a":');
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, 'INVALID_INPUT');
    const form = await call('settings.get', 'a=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    const plain = await call('settings.get', '{}', { 'Content-Type': 'text/plain' });
    assert.equal(plain.status, 415);
  });

  it('refuses a body over 1 MiB with 413', async (t) => {
    const { call } = await startTestServer(t);
    const res = await call('queue.retry', JSON.stringify({ ids: ['x'.repeat(MAX_BODY_BYTES)] }));
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'INVALID_INPUT');
  });

  it('refuses a streamed body over 1 MiB without Content-Length', async (t) => {
    const { server } = await startTestServer(t);
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * MAX_BODY_BYTES) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${server.url}/api/settings.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
  });

  it('after a 413 it reads the rest of the refused body, so the client sees the answer and the connection serves the next request', async (t) => {
    const { server } = await startTestServer(t);
    const socket = await rawConnection(server.url);
    t.after(() => socket.destroy());
    const big = Buffer.alloc(2 * MAX_BODY_BYTES, 'x');
    socket.write(`POST /api/settings.get HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`);
    socket.write(big);
    socket.write(`POST /api/settings.get HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    const text = await readUntil(socket, (received) => (received.match(/HTTP\/1\.1 /g) ?? []).length >= 2 && received.includes('"ok":true'));
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => match[1]);
    assert.deepEqual(statuses, ['413', '200'], 'the refusal, then the next request on the same connection');
    assert.doesNotMatch(text, /Connection: close/i);
  });

  it('cuts a client that keeps sending more than 16 MiB after the refusal', async (t) => {
    const { server } = await startTestServer(t);
    const socket = await rawConnection(server.url);
    t.after(() => socket.destroy());
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined); // the cut shows as EPIPE or ECONNRESET on our writes
    socket.write(`POST /api/settings.get HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${64 * MAX_BODY_BYTES}\r\n\r\n`);
    const chunk = Buffer.alloc(MAX_BODY_BYTES, 'x');
    let sent = 0;
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    while (!socket.destroyed && sent < 64 * MAX_BODY_BYTES) {
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
      sent += chunk.length;
    }
    await closed;
    assert.match(answer, /^HTTP\/1\.1 413/, 'the refusal came first');
    assert.ok(sent < 40 * MAX_BODY_BYTES, `cut after ${sent / MAX_BODY_BYTES} MiB sent, not after the whole 64`);
  });

  it('answers 405 for the wrong HTTP method', async (t) => {
    const { server } = await startTestServer(t);
    const res = await fetch(`${server.url}/api/settings.get`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    const post = await fetch(`${server.url}/api/health`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(post.status, 405);
  });

  it('answers GET /api/health with the token only', async (t) => {
    const { server } = await startTestServer(t);
    assert.equal((await fetch(`${server.url}/api/health`)).status, 401);
    const res = await fetch(`${server.url}/api/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(await res.json(), { ok: true, value: { status: 'ok' } });
  });

  it('sets no-store, nosniff and a request id on every reply, and no CORS headers', async (t) => {
    const { call, server } = await startTestServer(t);
    for (const res of [await call('settings.get', {}), await fetch(`${server.url}/api/health`), await fetch(`${server.url}/`)]) {
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f]{12}$/);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    }
  });

  it('logs one ADMIN_HTTP_REQUEST line per request, with the path but never the query', async (t) => {
    const { call, logger, server } = await startTestServer(t);
    await call('settings.get', {});
    await (await fetch(`${server.url}/api/health?token=${TOKEN}`)).text();
    const lines = logger.entries.filter((entry) => entry.code === 'ADMIN_HTTP_REQUEST');
    assert.equal(lines.length, 2);
    assert.deepEqual({ ...lines[0]?.fields, ms: 0, id: '' }, { id: '', method: 'POST', path: '/api/settings.get', status: 200, ms: 0, aborted: undefined });
    assert.equal(lines[0]?.level, 'debug');
    assert.equal(lines[1]?.fields.status, 401, '?token= is accepted by the event stream only');
    assert.equal(lines[1]?.level, 'warn');
    assert.ok(!JSON.stringify(logger.entries).includes(TOKEN), 'the token never reaches the log');
  });
});

describe('admin HTTP server: access control', () => {
  it('answers 401 without a token or with a wrong one', async (t) => {
    const { call, server } = await startTestServer(t);
    const none = await fetch(`${server.url}/api/settings.get`, { method: 'POST' });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="mx-spool"');
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'UNAUTHORIZED');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await call('settings.get', {}, { Authorization: authorization });
      assert.equal(res.status, 401, authorization);
    }
  });

  it('answers 401 before revealing whether a method exists', async (t) => {
    const { server } = await startTestServer(t);
    const res = await fetch(`${server.url}/api/nope.nothing`, { method: 'POST' });
    assert.equal(res.status, 401);
  });

  it('refuses a Host header that is not its own loopback name and port (DNS rebinding)', async (t) => {
    const { server } = await startTestServer(t);
    const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `192.168.1.10:${server.port}`]) {
      const res = await rawHttp({ port: server.port, path: '/api/settings.get', method: 'POST', headers: { ...auth, Host: host }, body: '{}' });
      assert.equal(res.status, 403, host);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'FORBIDDEN');
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      const res = await rawHttp({ port: server.port, path: '/api/settings.get', method: 'POST', headers: { ...auth, Host: host }, body: '{}' });
      assert.equal(res.status, 200, host);
    }
  });

  it('refuses the UI files too when the Host header is foreign', async (t) => {
    const { server } = await startTestServer(t);
    const res = await rawHttp({ port: server.port, path: '/', headers: { Host: 'evil.example' } });
    assert.equal(res.status, 403);
  });

  it('refuses a request from another origin, even with the token', async (t) => {
    const { call, server } = await startTestServer(t);
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
      const res = await call('settings.get', {}, { Origin: origin });
      assert.equal(res.status, 403, origin);
    }
    const own = await call('settings.get', {}, { Origin: server.url });
    assert.equal(own.status, 200);
  });

  it('refuses to start on anything but loopback', async () => {
    const { handlers } = createFakeHandlers();
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      await assert.rejects(
        startAdminServer({ handlers, events: new FakeEvents(), token: TOKEN, host, port: 0, logger: createMemoryLogger() }),
        /loopback only/,
        host,
      );
    }
  });

  it('starts on ::1 and localhost as well', async (t) => {
    const { handlers } = createFakeHandlers();
    for (const host of ['localhost', '::1']) {
      let server;
      try {
        server = await startAdminServer({ handlers, events: new FakeEvents(), token: TOKEN, host, port: 0, logger: createMemoryLogger() });
      } catch (err: unknown) {
        // A machine or container without IPv6 has no ::1 to bind; that is its choice, not a bug here.
        if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') {
          t.diagnostic(`${host} not available here`);
          continue;
        }
        throw err;
      }
      try {
        const res = await fetch(`${server.url}/api/health`, { headers: { Authorization: `Bearer ${TOKEN}` } });
        assert.equal(res.status, 200, host);
      } finally {
        await server.close();
      }
    }
  });
});

/** A plain TCP connection to the admin server: HTTP as written, two requests on one connection. */
function rawConnection(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

function readUntil(socket: Socket, done: (received: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const timer = setTimeout(() => reject(new Error(`no complete answer within ${timeoutMs} ms; got: ${received.slice(0, 500)}`)), timeoutMs);
    socket.on('data', (data: Buffer) => {
      received += data.toString('latin1');
      if (done(received)) {
        clearTimeout(timer);
        resolve(received);
      }
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (done(received)) resolve(received);
      else reject(new Error(`the connection closed; got: ${received.slice(0, 500)}`));
    });
  });
}
