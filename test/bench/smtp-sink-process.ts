import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { onAbort } from './abort-cleanup.js';
import { withTimeout } from './engine-process.js';

/** Postfix's smtp-sink: takes every message with 250 and throws it away, so the drain measures only us. */
export interface SmtpSinkProcess {
  readonly pid: number;
  /** Messages smtp-sink has seen end with "." so far (from its -c counters). */
  readonly messages: number;
  waitForMessages(count: number, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const LISTEN_BACKLOG = 1000;

export async function startSmtpSink(tool: string, host: string, port: number): Promise<SmtpSinkProcess> {
  // smtp-sink refuses to run as root without -u: it drops to that user once the socket is open.
  const asRoot = process.getuid?.() === 0;
  const args = ['-c', ...(asRoot ? ['-u', 'nobody'] : []), `${host}:${port}`, String(LISTEN_BACKLOG)];
  const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forget = onAbort(() => child.kill('SIGKILL'));
  let messages = 0;
  let stderr = '';
  let tail = '';
  const waiters = new Set<() => void>();
  // -c prints "sess=N quit=N mesg=N" after every session end, QUIT and ".", separated by carriage returns.
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    tail = (tail + text).slice(-200);
    const counters = [...tail.matchAll(/mesg=(\d+)/g)];
    const last = counters[counters.length - 1]?.[1];
    if (last !== undefined) messages = Math.max(messages, Number(last));
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  void exited.then(forget);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if ((await withTimeout(exited, 5000)) === 'timeout') child.kill('SIGKILL');
  };

  try {
    await waitUntilListening(host, port, exited, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pid: child.pid ?? 0,
    get messages() {
      return messages;
    },
    async waitForMessages(count, timeoutMs) {
      const reached = new Promise<void>((resolve) => {
        const check = () => {
          if (messages < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
      return (await withTimeout(reached, timeoutMs)) !== 'timeout';
    },
    stop,
  };
}

/** smtp-sink prints nothing when ready; a TCP connect that succeeds says it is. */
async function waitUntilListening(host: string, port: number, exited: Promise<void>, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`smtp-sink exited at start: ${stderr().trim()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`smtp-sink did not listen on ${host}:${port} within ${READY_TIMEOUT_MS / 1000} s: ${stderr().trim()}`);
}
