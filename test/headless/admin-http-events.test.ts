import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { eventNames } from '../../electron/contract/events.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { startAdminServer } from '../../electron/headless/admin-http-server.js';
import { FakeEvents, createFakeHandlers, waitFor } from './fake-api.js';

const TOKEN = 'events-token-0123456789abcdefghijklmnopqrst';

async function startTestServer(t: TestContext, sseHeartbeatMs?: number) {
  const events = new FakeEvents();
  const logger = createMemoryLogger();
  const server = await startAdminServer({
    handlers: createFakeHandlers().handlers,
    events,
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    logger,
    ...(sseHeartbeatMs === undefined ? {} : { sseHeartbeatMs }),
  });
  t.after(() => server.close());
  return { server, events, logger };
}

/** Opens the stream and returns a reader that accumulates text until a wanted piece arrives. */
async function openStream(url: string, init: RequestInit = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { ...init, signal: controller.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = '';
  const readUntil = async (wanted: string): Promise<string> => {
    while (!received.includes(wanted)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`Stream ended before "${wanted}"; got: ${received}`);
      received += value;
    }
    return received;
  };
  return { res, readUntil, close: () => controller.abort() };
}

describe('admin HTTP server: event stream', () => {
  it('streams an event emitted after subscribing, and unsubscribes when the client leaves', async (t) => {
    const { server, events, logger } = await startTestServer(t);
    const stream = await openStream(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(stream.res.status, 200);
    assert.equal(stream.res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(stream.res.headers.get('cache-control'), 'no-store');
    await stream.readUntil(': connected\n\n');
    assert.equal(events.listenerCount(), eventNames.length, 'one listener per event of the contract');

    events.emit('queue.changed', { domains: ['example.com'], queued: 3 });
    events.emit('listener.status', { listening: false, error: 'port 25 on 0.0.0.0 is already in use' });
    const text = await stream.readUntil('event: listener.status');
    await stream.readUntil('already in use"}\n\n');
    assert.ok(text.includes('event: queue.changed\ndata: {"domains":["example.com"],"queued":3}\n\n'));

    stream.close();
    await waitFor(() => events.listenerCount() === 0);
    await waitFor(() => logger.entries.some((entry) => entry.code === 'ADMIN_HTTP_REQUEST'));
    const line = logger.entries.find((entry) => entry.code === 'ADMIN_HTTP_REQUEST');
    assert.equal(line?.fields.path, '/api/events');
    assert.equal(line?.fields.aborted, true);
  });

  it('a burst of events (written in batches) arrives whole and in order, and a later one still comes', async (t) => {
    const { server, events } = await startTestServer(t);
    const stream = await openStream(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    t.after(() => stream.close());
    await stream.readUntil(': connected\n\n');
    for (let queued = 1; queued <= 500; queued++) events.emit('queue.changed', { domains: ['example.com'], queued });
    const text = await stream.readUntil('"queued":500}\n\n');
    const numbers = [...text.matchAll(/event: queue\.changed\ndata: \{"domains":\["example\.com"\],"queued":(\d+)\}\n\n/g)].map((match) => Number(match[1]));
    assert.deepEqual(numbers, Array.from({ length: 500 }, (_, index) => index + 1));
    await new Promise((resolve) => setTimeout(resolve, 100)); // past the batch window: a lone event is not held back
    events.emit('listener.status', { listening: true, error: null });
    await stream.readUntil('event: listener.status\ndata: {"listening":true,"error":null}\n\n');
  });

  it('keeps a multi-line value on one data line', async (t) => {
    const { server, events } = await startTestServer(t);
    const stream = await openStream(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await stream.readUntil(': connected');
    events.emit('listener.status', { listening: false, error: 'line one\nline two\r\nevent: forged' });
    const text = await stream.readUntil('forged');
    assert.ok(text.includes('data: {"listening":false,"error":"line one\\nline two\\r\\nevent: forged"}\n\n'));
    stream.close();
  });

  it('accepts the token as ?token= because EventSource cannot send headers', async (t) => {
    const { server, events } = await startTestServer(t);
    const stream = await openStream(`${server.url}/api/events?token=${encodeURIComponent(TOKEN)}`);
    assert.equal(stream.res.status, 200);
    await stream.readUntil(': connected');
    events.emit('queue.changed', { domains: [], queued: 0 });
    await stream.readUntil('event: queue.changed');
    stream.close();
  });

  it('refuses the stream without the right token', async (t) => {
    const { server, events } = await startTestServer(t);
    for (const url of [`${server.url}/api/events`, `${server.url}/api/events?token=wrong`, `${server.url}/api/events?token=`]) {
      const res = await fetch(url);
      assert.equal(res.status, 401, url);
      await res.body?.cancel();
    }
    assert.equal(events.listenerCount(), 0);
  });

  it('sends a heartbeat comment while idle', async (t) => {
    const { server } = await startTestServer(t, 20);
    const stream = await openStream(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await stream.readUntil(': heartbeat\n\n');
    stream.close();
  });

  it('ends open streams on close() instead of waiting for the clients', async (t) => {
    const { server, events } = await startTestServer(t);
    const stream = await openStream(`${server.url}/api/events`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await stream.readUntil(': connected');
    const startedMs = performance.now();
    await server.close();
    // Well under the seconds a spare keep-alive connection from fetch would otherwise hold shutdown.
    assert.ok(performance.now() - startedMs < 1000, 'close() does not wait for idle connections');
    await assert.rejects(stream.readUntil('never'), /Stream ended/);
    assert.equal(events.listenerCount(), 0);
  });
});
