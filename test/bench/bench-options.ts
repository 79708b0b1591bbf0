import { parseArgs } from 'node:util';

/** What one `npm run bench` invocation measures and where its results go. */
export interface BenchOptions {
  help: boolean;
  quick: boolean;
  messages: number;
  sessions: number;
  /** Payload per message, in bytes (smtp-source -l; its few header lines come on top). */
  sizeBytes: number;
  runs: number;
  /** Rewrite the generated section of docs/benchmarks.md; off for --quick and --no-docs. */
  writeDocs: boolean;
  /** smtp-source -d: several messages per SMTP session instead of one session per message. */
  reuseSessions: boolean;
  /** Folder for the engine's V8 CPU profiles (node --cpu-prof), or null. */
  profileDir: string | null;
}

/** A mistake on the command line: printed with the usage text, exit status 2. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

const FULL = { messages: 10_000, sessions: 50, sizeBytes: 4096, runs: 3 } as const;
// Seconds-long smoke run for CI: big enough to cross the per-connection message limit and the pool size.
const QUICK = { messages: 500, sessions: 10, sizeBytes: 4096, runs: 1 } as const;

export function benchUsage(): string {
  return [
    'Usage: npm run bench -- [options]',
    '',
    'Intake and drain benchmark of MX Spool with Postfix smtp-source and smtp-sink, on 127.0.0.1.',
    '',
    'Options:',
    `  --quick            Small run for CI: ${QUICK.messages} messages, ${QUICK.sessions} sessions, ${QUICK.runs} run; docs untouched`,
    `  --messages N       Messages per run (default ${FULL.messages})`,
    `  --sessions N       Parallel smtp-source sessions (default ${FULL.sessions})`,
    `  --size BYTES       Payload per message (default ${FULL.sizeBytes})`,
    `  --runs N           Runs, each with a fresh data folder (default ${FULL.runs})`,
    '  --reuse-sessions   Several messages per SMTP session (smtp-source -d); default is one per session',
    '  --profile DIR      Write the engine\'s CPU profiles (node --cpu-prof) to DIR',
    '  --no-docs          Do not rewrite docs/benchmarks.md',
    '  -h, --help         Show this text',
    '',
  ].join('\n');
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        messages: { type: 'string' },
        sessions: { type: 'string' },
        size: { type: 'string' },
        runs: { type: 'string' },
        'reuse-sessions': { type: 'boolean' },
        profile: { type: 'string' },
        'no-docs': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error: unknown) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  const quick = values.quick === true;
  const base = quick ? QUICK : FULL;
  const profileDir = values.profile ?? null;
  if (profileDir !== null && profileDir.trim() === '') throw new BenchUsageError('--profile needs a folder');
  return {
    help: values.help === true,
    quick,
    messages: positiveInt('--messages', values.messages, base.messages, 1_000_000),
    sessions: positiveInt('--sessions', values.sessions, base.sessions, 900),
    sizeBytes: positiveInt('--size', values.size, base.sizeBytes, 30 * 1024 * 1024),
    runs: positiveInt('--runs', values.runs, base.runs, 100),
    writeDocs: !quick && values['no-docs'] !== true,
    reuseSessions: values['reuse-sessions'] === true,
    profileDir,
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  // Digits only: Number() would take "1e3" and "0x10".
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= max)) throw new BenchUsageError(`${flag} must be a whole number from 1 to ${max}, not "${raw}"`);
  return value;
}
