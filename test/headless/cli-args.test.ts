import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ADMIN_PORT, UsageError, defaultDataDir, parseCliArgs, usageText, type CliEnvironment, type ServeOptions } from '../../electron/headless/cli-args.js';

const linux: CliEnvironment = { platform: 'linux', env: {}, homeDir: '/home/ada', cwd: '/srv' };

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(() => parseCliArgs(argv, linux), (err: unknown) => {
    assert.ok(err instanceof UsageError, `expected a UsageError for ${argv.join(' ')}`);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('parseCliArgs', () => {
  it('uses the defaults when given nothing', () => {
    assert.deepEqual(parseCliArgs([], linux), {
      help: false,
      dataDir: '/home/ada/.config/MX Spool/data',
      smtpHost: undefined,
      smtpPort: undefined,
      adminPort: DEFAULT_ADMIN_PORT,
      logLevel: 'info',
      waitForDomain: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    assert.deepEqual(parseCliArgs(['--data-dir', 'spool', '--smtp-host=192.168.1.5', '--smtp-port', '2525', '--admin-port=0', '--log-level', 'debug', '--wait-for-domain'], linux), {
      help: false,
      dataDir: '/srv/spool',
      smtpHost: '192.168.1.5',
      smtpPort: 2525,
      adminPort: 0,
      logLevel: 'debug',
      waitForDomain: true,
    });
  });

  it('answers --help and -h', () => {
    assert.deepEqual(parseCliArgs(['--help'], linux), { help: true });
    assert.deepEqual(parseCliArgs(['-h', '--smtp-port', '25'], linux), { help: true });
  });

  it('refuses unknown flags and stray arguments', () => {
    usageError(['--smtp-prot', '25'], /Unknown option '--smtp-prot'/);
    usageError(['-x'], /Unknown option '-x'/);
    usageError(['serve'], /Unexpected argument 'serve'/);
  });

  it('refuses a flag without its value', () => {
    usageError(['--data-dir'], /--data-dir/);
    usageError(['--data-dir', '--smtp-port', '25'], /--data-dir.*ambiguous/);
    usageError(['--data-dir='], /--data-dir needs a folder/);
    usageError(['--smtp-host', ' '], /--smtp-host needs an address/);
  });

  it('refuses a bad port with the flag and the value', () => {
    for (const value of ['abc', '70000', '65536', '-1', '25.5', '0x19', '1e3', '', ' 25']) {
      usageError([`--smtp-port=${value}`], new RegExp(`--smtp-port must be a port number from 0 to 65535, not "${value.replace('.', '\\.')}"`));
    }
    assert.equal((parseCliArgs(['--smtp-port', '0'], linux) as ServeOptions).smtpPort, 0, '0 = any free port');
    usageError(['--admin-port', '99999'], /--admin-port must be a port number from 0 to 65535/);
    assert.equal((parseCliArgs(['--smtp-port', '65535'], linux) as ServeOptions).smtpPort, 65535);
  });

  it('refuses an unknown log level', () => {
    usageError(['--log-level', 'verbose'], /--log-level must be one of debug, info, warn, error, not "verbose"/);
  });
});

describe('defaultDataDir', () => {
  it("uses each OS's per-user application data folder", () => {
    assert.equal(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, homeDir: 'C:\\Users\\ada', cwd: 'C:\\' }), 'C:\\Users\\ada\\AppData\\Roaming\\MX Spool\\data');
    assert.equal(defaultDataDir({ platform: 'win32', env: {}, homeDir: 'C:\\Users\\ada', cwd: 'C:\\' }), 'C:\\Users\\ada\\AppData\\Roaming\\MX Spool\\data');
    assert.equal(defaultDataDir({ platform: 'darwin', env: {}, homeDir: '/Users/ada', cwd: '/' }), '/Users/ada/Library/Application Support/MX Spool/data');
    assert.equal(defaultDataDir(linux), '/home/ada/.config/MX Spool/data');
    assert.equal(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: '/data/xdg' } }), '/data/xdg/MX Spool/data');
  });

  it('ignores a relative XDG_CONFIG_HOME, as the XDG spec requires', () => {
    assert.equal(defaultDataDir({ ...linux, env: { XDG_CONFIG_HOME: 'relative/dir' } }), '/home/ada/.config/MX Spool/data');
  });
});

describe('usageText', () => {
  it('lists every flag and the default folder', () => {
    const text = usageText(linux);
    for (const flag of ['--data-dir', '--smtp-host', '--smtp-port', '--admin-port', '--log-level', '--help']) assert.ok(text.includes(flag), flag);
    assert.ok(text.includes('/home/ada/.config/MX Spool/data'));
  });
});
