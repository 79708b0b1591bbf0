import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import { IntakeSmtpServer } from '../../../electron/engine/intake/intake-smtp-server.js';
import { newSessionId } from '../../../electron/engine/intake/session-id.js';

test('session ids are 80 bits as 16 base-32 digits, as smtp-server writes them, and do not repeat across pool refills', () => {
  const ids = Array.from({ length: 3000 }, () => newSessionId());
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) {
    assert.match(id, /^[0-9a-v]{16}$/);
    const value = [...id].reduce((sum, digit) => sum * 32n + BigInt(Number.parseInt(digit, 32)), 0n);
    assert.ok(value < 2n ** 80n);
    assert.equal(value.toString(32).padStart(16, '0'), id);
  }
  // Every digit position takes all 32 values somewhere (both 40-bit halves are used whole).
  for (let position = 0; position < 16; position += 1) assert.equal(new Set(ids.map((id) => id[position])).size, 32, `digit ${position}`);
});

test('connections to the intake server get pooled session ids, not a system random call each, and start as before', async (t) => {
  const seen: string[] = [];
  // smtp-server imports node:crypto's default object, so its per-connection randomBytes calls are counted here.
  const randomBytes = crypto.randomBytes;
  let randomCalls = 0;
  crypto.randomBytes = ((...args: Parameters<typeof randomBytes>) => ((randomCalls += 1), randomBytes(...args))) as typeof randomBytes;
  t.after(() => void (crypto.randomBytes = randomBytes));
  const server = new IntakeSmtpServer(
    { authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, onConnect: (session, callback) => (seen.push(session.id), callback()) },
    () => ({ greetPauseMs: 0, maxSessionSeconds: 0 }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  for (let index = 0; index < 3; index += 1) {
    const socket = net.connect((server.server.address() as net.AddressInfo).port, '127.0.0.1');
    const banner = await new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString())));
    assert.match(banner, /^220 /);
    socket.destroy();
  }
  assert.equal(seen.length, 3);
  assert.equal(randomCalls, 0);
  assert.equal(new Set(seen).size, 3);
  for (const id of seen) assert.match(id, /^[0-9a-v]{16}$/);
});
