import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { startAdminServer } from '../../electron/headless/admin-http-server.js';
import { describeListenError } from '../../electron/headless/port-errors.js';
import { FakeEvents, createFakeHandlers } from './fake-api.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`listen ${code}`), { code });
}

describe('describeListenError', () => {
  it('names the port, the likely culprit and the flag for a port in use', () => {
    assert.equal(
      describeListenError(errno('EADDRINUSE'), { what: 'SMTP listener', host: '0.0.0.0', port: 25 }),
      'Cannot start the SMTP listener: port 25 on 0.0.0.0 is already in use by another program (another mail server?): stop it or choose another port with --smtp-port (or listener.port in the settings)',
    );
    assert.match(describeListenError(errno('EADDRINUSE'), { what: 'admin API', host: '127.0.0.1', port: 8025 }), /another MX Spool\?.*--admin-port/);
  });

  it('explains administrator rights for a port below 1024', () => {
    assert.equal(
      describeListenError(errno('EACCES'), { what: 'SMTP listener', host: '0.0.0.0', port: 25 }),
      'Cannot start the SMTP listener: port 25 needs administrator rights: run as administrator/root, or use a port above 1024 and forward 25 to it',
    );
  });

  it('points at reserved ports for a permission error above 1024', () => {
    assert.match(describeListenError(errno('EACCES'), { what: 'admin API', host: '127.0.0.1', port: 50000 }), /reserved.*excludedportrange.*--admin-port/);
  });

  it('says when the address is not one of this computer', () => {
    assert.match(describeListenError(errno('EADDRNOTAVAIL'), { what: 'SMTP listener', host: '10.9.9.9', port: 25 }), /10\.9\.9\.9 is not an address of this computer.*--smtp-host/);
    assert.match(describeListenError(errno('EADDRNOTAVAIL'), { what: 'admin API', host: '::1', port: 8025 }), /IPv6.*127\.0\.0\.1/);
  });

  it("keeps Node's text for anything else", () => {
    assert.equal(describeListenError(errno('EMFILE'), { what: 'admin API', host: '127.0.0.1', port: 8025 }), 'Cannot start the admin API on 127.0.0.1:8025: listen EMFILE');
    assert.equal(describeListenError('odd', { what: 'admin API', host: '127.0.0.1', port: 8025 }), 'Cannot start the admin API on 127.0.0.1:8025: odd');
  });

  it('describes the real error of a second server on a taken port', async () => {
    const options = { handlers: createFakeHandlers().handlers, events: new FakeEvents(), token: 'x'.repeat(32), host: '127.0.0.1', logger: createMemoryLogger() };
    const first = await startAdminServer({ ...options, port: 0 });
    try {
      const err = await startAdminServer({ ...options, port: first.port }).then(
        () => assert.fail('the second server started'),
        (error: unknown) => error,
      );
      assert.match(describeListenError(err, { what: 'admin API', host: '127.0.0.1', port: first.port }), new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      await first.close();
    }
  });
});
