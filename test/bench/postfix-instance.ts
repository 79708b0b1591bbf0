import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { onAbort } from './abort-cleanup.js';

const run = promisify(execFile);

/**
 * A private Postfix instance configured as a backup MX, the way an expert would set one up instead of MX
 * Spool: `relay_domains` holds the office domain, a fixed transport sends its mail to the office server
 * (here smtp-sink on loopback), nothing else is relayed. Its own configuration, queue and data folders live
 * in a temp folder; it listens on 127.0.0.1 only, on a port of our choosing; the system's Postfix (if any)
 * is not touched. Postfix's cleanup(8) fsyncs each queue file before smtpd answers 250, as MX Spool does.
 *
 * `postfix start` must run as root (master(8) drops to mail_owner), and Postfix's programs live in
 * /usr/sbin on Debian. Every other setting is Postfix's default, so its retry schedule (minimal_backoff_time
 * 300 s, maximal_backoff_time 4000 s, queue_run_delay 300 s) and destination concurrency (20) are what a
 * default install does.
 */
export interface PostfixInstance {
  readonly smtpPort: number;
  readonly configDir: string;
  /** Messages in the instance's queues (maildrop, incoming, active, deferred, hold): one file each. */
  queued(): Promise<number>;
  /** `postqueue -f`: deliver the deferred queue now, as an admin would after the office server returns. */
  flush(): Promise<void>;
  /** When Postfix will next try each deferred message: qmgr(8) stores it as the queue file's modification time (ms). */
  nextAttemptTimes(): Promise<number[]>;
  /** `postfix stop`, then `postfix start`, as a reboot of its machine would; resolves once smtpd listens again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PostfixPrograms {
  postfix: string;
  postqueue: string;
}

const QUEUES = ['maildrop', 'incoming', 'active', 'deferred', 'hold'];
const START_TIMEOUT_MS = 20_000;

/** Why this machine cannot run the private instance, or null when it can. */
export function postfixUnavailableReason(programs: PostfixPrograms | null): string | null {
  if (!programs) return 'postfix and postqueue were not found (apt-get install postfix, choosing "No configuration")';
  if (process.platform === 'win32') return 'Postfix does not run on Windows';
  if (process.getuid?.() !== 0) return '`postfix start` must run as root (sudo npm run bench), so the Postfix comparison is skipped';
  return null;
}

export async function startPostfixInstance(programs: PostfixPrograms, options: { smtpPort: number; domain: string; destinationPort: number }): Promise<PostfixInstance> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-bench-postfix-'));
  // mail_owner must reach the queue and data folders through the temp folder.
  await chmod(root, 0o755);
  const configDir = path.join(root, 'etc');
  const queueDir = path.join(root, 'queue');
  const dataDir = path.join(root, 'data');
  const maillog = path.join(root, 'maillog');
  await Promise.all([configDir, queueDir, dataDir].map((dir) => mkdir(dir, { recursive: true })));
  const { uid, gid } = await ownerOf('postfix');
  await chown(dataDir, uid, gid);

  await writeFile(path.join(configDir, 'main.cf'), mainCf({ queueDir, dataDir, maillog, root, ...options }));
  await writeFile(path.join(configDir, 'master.cf'), await masterCf(options.smtpPort));
  const postfix = (...args: string[]) => run(programs.postfix, ['-c', configDir, ...args]);
  let started = false;
  const forget = onAbort(() => {
    if (started) {
      try {
        execFileSync(programs.postfix, ['-c', configDir, 'abort'], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  });
  try {
    await postfix('check');
    await postfix('start');
    started = true;
    await waitForListener(options.smtpPort, START_TIMEOUT_MS);
  } catch (error) {
    const log = await readFile(maillog, 'utf8').catch(() => '');
    forget();
    if (started) await postfix('abort').catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw new Error(`The private Postfix instance did not start: ${(error as Error).message}\n${log.split('\n').slice(-8).join('\n')}`, { cause: error });
  }

  const queueFiles = async (queues: string[]) => {
    const files: string[] = [];
    for (const queue of queues) files.push(...(await listFiles(path.join(queueDir, queue))));
    return files;
  };
  return {
    smtpPort: options.smtpPort,
    configDir,
    async queued() {
      // By queue id: qmgr moves a file from incoming/ to active/ while the folders are listed, and would be counted twice.
      return new Set((await queueFiles(QUEUES)).map((file) => path.basename(file))).size;
    },
    async flush() {
      await run(programs.postqueue, ['-c', configDir, '-f']);
    },
    async nextAttemptTimes() {
      const files = await queueFiles(['deferred']);
      return Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
    },
    async restart() {
      await postfix('stop');
      await postfix('start');
      await waitForListener(options.smtpPort, START_TIMEOUT_MS);
    },
    async stop() {
      await postfix('stop').catch(() => postfix('abort'));
      await rm(root, { recursive: true, force: true });
      forget();
    },
  };
}

function mainCf(options: { queueDir: string; dataDir: string; maillog: string; root: string; smtpPort: number; domain: string; destinationPort: number }): string {
  return [
    '# Private benchmark instance (test/bench/postfix-instance.ts): a backup MX for one domain on loopback.',
    'compatibility_level = 3.6',
    `queue_directory = ${options.queueDir}`,
    `data_directory = ${options.dataDir}`,
    'mail_owner = postfix',
    'setgid_group = postdrop',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'myhostname = backup-mx.localhost',
    'mydestination =',
    'mynetworks = 127.0.0.0/8',
    `relay_domains = ${options.domain}`,
    `transport_maps = inline:{ ${options.domain}=smtp:[127.0.0.1]:${options.destinationPort} }`,
    'smtpd_relay_restrictions = reject_unauth_destination',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    // No DNS: the transport names an address; Postfix must not look up MX records of the sender either.
    'smtp_dns_support_level = disabled',
    'smtpd_peername_lookup = no',
    `maillog_file_prefixes = ${options.root}`,
    `maillog_file = ${options.maillog}`,
    '',
  ].join('\n');
}

/** The system's master.cf with smtpd on our loopback port and chroot off (the chroot would be the system's queue). */
async function masterCf(smtpPort: number): Promise<string> {
  const system = await readFile('/etc/postfix/master.cf', 'utf8').catch(() => null);
  if (system === null) throw new Error('/etc/postfix/master.cf is missing: is the postfix package installed?');
  const lines = system.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  return (
    lines
      .map((line) => {
        if (/^\s/.test(line)) return line; // continuation of the service above
        const fields = line.split(/\s+/);
        if (fields.length < 8) return line;
        if (fields[0] === 'smtp' && fields[1] === 'inet') fields[0] = `127.0.0.1:${smtpPort}`;
        fields[4] = 'n';
        return fields.join('  ');
      })
      .filter((line) => !/^(smtps|submission|submissions)\s+inet/.test(line))
      .join('\n') + '\n'
  );
}

async function ownerOf(user: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', user]);
  const { stdout: group } = await run('id', ['-g', user]);
  return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // incoming/active/deferred may be hashed into one-letter subfolders (hash_queue_names).
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else files.push(full);
  }
  return files;
}

async function waitForListener(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
