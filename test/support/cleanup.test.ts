import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const fixture = fileURLToPath(new URL('./fixtures/cleanup-order.fixture.ts', import.meta.url));

test('onCleanup runs cleanups last-registered first, all of them even when one throws, then fails the test', async () => {
  // Without NODE_TEST_CONTEXT, which would make the fixture report to this runner instead of as a run of its own.
  const { NODE_TEST_CONTEXT: _ownRunner, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', fixture], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  // With plain t.after hooks in registration order, the throwing hook would skip the one that releases the
  // process, and this child would never exit (the CI hang this helper fixes).
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  assert.notEqual(code, null, `the test process did not exit by itself:\n${output}`);
  assert.equal(code, 1, 'the cleanup error fails the test');
  assert.match(output, /CLEANUP throws\n[\s\S]*CLEANUP released/, 'last registered first, and the one after the error still ran');
  assert.match(output, /ENOTEMPTY: directory not empty/);
});
