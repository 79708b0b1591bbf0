import { spawn, type ChildProcess } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ApiInput, ApiMethod, ApiOutput } from '../../electron/contract/api-contract.js';
import { onAbort } from './abort-cleanup.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_PATH = path.join(REPO_ROOT, 'electron', 'headless', 'cli.ts');
/** The CLI as `npm run build` compiles it: what the desktop app and a service install run (no tsx transpiling at start). */
export const COMPILED_CLI_PATH = path.join(REPO_ROOT, 'dist', 'electron', 'headless', 'cli.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;

export interface EngineProcessOptions {
  dataDir: string;
  smtpPort: number;
  /** The service's stderr (its log) goes here, not through the benchmark's own event loop. */
  logFile: string;
  /** Node's --cpu-prof target folder, or null for no profile. */
  profileDir: string | null;
  /** Run dist/electron/headless/cli.js (built by `npm run build`) instead of the TypeScript source through tsx. */
  compiled?: boolean;
}

/** `npm run serve` in a child process: the engine as an admin runs it, driven only through its HTTP API. */
export interface EngineProcess {
  readonly pid: number;
  readonly adminUrl: string;
  readonly token: string;
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** SIGTERM, as a service manager would; throws unless the service exits 0 (a graceful stop). */
  stop(): Promise<void>;
  /** SIGKILL if it is still running: for `finally` blocks after a failure. */
  kill(): void;
  /** SIGKILL, as a power cut or a crash would, and wait until the process is gone. */
  crash(): Promise<void>;
}

export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const log = await open(options.logFile, 'w');
  let child: ChildProcess;
  try {
    const profileArgs = options.profileDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', options.profileDir];
    const args = [
      ...(options.compiled ? [] : ['--import', 'tsx']),
      ...profileArgs,
      options.compiled ? COMPILED_CLI_PATH : CLI_PATH,
      ...['--data-dir', options.dataDir, '--smtp-host', '127.0.0.1', '--smtp-port', String(options.smtpPort), '--admin-port', '0'],
    ];
    child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', log.fd] });
  } finally {
    await log.close(); // the child holds its own copy of the descriptor
  }
  const forget = onAbort(() => child.kill('SIGKILL'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(forget);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${process.execPath} ${CLI_PATH}`);

  let adminUrl: string;
  try {
    adminUrl = await readAdminUrl(child, exited, options.logFile);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const token = (await readFile(path.join(options.dataDir, 'admin-token'), 'utf8')).trim();

  return {
    pid,
    adminUrl,
    token,
    async call(method, input) {
      const response = await fetch(`${adminUrl}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const result = (await response.json()) as { ok: true; value: never } | { ok: false; error: { code: string; message: string } };
      if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The engine (pid ${pid}) had already exited with ${child.exitCode ?? child.signalCode}`);
      child.kill('SIGTERM');
      const code = await withTimeout(exited, STOP_TIMEOUT_MS);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`The engine (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed. Log: ${options.logFile}`);
      }
      if (code !== 0) throw new Error(`The engine (pid ${pid}) exited with status ${code} on SIGTERM. Log: ${options.logFile}`);
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The CLI prints "Admin URL: http://127.0.0.1:PORT/ ..." once both listeners are up (see electron/headless/cli.ts). */
async function readAdminUrl(child: ChildProcess, exited: Promise<number | null>, logFile: string): Promise<string> {
  if (!child.stdout) throw new Error('The engine has no stdout pipe');
  const lines = createInterface({ input: child.stdout });
  const found = new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      const match = /^Admin URL: (http:\/\/\S+?)\/?\s/.exec(`${line} `);
      if (match?.[1]) resolve(match[1]);
    });
  });
  const failed = exited.then(async (code) => {
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    throw new Error(`The engine exited with status ${code} before it was ready. Its log (${logFile}):\n${tail}`);
  });
  const url = await withTimeout(Promise.race([found, failed]), START_TIMEOUT_MS);
  if (url === 'timeout') throw new Error(`The engine was not ready within ${START_TIMEOUT_MS / 1000} s. Log: ${logFile}`);
  // Keep reading stdout so the child never blocks on a full pipe.
  child.stdout.resume();
  return url;
}

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
