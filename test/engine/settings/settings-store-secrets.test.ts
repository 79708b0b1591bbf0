import assert from 'node:assert/strict';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import type { SecretCipher } from '../../../electron/engine/settings/secret-cipher.js';
import { SettingsStore } from '../../../electron/engine/settings/settings-store.js';
import { aesTestCipher } from '../../support/aes-test-cipher.js';
import { tempDir } from '../../support/temp-dir.js';

const DESTINATION_PASSWORD = 'office-Secret-4711';
const RELAY_PASSWORD = 'relay-Secret-0815';
const posix = process.platform !== 'win32';

/** null = no cipher at all, as in the headless service. */
async function storeWithPasswords(dir: string, cipher: SecretCipher | null = aesTestCipher()): Promise<SettingsStore> {
  const store = await SettingsStore.open(dir, cipher === null ? {} : { cipher });
  await store.saveDomain({ name: 'example.com', destinations: [{ host: 'mail.example.com', auth: { user: 'spool', pass: DESTINATION_PASSWORD } }] });
  await store.update({ bounceRelay: { enabled: true, host: 'smtp.example.net', auth: { user: 'relay', pass: RELAY_PASSWORD } } });
  return store;
}

/** The SETTINGS_INVALID an open must fail with, and the file's bytes, which must be unchanged. */
async function openFailure(dir: string, open: () => Promise<unknown>): Promise<AppError> {
  const before = await readFile(path.join(dir, 'settings.json'));
  const error = await open().then(
    () => assert.fail('expected SETTINGS_INVALID'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.code, 'SETTINGS_INVALID');
  assert.deepEqual(await readFile(path.join(dir, 'settings.json')), before, 'the file is left as it was');
  return error;
}

describe('SettingsStore: stored passwords', () => {
  it('with a cipher, the file never holds a password in plain text, and reopening gives them back', async (t) => {
    const dir = await tempDir(t);
    await storeWithPasswords(dir);
    const text = await readFile(path.join(dir, 'settings.json'), 'utf8');
    assert.ok(!text.includes(DESTINATION_PASSWORD) && !text.includes(RELAY_PASSWORD), text);
    const onDisk = JSON.parse(text) as { domains: { destinations: { auth: { user: string; pass: unknown } }[] }[]; bounceRelay: { auth: { pass: unknown } } };
    const sealed = onDisk.domains[0]?.destinations[0]?.auth;
    assert.equal(sealed?.user, 'spool', 'only the password is sealed');
    assert.deepEqual(Object.keys(sealed?.pass as object), ['encrypted', 'by']);
    assert.equal((sealed?.pass as { by: string }).by, 'test-aes');
    assert.equal((onDisk.bounceRelay.auth.pass as { by: string }).by, 'test-aes');

    const again = await SettingsStore.open(dir, { cipher: aesTestCipher() });
    assert.equal(again.current.domains[0]?.destinations[0]?.auth?.pass, DESTINATION_PASSWORD);
    assert.equal(again.current.bounceRelay.auth?.pass, RELAY_PASSWORD);
    // A change elsewhere keeps the passwords sealed, and they still open.
    await again.update({ listener: { port: 2600 } });
    assert.ok(!(await readFile(path.join(dir, 'settings.json'), 'utf8')).includes(DESTINATION_PASSWORD));
    assert.equal((await SettingsStore.open(dir, { cipher: aesTestCipher() })).current.domains[0]?.destinations[0]?.auth?.pass, DESTINATION_PASSWORD);
  });

  it('an older file with plain-text passwords still loads, and is sealed at once when a cipher is available', async (t) => {
    const dir = await tempDir(t);
    await storeWithPasswords(dir, null);
    const plainText = await readFile(path.join(dir, 'settings.json'), 'utf8');
    assert.ok(plainText.includes(DESTINATION_PASSWORD), 'without a cipher (headless) the password is plain text');
    const store = await SettingsStore.open(dir, { cipher: aesTestCipher() });
    assert.equal(store.current.domains[0]?.destinations[0]?.auth?.pass, DESTINATION_PASSWORD);
    assert.equal(store.current.bounceRelay.auth?.pass, RELAY_PASSWORD);
    const migrated = await readFile(path.join(dir, 'settings.json'), 'utf8');
    assert.ok(!migrated.includes(DESTINATION_PASSWORD) && !migrated.includes(RELAY_PASSWORD), migrated);
  });

  it('a password sealed by a cipher this process lacks stops the open with the field named', async (t) => {
    const dir = await tempDir(t);
    await storeWithPasswords(dir);
    // The headless service (no cipher) opening the desktop app's file.
    const headless = await openFailure(dir, () => SettingsStore.open(dir));
    assert.deepEqual(headless.issues?.map((issue) => issue.path), ['bounceRelay.auth.pass']);
    assert.match(headless.message, /settings\.json: the password at "bounceRelay\.auth\.pass" is encrypted by "test-aes", but this process has no "test-aes" cipher/);
    assert.match(headless.message, /plain text \("pass": "\.\.\."\)/, 'says how to fix it');
    // The keychain exists but cannot be used now (a locked or missing secret store).
    const locked = await openFailure(dir, () => SettingsStore.open(dir, { cipher: aesTestCipher({ available: false }) }));
    assert.match(locked.message, /"test-aes" \(the OS keychain\) is not available now/);
    // Another key (another user, a reinstalled OS): decryption fails.
    const otherKey = await openFailure(dir, () => SettingsStore.open(dir, { cipher: aesTestCipher({ key: Buffer.alloc(32, 9) }) }));
    assert.match(otherKey.message, /"bounceRelay\.auth\.pass" could not be decrypted by "test-aes"/);
  });

  it('names the domain destination whose password cannot be opened', async (t) => {
    const dir = await tempDir(t);
    const store = await SettingsStore.open(dir, { cipher: aesTestCipher() });
    await store.saveDomain({ name: 'example.com', destinations: [{ host: 'a.example.com' }, { host: 'b.example.com', auth: { user: 'u', pass: DESTINATION_PASSWORD } }] });
    const error = await openFailure(dir, () => SettingsStore.open(dir, { cipher: aesTestCipher({ name: 'other' }) }));
    assert.deepEqual(error.issues?.map((issue) => issue.path), ['domains.0.destinations.1.auth.pass']);
  });

  it('with a cipher that is not available, passwords are kept in plain text in the owner-only file', async (t) => {
    const dir = await tempDir(t);
    await storeWithPasswords(dir, aesTestCipher({ available: false }));
    const file = path.join(dir, 'settings.json');
    assert.ok((await readFile(file, 'utf8')).includes(DESTINATION_PASSWORD));
    if (posix) assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('a malformed sealed value is reported by its path, like any invalid field', async (t) => {
    const dir = await tempDir(t);
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ domains: [{ name: 'example.com', destinations: [{ host: 'mail.example.com', auth: { user: 'u', pass: { encrypted: 5, by: 'test-aes' } } }] }] }),
    );
    const error = await openFailure(dir, () => SettingsStore.open(dir, { cipher: aesTestCipher() }));
    assert.match(error.message, /"domains\.0\.destinations\.0\.auth\.pass"/);
  });

  it('file modes: written 0600 without leftovers, and a wider file (a restored copy) is narrowed at open', { skip: !posix && 'no POSIX modes on Windows' }, async (t) => {
    const dir = await tempDir(t);
    const previousUmask = process.umask(0); // the widest default: a file created without an explicit mode would be 0666
    t.after(() => process.umask(previousUmask));
    await storeWithPasswords(dir);
    const file = path.join(dir, 'settings.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['settings.json'], 'no temp files left behind');
    await chmod(file, 0o644);
    await SettingsStore.open(dir, { cipher: aesTestCipher() });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });
});
