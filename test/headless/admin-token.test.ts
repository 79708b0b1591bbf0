import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { adminTokenPath, loadOrCreateAdminToken } from '../../electron/headless/admin-token.js';

const posixOnly = { skip: process.platform === 'win32' ? 'file modes are POSIX only' : false };

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-token-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('loadOrCreateAdminToken', () => {
  it('creates 32 random bytes as base64url in <dataDir>/admin-token', async (t) => {
    const dir = await tempDir(t);
    const token = await loadOrCreateAdminToken(dir);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.equal((await readFile(adminTokenPath(dir), 'utf8')).trim(), token);
    assert.deepEqual(await readdir(dir), ['admin-token'], 'no temp file left behind');
  });

  it('writes the file owner-only (0600)', posixOnly, async (t) => {
    const dir = await tempDir(t);
    await loadOrCreateAdminToken(dir);
    assert.equal((await stat(adminTokenPath(dir))).mode & 0o777, 0o600);
  });

  it('reuses the token on the next start', async (t) => {
    const dir = await tempDir(t);
    const first = await loadOrCreateAdminToken(dir);
    assert.equal(await loadOrCreateAdminToken(dir), first);
  });

  it('makes two different tokens for two data folders', async (t) => {
    assert.notEqual(await loadOrCreateAdminToken(await tempDir(t)), await loadOrCreateAdminToken(await tempDir(t)));
  });

  it('tightens an existing token file that others can read', posixOnly, async (t) => {
    const dir = await tempDir(t);
    const token = await loadOrCreateAdminToken(dir);
    await chmod(adminTokenPath(dir), 0o644);
    assert.equal(await loadOrCreateAdminToken(dir), token);
    assert.equal((await stat(adminTokenPath(dir))).mode & 0o777, 0o600);
  });

  it("keeps an admin's own token, trimmed", async (t) => {
    const dir = await tempDir(t);
    await writeFile(adminTokenPath(dir), '  my-own-long-token-1234 \n');
    assert.equal(await loadOrCreateAdminToken(dir), 'my-own-long-token-1234');
  });

  it('replaces an empty file (a crash before the write)', async (t) => {
    const dir = await tempDir(t);
    await writeFile(adminTokenPath(dir), '');
    assert.match(await loadOrCreateAdminToken(dir), /^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a token file it cannot use instead of silently replacing it', async (t) => {
    const dir = await tempDir(t);
    await writeFile(adminTokenPath(dir), 'short');
    await assert.rejects(loadOrCreateAdminToken(dir), (err: unknown) => {
      assert.equal((err as { code?: string }).code, 'SETTINGS_INVALID');
      assert.match((err as Error).message, /admin-token must hold one token.*delete it/);
      return true;
    });
    await writeFile(adminTokenPath(dir), 'two words but long enough');
    await assert.rejects(loadOrCreateAdminToken(dir), /must hold one token/);
  });

  it('creates the data folder if it does not exist yet', async (t) => {
    const dir = path.join(await tempDir(t), 'nested', 'data');
    const token = await loadOrCreateAdminToken(dir);
    assert.equal((await readFile(adminTokenPath(dir), 'utf8')).trim(), token);
  });
});
