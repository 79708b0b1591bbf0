import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { onAbort } from './abort-cleanup.js';
import { cpuBetween, snapshotCpu, type CpuUsage } from './cpu-usage.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';
import { openEventStream, type EventStreamClient, type StreamEvent } from './event-stream-client.js';
import { freePort } from './free-port.js';
import type { PostfixTools } from './postfix-tools.js';
import { startSmtpSink, type SmtpSinkProcess } from './smtp-sink-process.js';
import { sendLoad } from './smtp-source-run.js';
import { waitUntil } from './wait-until.js';

export const BENCH_DOMAIN = 'example.com';
const HOST = '127.0.0.1';
/** Postfix's default_destination_concurrency_limit, so the drain compares with what Postfix would do. */
export const DESTINATION_CONNECTIONS = 20;
const STALL_MS = 5000;

export interface RunSettings {
  messages: number;
  sessions: number;
  sizeBytes: number;
  reuseSessions: boolean;
  profileDir: string | null;
  /**
   * Stop the service gracefully and start it again between the intake and the drain, as a reboot of the
   * backup MX's machine during the outage would: the drain then runs from the spool as loaded at start-up
   * (each body checked against its SHA-256 before its first delivery).
   */
  restartBeforeDrain?: boolean;
}

export interface RunResult {
  /** smtp-source start to exit: every message answered 250, i.e. fsync'ed and renamed into the spool. */
  intakeSeconds: number;
  intakeMsgPerSec: number;
  /** smtp-source's exit until each message's first (failed) delivery attempt was recorded: work the 250 did not wait for. */
  deferralsSettledSeconds: number;
  /** queue.retry sent until the queue is empty. */
  drainSeconds: number;
  drainMsgPerSec: number;
  /** With `restartBeforeDrain`: SIGTERM until the new process's admin API was up with the queue loaded; else null. */
  restartSeconds: number | null;
  /** queue.retry sent until the first "delivered" attempt event arrived. */
  firstDeliverySeconds: number;
  /** Engine and machine CPU during each phase; null where /proc is missing (not Linux). */
  intakeCpu: CpuUsage | null;
  drainCpu: CpuUsage | null;
}

/** What the event stream has told us so far. */
interface Tally {
  phase: 'intake' | 'drain';
  intakeAttempts: number;
  delivered: number;
  firstDeliveredMs: number | null;
  /** Outcomes that must not happen: a delivery while the destination is down, a deferral or bounce in the drain. */
  problems: string[];
}

/**
 * One run in a fresh data folder: intake with the destination down (mail stays queued), then the drain to
 * smtp-sink after "retry now". Throws, with the reason, if any message is lost, refused or not delivered.
 */
export async function runOnce(tools: PostfixTools, settings: RunSettings, note: (line: string) => void): Promise<RunResult> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-bench-'));
  const forgetRunDir = onAbort(() => rmSync(runDir, { recursive: true, force: true }));
  const dataDir = path.join(runDir, 'data');
  let logFile = path.join(runDir, 'engine.log');
  const timeoutMs = 60_000 + settings.messages * 20; // generous: at 50 msg/s something is broken anyway
  let engine: EngineProcess | null = null;
  let events: EventStreamClient | null = null;
  let sink: SmtpSinkProcess | null = null;
  try {
    const [smtpPort, destinationPort] = [await freePort(), await freePort()];
    engine = await startEngineProcess({ dataDir, smtpPort, logFile, profileDir: settings.profileDir, compiled: true });
    await configure(engine, settings.sessions, destinationPort);
    const tally: Tally = { phase: 'intake', intakeAttempts: 0, delivered: 0, firstDeliveredMs: null, problems: [] };
    events = await openEventStream(engine.adminUrl, engine.token, (event) => count(tally, event));
    events.ended.catch((error: unknown) => tally.problems.push(`event stream: ${(error as Error).message}`));

    // Intake: the destination port has no listener, so every message is deferred and stays queued.
    const intakeCpuBefore = await snapshotCpu(engine.pid, 'reaped');
    const intakeMs = await sendLoad(tools.smtpSource, { port: smtpPort, domain: BENCH_DOMAIN }, settings, timeoutMs);
    const intakeEndMs = performance.now();
    const intakeCpuAfter = await snapshotCpu(engine.pid, 'reaped');
    await expectQueued(engine, dataDir, settings.messages, 'after intake');
    // The first message's attempt finds the office server down and suspends the domain; messages that
    // arrive after that are scheduled for the end of the suspension without an attempt of their own.
    await waitUntil(() => tally.intakeAttempts >= 1 || tally.problems.length > 0, timeoutMs, 'the first delivery attempt');
    await waitUntil(async () => (await engine!.call('stats.summary', {})).delivering === 0, timeoutMs, 'no message in delivery');
    const deferralsSettledMs = performance.now() - intakeEndMs;
    failOnProblems(tally, 'while the destination was down');
    await expectQueued(engine, dataDir, settings.messages, 'after the deferrals');

    let restartSeconds: number | null = null;
    if (settings.restartBeforeDrain) {
      events.close();
      await events.ended;
      const restartStartMs = performance.now();
      await engine.stop();
      logFile = path.join(runDir, 'engine-restarted.log');
      engine = await startEngineProcess({ dataDir, smtpPort, logFile, profileDir: settings.profileDir, compiled: true });
      restartSeconds = (performance.now() - restartStartMs) / 1000;
      events = await openEventStream(engine.adminUrl, engine.token, (event) => count(tally, event));
      events.ended.catch((error: unknown) => tally.problems.push(`event stream: ${(error as Error).message}`));
      await expectQueued(engine, dataDir, settings.messages, 'after the restart');
    }

    // Drain: the destination comes up; "retry now" releases the whole queue at once.
    sink = await startSmtpSink(tools.smtpSink, HOST, destinationPort);
    tally.phase = 'drain';
    const drainCpuBefore = await snapshotCpu(engine.pid, sink.pid);
    const drainStartMs = performance.now();
    const { count: retried } = await engine.call('queue.retry', { domain: BENCH_DOMAIN });
    if (retried !== settings.messages) throw new Error(`queue.retry released ${retried} messages, expected ${settings.messages}`);
    await waitUntil(
      () => tally.delivered >= settings.messages || tally.problems.length > 0,
      timeoutMs,
      `${settings.messages} delivered attempts`,
      stallCheck(engine, () => tally.delivered),
    );
    failOnProblems(tally, 'during the drain');
    await waitUntil(async () => (await engine!.call('stats.summary', {})).queued === 0, timeoutMs, 'an empty queue');
    const drainMs = performance.now() - drainStartMs;
    const drainCpuAfter = await snapshotCpu(engine.pid, sink.pid);
    await expectQueued(engine, dataDir, 0, 'after the drain');
    if (!(await sink.waitForMessages(settings.messages, 5000)) || sink.messages !== settings.messages) {
      throw new Error(`smtp-sink counted ${sink.messages} messages, expected ${settings.messages}`);
    }

    events.close();
    await events.ended; // rethrows if the stream broke before: events, and so figures, would be missing
    await engine.stop();
    return {
      intakeSeconds: intakeMs / 1000,
      intakeMsgPerSec: settings.messages / (intakeMs / 1000),
      deferralsSettledSeconds: deferralsSettledMs / 1000,
      drainSeconds: drainMs / 1000,
      drainMsgPerSec: settings.messages / (drainMs / 1000),
      restartSeconds,
      firstDeliverySeconds: ((tally.firstDeliveredMs ?? Number.NaN) - drainStartMs) / 1000,
      intakeCpu: cpuBetween(intakeCpuBefore, intakeCpuAfter, settings.messages),
      drainCpu: cpuBetween(drainCpuBefore, drainCpuAfter, settings.messages),
    };
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    const interesting = log.split('\n').filter((line) => / (WARN|ERROR) /.test(line));
    if (interesting.length > 0) note(`engine warnings and errors (last 10 of ${interesting.length}):\n${interesting.slice(-10).join('\n')}`);
    throw error;
  } finally {
    events?.close();
    engine?.kill();
    await sink?.stop();
    await rm(runDir, { recursive: true, force: true });
    forgetRunDir();
  }
}

async function configure(engine: EngineProcess, sessions: number, destinationPort: number): Promise<void> {
  await engine.call('settings.update', {
    // All sessions come from 127.0.0.1; the margin covers sessions the client has closed but we have not yet seen close.
    listener: { maxConnectionsPerIp: Math.min(1000, Math.max(60, sessions + 20)), maxConnections: Math.max(200, sessions + 50) },
    delivery: { maxConnectionsPerDestination: DESTINATION_CONNECTIONS },
  });
  await engine.call('domains.save', { name: BENCH_DOMAIN, destinations: [{ host: HOST, port: destinationPort, tls: 'none' }] });
}

function count(tally: Tally, event: StreamEvent): void {
  if (event.name !== 'attempt.made') return;
  const record = event.payload;
  if (tally.phase === 'intake') {
    tally.intakeAttempts += 1;
    if (record.outcome !== 'deferred') tally.problems.push(`${record.queueId} ${record.outcome}: ${record.response ?? ''}`);
    return;
  }
  if (record.outcome === 'delivered') {
    tally.delivered += 1;
    tally.firstDeliveredMs ??= performance.now();
  } else {
    tally.problems.push(`${record.queueId} ${record.outcome} at ${record.destination} (${record.stage}): ${record.response ?? record.errorCode ?? ''}`);
  }
}

function failOnProblems(tally: Tally, when: string): void {
  if (tally.problems.length === 0) return;
  const shown = tally.problems.slice(0, 5).join('\n  ');
  throw new Error(`${tally.problems.length} unexpected delivery outcome(s) ${when}:\n  ${shown}`);
}

/** The engine's count and the files on disk must both match: a benchmark that loses mail must say so. */
async function expectQueued(engine: EngineProcess, dataDir: string, expected: number, when: string): Promise<void> {
  const summary = await engine.call('stats.summary', {});
  const names = await readdir(path.join(dataDir, 'spool', 'queue'));
  // One message file per entry: packed (`.mxmsg`, mail for one domain) or a body beside its state (`.eml`).
  const messages = names.filter((name) => name.endsWith('.mxmsg') || name.endsWith('.eml')).length;
  const states = names.filter((name) => name.endsWith('.json')).length;
  if (summary.queued !== expected || messages !== expected || states > expected) {
    throw new Error(`MAIL COUNT MISMATCH ${when}: expected ${expected} queued, the engine reports ${summary.queued}, the spool holds ${messages} messages and ${states} states`);
  }
}

/**
 * Fails when nothing moved for STALL_MS while messages sit queued with none in delivery: a delivery that
 * ends without an attempt record (e.g. an unreadable body) would otherwise only show as a timeout.
 */
function stallCheck(engine: EngineProcess, progress: () => number): () => Promise<void> {
  let last = progress();
  let lastChangeMs = performance.now();
  return async () => {
    if (progress() !== last) {
      last = progress();
      lastChangeMs = performance.now();
      return;
    }
    if (performance.now() - lastChangeMs < STALL_MS) return;
    const summary = await engine.call('stats.summary', {});
    if (summary.delivering > 0 || summary.queued === 0) return;
    const { items } = await engine.call('queue.list', { limit: 1 });
    const sample = items[0];
    throw new Error(
      `Stalled: ${summary.queued} messages queued, none in delivery, no progress for ${STALL_MS / 1000} s` +
        (sample ? `; e.g. ${sample.id}: attempts ${sample.attempts}, next ${sample.nextAttemptAt ?? 'never'}, last reply: ${sample.lastResponse ?? 'none'}` : ''),
    );
  };
}
