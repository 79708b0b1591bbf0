import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { onAbort } from './abort-cleanup.js';
import { withTimeout } from './engine-process.js';

export interface SmtpSourceOptions {
  host: string;
  port: number;
  messages: number;
  sessions: number;
  sizeBytes: number;
  from: string;
  to: string;
  /** smtp-source -d: keep the session for the next message; without it every message is a new connection. */
  reuseSessions: boolean;
  timeoutMs: number;
}

const MAX_STDERR_CHARS = 4000;

/**
 * Runs Postfix's smtp-source and returns its wall time in ms, from spawn to exit. smtp-source counts a message
 * as sent only on a 2xx reply to the final "." and stops with status 1 at the first other reply (we do not
 * pass -A), so exit status 0 means every message got its 250. It is killed if it overruns `timeoutMs`.
 */
export async function runSmtpSource(tool: string, options: SmtpSourceOptions): Promise<number> {
  const args = [
    ...['-s', String(options.sessions), '-m', String(options.messages), '-l', String(options.sizeBytes)],
    ...['-f', options.from, '-t', options.to],
    ...(options.reuseSessions ? ['-d'] : []),
    `${options.host}:${options.port}`,
  ];
  const startedMs = performance.now();
  const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const forget = onAbort(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += text;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  try {
    const result = await withTimeout(exited, options.timeoutMs);
    const elapsedMs = performance.now() - startedMs;
    const command = `${tool} ${args.join(' ')}`;
    if (result === 'timeout') throw new Error(`smtp-source did not finish within ${options.timeoutMs / 1000} s: ${command}`);
    if (result.error) throw new Error(`Could not run ${command}: ${result.error.message}`);
    if (result.code !== 0) {
      throw new Error(`smtp-source failed (status ${result.code ?? result.signal}); not every message got a 250.\n  ${command}\n  ${stderr.trim()}`);
    }
    return elapsedMs;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    forget();
  }
}

/** The benchmark's load: `messages` × `sizeBytes` from sender@example.net to user@<domain> over `sessions`; ms until every 250. */
export function sendLoad(
  tool: string,
  target: { port: number; domain: string },
  load: { messages: number; sessions: number; sizeBytes: number; reuseSessions: boolean },
  timeoutMs: number,
): Promise<number> {
  const { messages, sessions, sizeBytes, reuseSessions } = load;
  return runSmtpSource(tool, { host: '127.0.0.1', port: target.port, messages, sessions, sizeBytes, reuseSessions, from: 'sender@example.net', to: `user@${target.domain}`, timeoutMs });
}
