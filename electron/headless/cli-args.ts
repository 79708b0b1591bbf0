import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { LogLevel } from '../engine/runtime/logger.js';

export const DEFAULT_ADMIN_PORT = 8025;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export type ServeOptions = {
  help: false;
  dataDir: string;
  /** Overrides listener.host from the settings for this run; undefined = use the settings. */
  smtpHost: string | undefined;
  /** Overrides listener.port from the settings for this run; undefined = use the settings. */
  smtpPort: number | undefined;
  adminPort: number;
  logLevel: LogLevel;
  /** Receiving starts only once the first domain exists, as in the desktop app. */
  waitForDomain: boolean;
};
export type CliArgs = { help: true } | ServeOptions;

/** What the default data folder depends on; injected so tests can check every OS from any OS. */
export type CliEnvironment = {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homeDir: string;
  cwd: string;
};

/** A mistake on the command line: the CLI prints the message and the usage text, and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usageText(environment: CliEnvironment = currentEnvironment()): string {
  return [
    'Usage: mx-spool [options]',
    '',
    'Runs MX Spool without a window: the SMTP listener, the delivery queue and the admin API on loopback.',
    '',
    'Options:',
    `  --data-dir DIR       Settings, queue and logs (default: ${defaultDataDir(environment)})`,
    '  --smtp-host HOST     Address for the SMTP listener (default: listener.host in the settings)',
    '  --smtp-port N        Port for the SMTP listener, 0-65535, 0 = any free port (default: listener.port in the settings)',
    `  --admin-port N       Port for the admin API on 127.0.0.1, 0 = any free port (default: ${DEFAULT_ADMIN_PORT})`,
    '  --log-level LEVEL    debug, info, warn or error (default: info)',
    '  --wait-for-domain    Start receiving only once a domain exists (as the desktop app does; default: receive at once)',
    '  -h, --help           Show this text',
    '',
    'The admin API token is in DIR/admin-token; see docs/api.md.',
    '',
  ].join('\n');
}

/** Parses the arguments after the script name (`process.argv.slice(2)`). Throws UsageError on any mistake. */
export function parseCliArgs(argv: readonly string[], environment: CliEnvironment = currentEnvironment()): CliArgs {
  const values = readFlags(argv);
  if (values.help === true) return { help: true };

  const dataDirArg = values['data-dir'];
  if (dataDirArg !== undefined && dataDirArg.trim() === '') throw new UsageError('--data-dir needs a folder');
  const smtpHost = values['smtp-host'];
  if (smtpHost !== undefined && smtpHost.trim() === '') throw new UsageError('--smtp-host needs an address');
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);

  return {
    help: false,
    dataDir: dataDirArg === undefined ? defaultDataDir(environment) : path.resolve(environment.cwd, dataDirArg),
    smtpHost: smtpHost?.trim(),
    smtpPort: parsePort('--smtp-port', values['smtp-port'], 0),
    adminPort: parsePort('--admin-port', values['admin-port'], 0) ?? DEFAULT_ADMIN_PORT,
    logLevel,
    waitForDomain: values['wait-for-domain'] === true,
  };
}

/**
 * The per-user application data folder, so a service started from any working directory finds the same
 * queue: %APPDATA%\MX Spool\data, ~/Library/Application Support/MX Spool/data, or
 * $XDG_CONFIG_HOME/MX Spool/data (~/.config/MX Spool/data).
 */
export function defaultDataDir(environment: CliEnvironment = currentEnvironment()): string {
  // The same folder the desktop app uses (Electron's userData for "MX Spool", then data/), so the service
  // and the app can take turns on one queue.
  const { platform, env, homeDir } = environment;
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA ?? path.win32.join(homeDir, 'AppData', 'Roaming'), 'MX Spool', 'data');
  }
  if (platform === 'darwin') return path.posix.join(homeDir, 'Library', 'Application Support', 'MX Spool', 'data');
  // Electron's userData on Linux is $XDG_CONFIG_HOME (else ~/.config); a relative value is invalid (XDG spec).
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homeDir, '.config');
  return path.posix.join(base, 'MX Spool', 'data');
}

function readFlags(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'smtp-host': { type: 'string' },
        'smtp-port': { type: 'string' },
        'admin-port': { type: 'string' },
        'log-level': { type: 'string' },
        'wait-for-domain': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err: unknown) {
    // parseArgs' own messages already name the option ("Unknown option '--foo'"); keep them.
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function parsePort(flag: string, raw: string | undefined, min: 0 | 1): number | undefined {
  if (raw === undefined) return undefined;
  // Digits only: Number() would accept "0x19", "1e3" and " 25".
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= min && port <= 65535)) throw new UsageError(`${flag} must be a port number from ${min} to 65535, not "${raw}"`);
  return port;
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function currentEnvironment(): CliEnvironment {
  return { platform: process.platform, env: process.env, homeDir: os.homedir(), cwd: process.cwd() };
}
