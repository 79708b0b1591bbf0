import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { settingsPatchSchema, settingsSchema } from '../../../electron/contract/settings-schema.js';
import { SettingsStore } from '../../../electron/engine/settings/settings-store.js';
import { tempDir } from '../../support/temp-dir.js';

async function issuesOf(promise: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  const error = await promise.then(
    () => assert.fail('expected INVALID_INPUT'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof AppError);
  assert.equal(error.code, 'INVALID_INPUT');
  return error.issues ?? [];
}

const destination = { host: '127.0.0.1', port: 2525 };

describe('SettingsStore', () => {
  it('a patch changes only what it names, and the file is readable by this user only', async (t) => {
    const dir = await tempDir(t);
    const store = await SettingsStore.open(dir);
    await store.update({ listener: { port: 2526 } });
    assert.equal(store.current.listener.port, 2526);
    assert.equal(store.current.listener.host, '0.0.0.0', 'other listener fields keep their values');
    assert.equal(store.current.retry.firstRetryMinutes, 5);
    const file = path.join(dir, 'settings.json');
    assert.equal(JSON.parse(await readFile(file, 'utf8')).listener.port, 2526);
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('every section settings.update accepts is saved, new ones included (enumerated from the schema)', async (t) => {
    const dir = await tempDir(t);
    const store = await SettingsStore.open(dir);
    const defaults = settingsSchema.parse({});
    const sections = Object.keys(settingsPatchSchema.shape) as (keyof typeof defaults)[];
    assert.ok(sections.includes('setup'), 'the setup section is patchable');
    for (const section of sections) {
      // A change the store must keep: flip a boolean, move a number by one or fill a list, the first such change the schema accepts.
      const fields = defaults[section] as unknown as Record<string, unknown>;
      const candidates = Object.entries(fields).flatMap(([key, value]): (readonly [string, unknown])[] =>
        typeof value === 'boolean'
          ? [[key, !value] as const]
          : typeof value === 'number'
            ? [[key, value + 1] as const, [key, value - 1] as const]
            : Array.isArray(value)
              ? [[key, ['127.0.0.1']] as const]
              : [],
      );
      let changed: readonly [string, unknown] | undefined;
      for (const [key, value] of candidates) {
        const patch = { [section]: { [key]: value, ...(section === 'bounceRelay' ? { host: '127.0.0.1' } : {}) } } as never;
        if (await store.update(patch).then(() => true, () => false)) {
          changed = [key, value];
          break;
        }
      }
      assert.ok(changed, `${section}: some field can be changed`);
      const [key, value] = changed;
      const saved = JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')) as Record<string, Record<string, unknown>>;
      assert.deepEqual(saved[section]?.[key], value, `${section}.${key} reached the file`);
      assert.deepEqual((store.current[section] as unknown as Record<string, unknown>)[key], value, `${section}.${key} in memory`);
    }
  });

  it('relay credentials: omitted keeps them, null removes them', async (t) => {
    const store = await SettingsStore.open(await tempDir(t));
    await store.update({ bounceRelay: { enabled: true, host: 'smtp.example.net', port: 587, auth: { user: 'spool', pass: 'secret' } } });
    await store.update({ bounceRelay: { port: 465 } });
    assert.deepEqual(store.current.bounceRelay.auth, { user: 'spool', pass: 'secret' });
    await store.update({ bounceRelay: { auth: null } });
    assert.equal(store.current.bounceRelay.auth, undefined);
    assert.equal(store.current.bounceRelay.host, 'smtp.example.net');
  });

  it('an enabled relay needs a valid host; a disabled one may have none', async (t) => {
    const store = await SettingsStore.open(await tempDir(t));
    assert.deepEqual(await issuesOf(store.update({ bounceRelay: { enabled: true } })), [{ path: 'bounceRelay.host', message: 'Enter the relay host or turn the relay off' }]);
    assert.deepEqual((await issuesOf(store.update({ bounceRelay: { host: 'bad host!' } }))).map((issue) => issue.path), ['bounceRelay.host']);
    assert.equal(store.current.bounceRelay.enabled, false, 'nothing saved');
    await store.update({ bounceRelay: { enabled: false, host: '' } });
  });

  it('the shortest retry interval may not exceed the longest, server-wide or in a domain override', async (t) => {
    const store = await SettingsStore.open(await tempDir(t));
    const serverWide = await issuesOf(store.update({ retry: { minIntervalMinutes: 200 } }));
    assert.deepEqual(serverWide.map((issue) => issue.path), ['retry.minIntervalMinutes']);
    assert.match(serverWide[0]!.message, /200 min.*longer than the longest \(120 min\)/);
    // The override's minimum is compared with the server-wide maximum it falls back to.
    const override = await issuesOf(store.saveDomain({ name: 'example.com', destinations: [destination], retry: { minIntervalMinutes: 150 } }));
    assert.deepEqual(override.map((issue) => issue.path), ['retry.minIntervalMinutes']);
    assert.equal(store.current.domains.length, 0);
    await store.saveDomain({ name: 'example.com', destinations: [destination], retry: { minIntervalMinutes: 150, maxIntervalMinutes: 240 } });
    assert.equal(store.current.domains[0]?.retry?.maxIntervalMinutes, 240);
  });

  it('a settings file that is not valid is never overwritten', async (t) => {
    const dir = await tempDir(t);
    await writeFile(path.join(dir, 'settings.json'), '{"listener": {"port": 0}}');
    await assert.rejects(SettingsStore.open(dir), (error: unknown) => error instanceof AppError && error.code === 'SETTINGS_INVALID' && /listener\.port/.test(error.message));
    assert.equal(await readFile(path.join(dir, 'settings.json'), 'utf8'), '{"listener": {"port": 0}}');
  });
});
