import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';
import { waitFor } from './temp-dir.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CALL_TIMEOUT_MS = 30_000;

export interface RunningService extends ServiceProcess {
  url: string;
  smtpPort: number;
  token: string;
  call(method: string, input: unknown): Promise<{ status: number; body: { ok: boolean; value?: { total?: number }; error?: { code: string; issues?: { path: string }[] } } }>;
}

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * RLIMIT_FSIZE for the service (POSIX `ulimit -f`, in blocks: 512 bytes in POSIX sh, 1 KiB in bash): a
   * write past it fails with EFBIG, a real write error for storage-fault tests (Node ignores SIGXFSZ).
   */
  fileSizeLimitBlocks?: number;
}

/** The headless CLI (what `npm run serve` runs) as a child process with these flags; killed when the test ends. */
export function spawnService(t: TestContext, args: string[], options: SpawnOptions = {}): ServiceProcess {
  const command = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'electron/headless/cli.ts'), ...args];
  const [file, ...rest] =
    options.fileSizeLimitBlocks === undefined ? command : ['/bin/sh', '-c', `ulimit -f ${options.fileSizeLimitBlocks} && exec "$@"`, 'sh', ...command];
  const child = spawn(file!, rest, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (data: Buffer) => (text += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (text += data.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Killed, and gone, before the test's temp folder (registered earlier) is removed.
  onCleanup(t, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exit;
  });
  return { child, output: () => text, exit };
}

/** The service on free ports, once it has printed its admin URL. */
export async function startService(t: TestContext, dataDir: string, options: SpawnOptions = {}, extraArgs: string[] = []): Promise<RunningService> {
  // Later flags win (node's parseArgs keeps the last): extraArgs may override the port.
  const { child, output, exit } = spawnService(t, ['--data-dir', dataDir, '--smtp-host', '127.0.0.1', '--smtp-port', '0', '--admin-port', '0', ...extraArgs], options);
  const url = (await waitFor(() => /Admin URL: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output()), 20_000, 'admin URL printed'))[1]!;
  const smtpPort = Number(/SMTP listener: 127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
  const token = (await readFile(path.join(dataDir, 'admin-token'), 'utf8')).trim();
  return {
    child,
    url,
    smtpPort,
    token,
    output,
    exit,
    async call(method, input) {
      // Bounded: a service that stops answering fails the test naming the call instead of hanging CI.
      const response = await fetch(`${url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      }).catch((error: Error) => Promise.reject(new Error(`${method}: ${error.message}\n${output().slice(-2000)}`)));
      return { status: response.status, body: (await response.json()) as never };
    },
  };
}
