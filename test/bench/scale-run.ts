import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { settingsSchema } from '../../electron/contract/settings-schema.js';
import { onAbort } from './abort-cleanup.js';
import { median } from './bench-stats.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';
import { freePort } from './free-port.js';
import { writeSyntheticAttempts, writeSyntheticSpool } from './scale-data.js';

const DOMAINS = ['example.com', 'example.org', 'branch.example', 'office.test', 'shop.example'];
/** A non-UTC zone with DST, so the report's day boundaries are not UTC's. */
export const SCALE_TIME_ZONE = 'America/New_York';
const CALLS = 7; // per API request, after one warm-up; the median is reported

export interface ScaleSettings {
  queued: number;
  attempts: number;
  days: number;
  /** `--profile`: each engine stopped gracefully leaves a CPU profile here (the one killed for the crash does not). */
  profileDir?: string | null;
}

export interface ScaleResult {
  queued: number;
  attempts: number;
  /** Writing the synthetic spool and attempt logs (not part of any target). */
  setupSeconds: number;
  /** Process start until the admin URL is printed, with the spool loaded, after a graceful stop (built JavaScript). */
  startupSeconds: number;
  /** The same after a crash (the running engine killed with SIGKILL): no snapshot, every state file is read. */
  crashStartupSeconds: number;
  /** The first start on the data the benchmark wrote: no snapshot, no TLS certificate, no log index yet. */
  firstStartupSeconds: number;
  /** The same with an empty data folder: the share of start-up that is not the spool. */
  emptyStartupSeconds: number;
  /** Resident memory of the engine process after the calls below, MB (null where it cannot be read). */
  rssMb: number | null;
  /** Median milliseconds per request, over HTTP as the admin app makes them. */
  latencyMs: {
    queueFirstPage: number;
    queueFilteredPage: number;
    statsSummary: number;
    /** queue.get of the oldest queued message: its attempts are looked up in every log since it arrived. */
    queueGetOldest: number;
    statsQueueAges: number;
    /** The charts screen's calls over the whole 30 days of attempt records. */
    statsOutcomesByHour: number;
    statsTopDeferrals: number;
    /** The queue chart over the last day (the benchmark writes no samples before the engine's own). */
    statsQueueSeries: number;
    reportOneDay: number;
    reportThirtyDays: number;
  };
  /**
   * The first 30-day report after start on logs nobody has indexed yet (written by the benchmark, not the
   * engine): it reads every line once and writes the day indexes; later starts load those instead.
   */
  firstReportMs: number;
  /** Rows the 1-day and 30-day reports counted (a check that the records were read). */
  reportTotals: { oneDay: number; thirtyDays: number };
}

/**
 * Scale: a spool of `queued` messages and `attempts` attempt records over `days` days, written in the
 * engine's formats, then the engine started on them (built code, as shipped) and timed through its API.
 * Throws if the engine did not load every message or a report counts no rows.
 */
export async function runScale(settings: ScaleSettings, note: (line: string) => void): Promise<ScaleResult> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-bench-scale-'));
  const forget = onAbort(() => rmSync(runDir, { recursive: true, force: true }));
  const profileDir = settings.profileDir ?? null;
  let engine: EngineProcess | null = null;
  try {
    const emptyStartupSeconds = await timedStart(path.join(runDir, 'empty'), runDir, profileDir).then(async ({ engine: started, seconds }) => {
      await started.stop();
      return seconds;
    });

    const dataDir = path.join(runDir, 'data');
    const nowMs = Date.now();
    const todayStartMs = Date.parse(new Date(nowMs).toISOString().slice(0, 10));
    const setupStart = performance.now();
    await writeSettings(dataDir, await freePort());
    await writeSyntheticSpool(dataDir, { count: settings.queued, domains: DOMAINS, nowMs, spanHours: 72 });
    await writeSyntheticAttempts(dataDir, { count: settings.attempts, days: settings.days, lastDayStartMs: todayStartMs - 24 * 3_600_000, domains: DOMAINS });
    // Written without fsync, the data is still on its way to the disk (700 MB dirty here right after), and the
    // kernel's writeback would compete with the timed start-ups for the CPU. A real spool's messages were
    // each fsync'ed as they arrived, so flush it all first.
    await flushFileSystems();
    const setupSeconds = (performance.now() - setupStart) / 1000;
    note(`  scale: wrote ${settings.queued} queued messages and ${settings.attempts} attempt records and flushed them to disk in ${setupSeconds.toFixed(1)} s`);

    // First start: no snapshot, every state file is read, a certificate made; the graceful stop writes a snapshot.
    const first = await timedStart(dataDir, runDir, profileDir);
    await first.engine.stop();
    const started = await timedStart(dataDir, runDir, profileDir);
    engine = started.engine;
    const summary = await engine.call('stats.summary', {});
    if (summary.queued + summary.held !== settings.queued && summary.queued !== settings.queued) {
      throw new Error(`The engine loaded ${summary.queued} queued + ${summary.held} held messages, expected ${settings.queued} in all`);
    }

    const yesterday = new Date(todayStartMs - 24 * 3_600_000).toISOString().slice(0, 10);
    const monthStart = new Date(todayStartMs - settings.days * 24 * 3_600_000).toISOString().slice(0, 10);
    const live = engine;
    const coldStart = performance.now();
    await live.call('reports.outbound', { from: monthStart, to: yesterday, timeZone: SCALE_TIME_ZONE, limit: 100 });
    const firstReportMs = performance.now() - coldStart;
    const queueFirstPage = await timeCalls(() => live.call('queue.list', { limit: 50 }));
    const queueFilteredPage = await timeCalls(() => live.call('queue.list', { domain: 'example.org', state: 'queued', olderThanMinutes: 600, sort: 'nextAttemptAt', limit: 50 }));
    const statsSummary = await timeCalls(() => live.call('stats.summary', {}));
    const oldest = (await live.call('queue.list', { sort: 'createdAt', order: 'asc', limit: 1 })).items[0];
    if (!oldest) throw new Error('queue.list returned no message');
    const queueGetOldest = await timeCalls(() => live.call('queue.get', { id: oldest.id }));
    const statsQueueAges = await timeCalls(() => live.call('stats.queueAges', {}));
    const chartRange = { from: monthStart, to: yesterday, timeZone: SCALE_TIME_ZONE };
    const statsOutcomesByHour = await timeCalls(() => live.call('stats.outcomesByHour', chartRange));
    const statsTopDeferrals = await timeCalls(() => live.call('stats.topDeferrals', chartRange));
    const statsQueueSeries = await timeCalls(() => live.call('stats.queueSeries', { since: new Date(Date.now() - 24 * 3_600_000).toISOString() }));
    let oneDayTotal = 0;
    let thirtyDayTotal = 0;
    const reportOneDay = await timeCalls(async () => {
      oneDayTotal = (await live.call('reports.outbound', { from: yesterday, to: yesterday, timeZone: SCALE_TIME_ZONE, limit: 100 })).total;
    });
    const reportThirtyDays = await timeCalls(async () => {
      thirtyDayTotal = (await live.call('reports.outbound', { from: monthStart, to: yesterday, timeZone: SCALE_TIME_ZONE, limit: 100 })).total;
    });
    if (oneDayTotal === 0 || thirtyDayTotal < oneDayTotal) throw new Error(`The reports counted ${oneDayTotal} rows for one day and ${thirtyDayTotal} for ${settings.days} days`);
    const rssMb = await residentMb(started.engine.pid);
    // A crash: the running engine is killed, so the next start finds no snapshot and reads every state file.
    await engine.crash();
    engine = null;
    const crashed = await timedStart(dataDir, runDir, profileDir);
    engine = crashed.engine;
    const afterCrash = await engine.call('stats.summary', {});
    if (afterCrash.queued + afterCrash.held !== summary.queued + summary.held) {
      throw new Error(`After the crash the engine loaded ${afterCrash.queued} queued + ${afterCrash.held} held messages, before it ${summary.queued} + ${summary.held}`);
    }
    await engine.stop();
    engine = null;
    return {
      queued: settings.queued,
      attempts: settings.attempts,
      setupSeconds,
      startupSeconds: started.seconds,
      crashStartupSeconds: crashed.seconds,
      firstStartupSeconds: first.seconds,
      emptyStartupSeconds,
      rssMb,
      latencyMs: { queueFirstPage, queueFilteredPage, statsSummary, queueGetOldest, statsQueueAges, statsOutcomesByHour, statsTopDeferrals, statsQueueSeries, reportOneDay, reportThirtyDays },
      firstReportMs,
      reportTotals: { oneDay: oneDayTotal, thirtyDays: thirtyDayTotal },
    };
  } finally {
    engine?.kill();
    await rm(runDir, { recursive: true, force: true });
    forget();
  }
}

async function timedStart(dataDir: string, runDir: string, profileDir: string | null): Promise<{ engine: EngineProcess; seconds: number }> {
  const startedAt = performance.now();
  const engine = await startEngineProcess({ dataDir, smtpPort: await freePort(), logFile: path.join(runDir, `${path.basename(dataDir)}.log`), profileDir, compiled: true });
  return { engine, seconds: (performance.now() - startedAt) / 1000 };
}

/** `sync`: every file system's dirty data to disk (where there is no `sync` command, Windows, nothing). */
async function flushFileSystems(): Promise<void> {
  if (process.platform === 'win32') return;
  await new Promise<void>((resolve, reject) => execFile('sync', (error) => (error ? reject(error) : resolve())));
}

/** Settings with the five domains pointing at a closed loopback port: the backlog of an outage. */
async function writeSettings(dataDir: string, closedPort: number): Promise<void> {
  const settings = settingsSchema.parse({ domains: DOMAINS.map((name) => ({ name, destinations: [{ host: '127.0.0.1', port: closedPort, tls: 'none' }] })) });
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

async function timeCalls(call: () => Promise<unknown>): Promise<number> {
  await call(); // warm-up: first-use compilation and caches, as a screen's first load pays once
  const times: number[] = [];
  for (let index = 0; index < CALLS; index += 1) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** VmRSS from /proc on Linux; `ps` elsewhere (macOS); null if neither answers. */
async function residentMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status ? /VmRSS:\s+(\d+) kB/.exec(status)?.[1] : undefined;
  if (kb) return Number(kb) / 1024;
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => resolve(error ? null : Number(stdout.trim()) / 1024 || null));
  });
}
