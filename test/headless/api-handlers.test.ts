import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invokeApi, type ApiHandlers } from '../../electron/contract/api-handlers.js';
import { AppError } from '../../electron/contract/app-error.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { createFakeHandlers } from './fake-api.js';

// invokeApi lives in contract/ because the IPC host will share it; its tests sit here beside the HTTP host's.
describe('invokeApi', () => {
  it('refuses names that are not contract methods, including Object.prototype ones', async () => {
    const { handlers } = createFakeHandlers();
    for (const method of ['nope', 'toString', '__proto__', 'hasOwnProperty', 'settings.get ']) {
      const result = await invokeApi(handlers, method, {}, createMemoryLogger());
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.code, 'NOT_FOUND', method);
    }
  });

  it('hands the handler the parsed input with defaults applied', async () => {
    const { handlers, calls } = createFakeHandlers();
    const result = await invokeApi(handlers, 'queue.list', { domain: 'example.com' }, createMemoryLogger());
    assert.deepEqual(result, { ok: true, value: { total: 0, items: [] } });
    assert.deepEqual(calls, [{ domain: 'example.com', sort: 'createdAt', order: 'asc', offset: 0, limit: 100 }]);
  });

  it('reports each invalid and each unknown field at its own path', async () => {
    const { handlers } = createFakeHandlers();
    const result = await invokeApi(
      handlers,
      'domains.save',
      { name: 'example.com', destinations: [{ host: 'mail.example.com', port: 0, tls: 'maybe', extra: 1 }], acceptAllRecipients: false, colour: 'red' },
      createMemoryLogger(),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'INVALID_INPUT');
    assert.deepEqual(result.error.issues?.map((issue) => issue.path).sort(), ['colour', 'destinations.0.extra', 'destinations.0.port', 'destinations.0.tls']);
    assert.ok(result.error.issues?.some((issue) => issue.message === 'Unknown field "colour"'));
  });

  it("passes an AppError's shape through, retryable included", async () => {
    const { handlers } = createFakeHandlers();
    const failing: ApiHandlers = {
      ...handlers,
      'stats.summary': async () => {
        throw new AppError('STORAGE_ERROR', 'The disk is full: free space under /var/spool', { retryable: true, cause: new Error('ENOSPC') });
      },
    };
    assert.deepEqual(await invokeApi(failing, 'stats.summary', {}, createMemoryLogger()), {
      ok: false,
      error: { code: 'STORAGE_ERROR', message: 'The disk is full: free space under /var/spool', retryable: true },
    });
  });

  it('turns anything else thrown into INTERNAL and logs it', async () => {
    const { handlers } = createFakeHandlers();
    const logger = createMemoryLogger();
    const failing: ApiHandlers = {
      ...handlers,
      'stats.summary': async () => {
        throw 'a string, not an Error';
      },
    };
    assert.deepEqual(await invokeApi(failing, 'stats.summary', {}, logger), {
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error; see the log', retryable: false },
    });
    assert.deepEqual(logger.entries, [
      { level: 'error', code: 'API_HANDLER_FAILED', fields: { method: 'stats.summary', error: 'a string, not an Error', stack: undefined } },
    ]);
  });

  it('answers INTERNAL when the engine lacks a handler', async () => {
    const { handlers } = createFakeHandlers();
    const logger = createMemoryLogger();
    const partial = { ...handlers } as Partial<ApiHandlers>;
    delete partial['stats.summary'];
    const result = await invokeApi(partial as ApiHandlers, 'stats.summary', {}, logger);
    assert.equal(!result.ok && result.error.code, 'INTERNAL');
    assert.equal(logger.entries[0]?.code, 'API_HANDLER_MISSING');
  });
});
