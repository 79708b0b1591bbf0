import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';
import { startDestination } from '../../support/mail-peers.js';

const invalid = (error: unknown): boolean => (error as { error?: { code?: string } }).error?.code === 'INVALID_INPUT';

describe('domains.testRoute through a real engine', () => {
  it('runs the dry run with the delivery settings, logs ROUTE_TESTED, and the destination receives no message', async (t) => {
    const destination = await startDestination();
    t.after(() => destination.close());
    const harness = await startEngine(t);
    await harness.call('settings.update', { delivery: { heloName: 'spool.office.example', connectTimeoutSeconds: 5 } });

    const result = await harness.call('domains.testRoute', { destination: { host: '127.0.0.1', port: destination.port }, recipient: 'alice@office.example' });

    assert.equal(result.ok, true, JSON.stringify(result.failure));
    assert.equal(result.stage, 'done');
    assert.equal(result.sender, '');
    assert.equal(result.startedAt, new Date(harness.clock.now()).toISOString());
    assert.ok(result.transcript.some((entry) => entry.direction === 'client' && entry.text === 'EHLO spool.office.example'));
    assert.equal(result.transcript.some((entry) => entry.direction === 'client' && /^DATA/i.test(entry.text)), false);
    assert.deepEqual(destination.messages, [], 'nothing delivered');
    const logged = harness.logger.entries.find((entry) => entry.code === 'ROUTE_TESTED');
    assert.deepEqual([logged?.fields.ok, logged?.fields.stage, logged?.fields.localAddress], [true, 'done', '127.0.0.1']);
  });

  it('refuses input without a recipient, with a bad address or with unknown fields', async (t) => {
    const harness = await startEngine(t);
    const destination = { host: 'mx.office.example', port: 25 };

    await assert.rejects(harness.call('domains.testRoute', { destination } as never), invalid);
    await assert.rejects(harness.call('domains.testRoute', { destination, recipient: 'alice' }), invalid);
    await assert.rejects(harness.call('domains.testRoute', { destination, recipient: 'alice@office.example>\r\nDATA' }), invalid);
    await assert.rejects(harness.call('domains.testRoute', { destination, recipient: 'a@office.example', sender: 'x y@example.org' }), invalid);
    await assert.rejects(harness.call('domains.testRoute', { destination: { ...destination, port: 0 }, recipient: 'a@office.example' }), invalid);
    await assert.rejects(harness.call('domains.testRoute', { destination, recipient: 'a@office.example', data: true } as never), invalid);
  });
});
