import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { spawnService } from '../support/headless-service.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A corrupt settings file stops the real service (the CLI as a child process) with exit code 78, a message
 * naming the file and the field, and the file's bytes as they were; nothing else is written. One case
 * (`listener.port` of the wrong type) is in test/headless/serve-cli.test.ts; these cover the rest.
 */
const destination = { host: 'mail.example.com', port: 25 };
const CASES: { label: string; content: string | Buffer; field: RegExp }[] = [
  // (a) not JSON at all
  { label: 'truncated JSON', content: '{"listener": {"port": 2525', field: /not valid JSON/ },
  { label: 'empty file', content: '', field: /not valid JSON/ },
  { label: 'binary garbage', content: Buffer.from([0x00, 0xff, 0x7b, 0x13, 0x37, 0x0a]), field: /not valid JSON/ },
  { label: 'JSON with comments', content: '{\n  // backup MX\n  "listener": {"port": 2525}\n}', field: /not valid JSON/ },
  // (b) valid JSON, one invalid field
  { label: 'port out of range in a destination', content: JSON.stringify({ domains: [{ name: 'example.com', destinations: [{ ...destination, port: 70000 }] }] }), field: /domains\.0\.destinations\.0\.port/ },
  { label: 'a misspelt section', content: JSON.stringify({ listner: { port: 2525 } }), field: /"listner"/ },
  { label: 'a wrong type deep down', content: JSON.stringify({ retry: { firstRetryMinutes: 'five' } }), field: /retry\.firstRetryMinutes/ },
  { label: 'a host name with CR LF', content: JSON.stringify({ listener: { hostname: 'mx2\r\n250 forged' } }), field: /listener\.hostname/ },
  // A password the desktop app sealed with the OS keychain: the headless service has no keychain.
  {
    label: 'a password encrypted by the desktop app',
    content: JSON.stringify({ domains: [{ name: 'example.com', destinations: [{ ...destination, auth: { user: 'spool', pass: { encrypted: 'djEwAAAA', by: 'safeStorage' } } }] }] }),
    field: /domains\.0\.destinations\.0\.auth\.pass.*"safeStorage"/,
  },
];

test('a corrupt settings file stops the service with exit 78, the file and field named, the file unchanged', async (t) => {
  const results = await Promise.all(
    CASES.map(async ({ label, content, field }) => {
      const dataDir = await tempDir(t);
      const file = path.join(dataDir, 'settings.json');
      await writeFile(file, content);
      const service = spawnService(t, ['--data-dir', dataDir, '--smtp-host', '127.0.0.1', '--smtp-port', '0', '--admin-port', '0']);
      const code = await service.exit;
      return { label, field, file, dataDir, content, code, output: service.output(), after: await readFile(file), files: await readdir(dataDir) };
    }),
  );
  for (const { label, field, file, content, code, output, after, files } of results) {
    assert.equal(code, 78, `${label}: ${output}`);
    assert.ok(output.includes(`mx-spool: cannot start: ${file}`), `${label} names the file: ${output}`);
    assert.match(output, field, `${label} names the field`);
    assert.match(output, /left unchanged|start again/, `${label} says what to do`);
    assert.doesNotMatch(output, /unexpected error|\n\s+at /, `${label}: no stack trace`);
    assert.deepEqual(after, Buffer.from(content), `${label}: the file's bytes are unchanged`);
    assert.deepEqual(files, ['settings.json'], `${label}: nothing else was written (no token, no spool)`);
  }
  t.diagnostic(`corrupt settings: ${results.length} files refused with exit 78 and left unchanged`);
});

test('a settings file saved with a byte order mark (Windows Notepad) is read, not refused', async (t) => {
  const dataDir = await tempDir(t);
  await writeFile(path.join(dataDir, 'settings.json'), '\uFEFF' + JSON.stringify({ queue: { lifetimeDays: 3 } }));
  const service = spawnService(t, ['--data-dir', dataDir, '--smtp-host', '127.0.0.1', '--smtp-port', '0', '--admin-port', '0']);
  const started = await Promise.race([
    service.exit.then((code) => `exited ${code}`),
    (async () => {
      while (!/Admin URL/.test(service.output())) await new Promise((resolve) => setTimeout(resolve, 50));
      return 'running';
    })(),
  ]);
  assert.equal(started, 'running', service.output());
  service.child.kill('SIGTERM');
  assert.equal(await service.exit, 0);
});
