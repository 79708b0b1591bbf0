import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { loadTlsMaterial } from '../../../electron/engine/intake/tls-certificate.js';
import { createMemoryLogger } from '../../../electron/engine/runtime/logger.js';
import { tempDir } from '../../support/temp-dir.js';

test('without an admin certificate a self-signed one is made once, kept private, and reused', async (t) => {
  const dataDir = await tempDir(t);
  const logger = createMemoryLogger();
  const first = await loadTlsMaterial({ dataDir, certFile: '', keyFile: '', hostname: 'mx2.example.com', logger });
  assert.equal(first.source, 'self-signed');
  const cert = new X509Certificate(first.cert);
  assert.match(cert.subject, /CN=mx2\.example\.com/);
  assert.ok(Date.parse(cert.validTo) > Date.now() + 5 * 365 * 24 * 3600 * 1000, 'valid for years');
  if (process.platform !== 'win32') assert.equal((await stat(path.join(dataDir, 'tls', 'self-signed-key.pem'))).mode & 0o777, 0o600);
  const second = await loadTlsMaterial({ dataDir, certFile: '', keyFile: '', hostname: 'mx2.example.com', logger });
  assert.equal(second.cert, first.cert, 'reused, not regenerated');
  assert.equal(logger.entries.filter((entry) => entry.code === 'TLS_SELF_SIGNED_CREATED').length, 1);
});

test("the admin's certificate files are used when set; unreadable ones are a settings error naming the field", async (t) => {
  const dataDir = await tempDir(t);
  const logger = createMemoryLogger();
  const made = await loadTlsMaterial({ dataDir, certFile: '', keyFile: '', hostname: 'admin.example.com', logger });
  const certFile = path.join(dataDir, 'admin-cert.pem');
  const keyFile = path.join(dataDir, 'admin-key.pem');
  await writeFile(certFile, made.cert);
  await writeFile(keyFile, made.key);
  const admin = await loadTlsMaterial({ dataDir, certFile, keyFile, hostname: 'ignored', logger });
  assert.equal(admin.source, 'admin');
  assert.equal(admin.cert, await readFile(certFile, 'utf8'));
  await assert.rejects(loadTlsMaterial({ dataDir, certFile: path.join(dataDir, 'missing.pem'), keyFile, hostname: 'x', logger }), (error: { code?: string; issues?: { path: string }[] }) => {
    assert.equal(error.code, 'SETTINGS_INVALID');
    assert.equal(error.issues?.[0]?.path, 'listener.tlsCertFile');
    return true;
  });
});
