import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../contract/app-error.js';
import { Engine } from '../engine/engine.js';
import { createStreamLogger } from '../engine/runtime/logger.js';
import { startAdminServer } from './admin-http-server.js';
import { loadOrCreateAdminToken } from './admin-token.js';
import { parseCliArgs, UsageError, usageText } from './cli-args.js';
import { describeListenError } from './port-errors.js';

/**
 * `npm run serve -- --data-dir DIR [--smtp-host H] [--smtp-port N] [--admin-port N]`: the engine with no
 * window, the admin API on 127.0.0.1. SIGTERM/SIGINT stop it gracefully.
 */
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usageText()}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    process.stdout.write(usageText());
    return 0;
  }
  const logger = createStreamLogger((line) => process.stderr.write(line), args.logLevel);
  let engine: Engine;
  try {
    engine = await Engine.open({
      dataDir: args.dataDir,
      logger,
      smtpHost: args.smtpHost,
      smtpPort: args.smtpPort,
      waitForDomain: args.waitForDomain,
      appInfo: { host: 'service', version: await packageVersion() },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'SETTINGS_INVALID') {
      process.stderr.write(`mx-spool: cannot start: ${error.message}\n`);
      for (const issue of error.issues ?? []) process.stderr.write(`  - ${issue.path || '(file)'}: ${issue.message}\n`);
      return 78; // EX_CONFIG (sysexits.h)
    }
    throw error;
  }
  // The SMTP listener binds its port first (an admin port of 0 picked by the system must not take it); the
  // engine's first passes over the queue wait until the admin API is up too (docs/benchmarks.md, start-up).
  const smtpHost = args.smtpHost ?? engine.settings.listener.host;
  const smtpPort = args.smtpPort ?? engine.settings.listener.port;
  let adminStarted!: () => void;
  const firstPassesAfter = new Promise<void>((resolve) => (adminStarted = resolve));
  try {
    await engine.start({ firstPassesAfter });
  } catch (error) {
    process.stderr.write(`mx-spool: ${describeListenError(error, { what: 'SMTP listener', host: smtpHost, port: smtpPort })}\n`);
    await engine.stop();
    return 69; // EX_UNAVAILABLE
  }
  const token = await loadOrCreateAdminToken(args.dataDir);
  let admin;
  try {
    const staticDir = builtRendererDir();
    admin = await startAdminServer({ handlers: engine.handlers, events: engine.events, token, host: '127.0.0.1', port: args.adminPort, logger, ...(staticDir ? { staticDir } : {}) });
  } catch (error) {
    process.stderr.write(`mx-spool: ${describeListenError(error, { what: 'admin API', host: '127.0.0.1', port: args.adminPort })}\n`);
    await engine.stop();
    return 69;
  } finally {
    adminStarted();
  }
  const smtp = engine.listenerStatus();
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.log('info', 'SERVICE_STOPPING', { signal });
      void admin
        .close()
        .then(() => engine.stop())
        .then(
          () => resolve(0),
          (error: unknown) => {
            logger.log('error', 'SERVICE_STOP_FAILED', { message: (error as Error).message });
            resolve(1);
          },
        );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    // Announced only once the signal handlers are in place: a supervisor (or a test) that stops the service
    // as soon as it reads the admin URL must get the graceful stop, not the default kill.
    process.stdout.write(
      [
        `MX Spool is running. Data folder: ${args.dataDir}`,
        smtp.listening ? `SMTP listener: ${smtp.address}:${smtp.port}` : 'SMTP listener: not started until the first domain is added (--wait-for-domain)',
        `Admin URL: ${admin.url}/  (API token in ${args.dataDir}/admin-token; open ${admin.url}/#token=<that token>)`,
        '',
      ].join('\n'),
    );
  });
}

/** This package's version for app.info, from the source tree or from dist/. */
async function packageVersion(): Promise<string> {
  for (const relative of ['../../package.json', '../../../package.json']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  }
  return 'unknown';
}

/** The built admin app (`npm run build`), from the source tree or from dist/; absent = API only. */
function builtRendererDir(): string | undefined {
  return ['../../renderer/dist', '../../../renderer/dist']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(path.join(dir, 'index.html')));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`mx-spool: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
