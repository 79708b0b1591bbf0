import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startEngine } from '../../support/engine-harness.js';

/** Connects, optionally talks before the banner, and returns the first reply and how long it took (ms). */
async function firstReply(port: number, talkFirst: boolean): Promise<{ line: string; ms: number }> {
  const started = performance.now();
  const socket = net.connect(port, '127.0.0.1');
  if (talkFirst) socket.once('connect', () => socket.write('EHLO eager.example\r\n'));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (data) => {
      text += data.toString();
      if (text.includes('\r\n')) resolve(text.split('\r\n')[0]!);
    });
    socket.once('error', reject);
  });
  socket.destroy();
  return { line, ms: performance.now() - started };
}

test('greetPauseMs 0 (default) greets at once; a pause delays the banner and refuses early talkers with 421', async (t) => {
  const h = await startEngine(t);
  // Without a pause the banner is out before any client byte can arrive, so even an eager client is served.
  const eagerWithoutPause = await firstReply(h.smtpPort, true);
  assert.match(eagerWithoutPause.line, /^220 /);

  await h.call('settings.update', { listener: { greetPauseMs: 300 } });
  const port = h.engine.listenerStatus().port!;
  const paused = await firstReply(port, false);
  assert.match(paused.line, /^220 /);
  assert.ok(paused.ms >= 290, `greeted after ${paused.ms.toFixed(1)} ms`);
  const eager = await firstReply(port, true);
  assert.match(eager.line, /^421 .*too soon/i);
});

test('a session that trickles commands past listener.maxSessionSeconds is ended with 421 4.4.2', async (t) => {
  const h = await startEngine(t);
  await h.call('settings.update', { listener: { maxSessionSeconds: 1, idleTimeoutSeconds: 60 } });
  const port = h.engine.listenerStatus().port!;
  const started = performance.now();
  const socket = net.connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (data) => (text += data.toString()));
  const keepAlive = setInterval(() => socket.write('NOOP\r\n'), 200); // never idle, never done
  await new Promise((resolve) => socket.once('close', resolve));
  clearInterval(keepAlive);
  assert.match(text, /421 4\.4\.2 Session time limit exceeded/);
  assert.ok(performance.now() - started >= 950, 'not before the limit');
});
