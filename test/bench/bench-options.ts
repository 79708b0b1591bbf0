import { parseArgs } from 'node:util';

export type BenchPhase = 'intake' | 'restart' | 'recovery' | 'scale';
const PHASES: readonly BenchPhase[] = ['intake', 'restart', 'recovery', 'scale'];

/** What one `npm run bench` invocation measures and where its results go. */
export interface BenchOptions {
  help: boolean;
  quick: boolean;
  /** Messages per intake/drain run and per recovery run. */
  messages: number;
  /** Parallel smtp-source sessions; one row per value (and per size). */
  sessions: number[];
  /** Payload per message, in bytes (smtp-source -l; its few header lines come on top); one row per value. */
  sizes: number[];
  runs: number;
  /** intake (with drain), restart (drain after a restart), recovery, scale: the phases to run, in that order. */
  phases: BenchPhase[];
  /** Measure the private Postfix instance beside MX Spool (needs root and the postfix package). */
  postfix: boolean;
  /** Scale phase: messages in the spool, attempt records in the logs, days they span. */
  scaleQueued: number;
  scaleAttempts: number;
  scaleDays: number;
  /** Recovery phase: retry.probeIntervalMinutes, or null for the engine's default (2). */
  probeIntervalMinutes: number | null;
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

// The rows: 10,000 messages of 4 KB and 50 KB over 10 and 50 sessions; 100,000 queued; 1,000,000 attempts over 30 days.
const FULL = { messages: 10_000, sessions: [10, 50], sizes: [4096, 51_200], runs: 3, scaleQueued: 100_000, scaleAttempts: 1_000_000, probeIntervalMinutes: null } as const;
// Seconds-long smoke run for CI: every phase and the Postfix comparison run once at small size. Recovery
// probes every 30 s instead of the default 2 min so CI does not wait minutes for the first probe.
const QUICK = { messages: 500, sessions: [10], sizes: [4096], runs: 1, scaleQueued: 2000, scaleAttempts: 20_000, probeIntervalMinutes: 0.5 } as const;

export function benchUsage(): string {
  return [
    'Usage: npm run bench -- [options]',
    '',
    'MX Spool side by side with a private Postfix backup MX on 127.0.0.1: intake and drain (Postfix smtp-source',
    'and smtp-sink), recovery after an outage, and scale (100,000 queued, 1,000,000 attempt records).',
    '',
    'Options:',
    `  --quick              Small run for CI: ${QUICK.messages} messages, ${QUICK.sessions.join(',')} sessions, ${QUICK.runs} run, ${QUICK.scaleQueued} queued; docs untouched`,
    `  --messages N         Messages per run (default ${FULL.messages})`,
    `  --sessions N[,N]     Parallel smtp-source sessions, one row each (default ${FULL.sessions.join(',')})`,
    `  --size BYTES[,BYTES] Payload per message, one row each (default ${FULL.sizes.join(',')})`,
    `  --runs N             Runs per row, each with a fresh data folder (default ${FULL.runs})`,
    `  --phases LIST        Some of ${PHASES.join(',')} (default all; intake includes the drain; restart drains`,
    '                       after stopping and starting the service: the largest size, the fewest sessions)',
    '  --no-postfix         MX Spool only: skip the private Postfix instance',
    `  --queued N           Scale phase: messages in the spool (default ${FULL.scaleQueued})`,
    `  --attempts N         Scale phase: attempt records over 30 days (default ${FULL.scaleAttempts})`,
    '  --probe-interval M   Recovery phase: retry.probeIntervalMinutes (default: the engine\'s, 2)',
    '  --reuse-sessions     Several messages per SMTP session (smtp-source -d); default is one per session',
    '  --profile DIR        Write the engine\'s CPU profiles (node --cpu-prof) to DIR',
    '  --no-docs            Do not rewrite docs/benchmarks.md',
    '  -h, --help           Show this text',
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
        phases: { type: 'string' },
        'no-postfix': { type: 'boolean' },
        queued: { type: 'string' },
        attempts: { type: 'string' },
        'probe-interval': { type: 'string' },
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
    sessions: intList('--sessions', values.sessions, base.sessions, 900),
    sizes: intList('--size', values.size, base.sizes, 30 * 1024 * 1024),
    runs: positiveInt('--runs', values.runs, base.runs, 100),
    phases: phaseList(values.phases),
    postfix: values['no-postfix'] !== true,
    scaleQueued: positiveInt('--queued', values.queued, base.scaleQueued, 2_000_000),
    scaleAttempts: positiveInt('--attempts', values.attempts, base.scaleAttempts, 20_000_000),
    scaleDays: 30,
    probeIntervalMinutes: probeInterval(values['probe-interval'], base.probeIntervalMinutes),
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

/** "10" or "10,50": one row per value, in the order given, duplicates dropped. */
function intList(flag: string, raw: string | undefined, fallback: readonly number[], max: number): number[] {
  if (raw === undefined) return [...fallback];
  const values = raw.split(',').map((part) => positiveInt(flag, part.trim(), 0, max));
  return [...new Set(values)];
}

function phaseList(raw: string | undefined): BenchPhase[] {
  if (raw === undefined) return [...PHASES];
  const wanted = raw.split(',').map((part) => part.trim());
  const unknown = wanted.filter((phase) => !PHASES.includes(phase as BenchPhase));
  if (unknown.length > 0 || wanted.length === 0) throw new BenchUsageError(`--phases takes ${PHASES.join(', ')}; not "${unknown.join(', ') || raw}"`);
  return PHASES.filter((phase) => wanted.includes(phase));
}

function probeInterval(raw: string | undefined, fallback: number | null): number | null {
  if (raw === undefined) return fallback;
  const value = /^\d{1,2}(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 0.5 && value <= 60)) throw new BenchUsageError(`--probe-interval must be 0.5 to 60 minutes, not "${raw}"`);
  return value;
}
