import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../electron/engine/engine.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { startEngine } from '../support/engine-harness.js';
import type { FakeClock } from '../support/fake-clock.js';
import { closedPort, sampleMessage, sendRaw, startDestination, type TestDestination } from '../support/mail-peers.js';
import { onCleanup } from '../support/cleanup.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const MINUTE = 60_000;

/**
 * A data folder holding one message that is due now, for a destination that answers (and counts every
 * connection to it): the state after an outage, when the engine starts again.
 */
async function folderWithDueMessage(t: TestContext): Promise<{ dataDir: string; clock: FakeClock; destination: TestDestination; connections: () => number }> {
  const port = await closedPort();
  const h = await startEngine(t, { dataDir: await tempDir(t) });
  await h.call('domains.save', { name: 'example.com', destinations: [{ host: '127.0.0.1', port, tls: 'none' }] });
  await sendRaw(h.smtpPort, { from: 'sender@example.net', to: ['a@example.com'] }, sampleMessage('after the outage'));
  await waitFor(async () => (await h.call('queue.list', {})).items[0]?.attempts === 1, 5000, 'a first, deferred attempt');
  await h.stop();
  h.clock.advance(5 * MINUTE); // the retry is due
  let connections = 0;
  const destination = await startDestination({ port, onConnect: (_session, callback) => ((connections += 1), callback()) });
  onCleanup(t, () => destination.close());
  return { dataDir: h.dataDir, clock: h.clock, destination, connections: () => connections };
}

function openEngine(dataDir: string, clock: FakeClock): Promise<Engine> {
  return Engine.open({ dataDir, clock, logger: createMemoryLogger(), smtpHost: '127.0.0.1', smtpPort: 0, random: () => 0.5 });
}

test('start: the listener is open when start() resolves, and the first pass over the queue runs in the next turn', async (t) => {
  const { dataDir, clock, destination } = await folderWithDueMessage(t);
  const engine = await openEngine(dataDir, clock);
  onCleanup(t, () => engine.stop());
  await engine.start();
  assert.equal(engine.listenerStatus().listening, true);
  assert.equal(engine.runner.deliveringCount, 0, 'no delivery started before start() resolved');
  await engine.whenRunning();
  assert.equal(engine.runner.deliveringCount, 1, 'the due message is being delivered once the first passes ran');
  await waitFor(() => engine.spool.count === 0, 5000, 'the message delivered');
  assert.equal(destination.messages.length, 1);
});

test('start then stop in the same turn: the deferred first passes never run, and the message stays queued', async (t) => {
  const { dataDir, clock, destination, connections } = await folderWithDueMessage(t);
  const engine = await openEngine(dataDir, clock);
  await engine.start();
  await engine.stop();
  await engine.whenRunning(); // resolved by the stop, not left pending
  await sleep(200); // time for a delivery that should not have started to reach the destination
  assert.equal(connections(), 0, 'no connection to the destination during or after the stop');
  assert.equal(destination.messages.length, 0);

  const again = await openEngine(dataDir, clock);
  onCleanup(t, () => again.stop());
  assert.equal(again.spool.count, 1, 'still queued for the next start');
  await again.start();
  await waitFor(() => destination.messages.length === 1, 5000, 'delivered after the next start');
});

test('start with firstPassesAfter: the first passes wait for the host (the service starts its admin API meanwhile)', async (t) => {
  const { dataDir, clock, destination, connections } = await folderWithDueMessage(t);
  const engine = await openEngine(dataDir, clock);
  onCleanup(t, () => engine.stop());
  let hostStarted!: () => void;
  await engine.start({ firstPassesAfter: new Promise<void>((resolve) => (hostStarted = resolve)) });
  assert.equal(engine.listenerStatus().listening, true);
  await sleep(100);
  assert.equal(connections(), 0, 'nothing delivered before the host is up');
  assert.equal(engine.runner.deliveringCount, 0);
  hostStarted();
  await engine.whenRunning();
  await waitFor(() => destination.messages.length === 1, 5000, 'delivered once the host was up');
});
