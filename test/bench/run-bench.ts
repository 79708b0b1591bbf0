import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { runAbortActions } from './abort-cleanup.js';
import { BenchUsageError, benchUsage, parseBenchArgs, type BenchOptions } from './bench-options.js';
import { DESTINATION_CONNECTIONS, runOnce, type RunResult } from './bench-run.js';
import { spread } from './bench-stats.js';
import { fmt, loadLabel, renderResults, updateBenchmarksDoc, type BenchReport, type LoadRow, type RecoveryReport } from './benchmarks-doc.js';
import { REPO_ROOT } from './engine-process.js';
import { describeMachine } from './machine-info.js';
import { postfixUnavailableReason } from './postfix-instance.js';
import { runPostfixOnce, type PostfixRunResult } from './postfix-run.js';
import { findPostfixPrograms, findPostfixTools, missingToolsMessage } from './postfix-tools.js';
import { runRecoveryOnce, type RecoveryResult } from './recovery-run.js';
import { runScale, type ScaleResult } from './scale-run.js';
import { describeSource } from './source-version.js';

const run = promisify(execFile);

/**
 * `npm run bench [-- --quick | options]`: MX Spool beside a private Postfix backup MX on 127.0.0.1, with
 * Postfix's smtp-source and smtp-sink as the load and the office server. Exit status: 0 every message was
 * accepted and delivered, 1 something was lost, refused or undelivered (or a tool failed), 2 bad command
 * line, 69 smtp-source/smtp-sink missing. No exit status depends on speed: machines vary.
 */
async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${benchUsage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(benchUsage());
    return 0;
  }
  const tools = await findPostfixTools();
  if ('missing' in tools) {
    process.stderr.write(missingToolsMessage(tools.missing));
    return 69; // EX_UNAVAILABLE (sysexits.h), as the headless CLI uses for a port it cannot open
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const note = (line: string) => process.stderr.write(`${line}\n`);

  const programs = options.postfix ? await findPostfixPrograms() : null;
  const postfixSkipped = options.postfix ? postfixUnavailableReason(programs) : 'skipped with --no-postfix';
  const postfixVersion = programs && !postfixSkipped ? await run(programs.postfix.replace(/postfix$/, 'postconf'), ['-d', '-h', 'mail_version']).then((out) => out.stdout.trim(), () => null) : null;

  // The engine runs as built JavaScript, as the desktop app and a service install do (no tsx at start-up).
  say('building the engine (tsc -b tsconfig.build.json)…');
  await run(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', path.join(REPO_ROOT, 'tsconfig.build.json')], { cwd: REPO_ROOT });

  const machine = await describeMachine();
  const source = await describeSource(REPO_ROOT);
  say(`MX Spool benchmark${options.quick ? ' (quick)' : ''}: ${options.messages} messages per run, sizes ${options.sizes.join(', ')} bytes, ${options.sessions.join(', ')} sessions, ${options.runs} run(s) per row`);
  say(`  code ${source}; Postfix ${postfixSkipped ? `not measured: ${postfixSkipped}` : (postfixVersion ?? 'unknown version')}`);
  say(`  ${machine.cpuModel} x${machine.cpuCount}, ${machine.ramGiB} GiB, Node ${machine.node}; create file ${machine.createMs.toFixed(3)} ms, 4 KB + fsync ${machine.fsyncMs.toFixed(2)} ms; ${machine.disk}`);

  const rows: LoadRow[] = [];
  const recoveryLoad = { sizeBytes: options.sizes[0]!, sessions: Math.max(...options.sessions) };
  let recoveryPostfix: PostfixRunResult[] | null = null;
  for (const sizeBytes of options.sizes) {
    for (const sessions of options.sessions) {
      const settings = { messages: options.messages, sessions, sizeBytes, reuseSessions: options.reuseSessions, profileDir: options.profileDir };
      const row: LoadRow = { sizeBytes, sessions, spool: [], postfix: null };
      const wanted = options.phases.includes('intake') || (options.phases.includes('recovery') && sizeBytes === recoveryLoad.sizeBytes && sessions === recoveryLoad.sessions);
      if (!wanted) continue;
      for (let index = 0; index < options.runs; index += 1) {
        if (options.phases.includes('intake')) {
          const result = await runOnce(tools, settings, note);
          row.spool.push(result);
          say(`${loadLabel(row)}, run ${index + 1}/${options.runs}: MX Spool intake ${rate(result.intakeMsgPerSec)}, drain ${rate(result.drainMsgPerSec)}${cpuNote(result)}`);
        }
        if (programs && !postfixSkipped) {
          const result = await runPostfixOnce(tools, programs, settings);
          (row.postfix ??= []).push(result);
          say(`${loadLabel(row)}, run ${index + 1}/${options.runs}: Postfix intake ${rate(result.intakeMsgPerSec)}, drain ${rate(result.drainMsgPerSec)}; next retry scheduled in ${result.scheduledFirstRetrySeconds.toFixed(0)} s`);
        }
      }
      if (row.spool.length > 0) rows.push(row);
      if (sizeBytes === recoveryLoad.sizeBytes && sessions === recoveryLoad.sessions) recoveryPostfix = row.postfix;
    }
  }
  for (const row of rows) {
    if (!row.postfix) continue;
    const ours = spread(row.spool.map((result) => result.intakeMsgPerSec)).median;
    const theirs = spread(row.postfix.map((result) => result.intakeMsgPerSec)).median;
    const oursDrain = spread(row.spool.map((result) => result.drainMsgPerSec)).median;
    const theirsDrain = spread(row.postfix.map((result) => result.drainMsgPerSec)).median;
    say(`  ${loadLabel(row)}: intake ${fmt(ours / theirs, 2)}× Postfix, drain ${fmt(oursDrain / theirsDrain, 2)}× Postfix (medians)`);
  }

  // A reboot of the backup MX's machine during the outage: the drain then starts from the spool as loaded at
  // start-up. One row, the largest messages (the bodies' checksums are checked before their first delivery).
  let restart: LoadRow | null = null;
  if (options.phases.includes('restart')) {
    const load = { sizeBytes: Math.max(...options.sizes), sessions: Math.min(...options.sessions) };
    const settings = { messages: options.messages, ...load, reuseSessions: options.reuseSessions, profileDir: options.profileDir, restartBeforeDrain: true };
    restart = { ...load, spool: [], postfix: null };
    for (let index = 0; index < options.runs; index += 1) {
      const result = await runOnce(tools, settings, note);
      restart.spool.push(result);
      say(`${loadLabel(restart)}, restart run ${index + 1}/${options.runs}: MX Spool restarted in ${result.restartSeconds?.toFixed(2)} s, then drained ${rate(result.drainMsgPerSec)}${cpuNote(result)}`);
      if (programs && !postfixSkipped) {
        const theirs = await runPostfixOnce(tools, programs, settings);
        (restart.postfix ??= []).push(theirs);
        say(`${loadLabel(restart)}, restart run ${index + 1}/${options.runs}: Postfix restarted in ${theirs.restartSeconds?.toFixed(2)} s, then drained ${rate(theirs.drainMsgPerSec)}`);
      }
    }
    if (restart.postfix) {
      const ours = spread(restart.spool.map((result) => result.drainMsgPerSec)).median;
      const theirs = spread(restart.postfix.map((result) => result.drainMsgPerSec)).median;
      say(`  ${loadLabel(restart)}, after a restart: drain ${fmt(ours / theirs, 2)}× Postfix (medians)`);
    }
  }

  let recovery: RecoveryReport | null = null;
  if (options.phases.includes('recovery')) {
    const results: RecoveryResult[] = [];
    const settings = { messages: options.messages, ...recoveryLoad, reuseSessions: options.reuseSessions, profileDir: null };
    for (let index = 0; index < options.runs; index += 1) {
      const result = await runRecoveryOnce(tools, settings, options.probeIntervalMinutes);
      results.push(result);
      say(`recovery run ${index + 1}/${options.runs}: first delivery ${result.firstDeliverySeconds.toFixed(1)} s, last ${result.lastDeliverySeconds.toFixed(1)} s after the server came back (probe every ${result.probeIntervalMinutes} min)`);
    }
    recovery = { messages: options.messages, ...recoveryLoad, spool: results, postfix: recoveryPostfix };
  }

  let scale: ScaleResult[] | null = null;
  if (options.phases.includes('scale')) {
    scale = [];
    for (let index = 0; index < options.runs; index += 1) {
      const result = await runScale({ queued: options.scaleQueued, attempts: options.scaleAttempts, days: options.scaleDays, profileDir: options.profileDir }, note);
      scale.push(result);
      const ms = result.latencyMs;
      say(
        `scale run ${index + 1}/${options.runs}: start-up ${result.startupSeconds.toFixed(2)} s (after a crash ${result.crashStartupSeconds.toFixed(2)} s, first ${result.firstStartupSeconds.toFixed(2)} s, empty ${result.emptyStartupSeconds.toFixed(2)} s), RSS ${fmt(result.rssMb ?? Number.NaN, 0)} MB; ` +
          `queue.list ${ms.queueFirstPage.toFixed(1)} / filtered ${ms.queueFilteredPage.toFixed(1)} ms, stats.summary ${ms.statsSummary.toFixed(1)} ms, ` +
          `queue.get ${ms.queueGetOldest.toFixed(1)} ms, stats.queueAges ${ms.statsQueueAges.toFixed(1)} / outcomesByHour ${ms.statsOutcomesByHour.toFixed(1)} / topDeferrals ${ms.statsTopDeferrals.toFixed(1)} / queueSeries ${ms.statsQueueSeries.toFixed(1)} ms, ` +
          `report 1 day ${ms.reportOneDay.toFixed(0)} ms, 30 days ${ms.reportThirtyDays.toFixed(0)} ms (first, indexing: ${result.firstReportMs.toFixed(0)} ms)`,
      );
    }
  }

  say(`all mail accepted durably and delivered; none lost.`);
  if (options.writeDocs) {
    const report: BenchReport = {
      date: new Date().toISOString(),
      source,
      machine,
      messages: options.messages,
      runs: options.runs,
      reuseSessions: options.reuseSessions,
      destinationConnections: DESTINATION_CONNECTIONS,
      postfixSkipped,
      postfixVersion,
      rows,
      restart,
      recovery,
      scale,
    };
    const file = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
    await updateBenchmarksDoc(file, renderResults(report));
    say(`results written to ${path.relative(process.cwd(), file) || file}`);
  }
  if (options.profileDir !== null) say(`engine CPU profiles in ${options.profileDir} (open in Chrome DevTools, Performance tab)`);
  return 0;
}

function rate(value: number): string {
  return `${Math.round(value)} msg/s`;
}

function cpuNote(result: RunResult): string {
  const other = Math.max(result.intakeCpu?.otherCores ?? 0, result.drainCpu?.otherCores ?? 0);
  return other > 0.25 ? ` (other processes busy: ${other.toFixed(2)} cores; pessimistic)` : '';
}

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the engine, Postfix, smtp-source and smtp-sink, removing temp folders\n`);
    runAbortActions();
    process.exit(status);
  });
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`BENCHMARK FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    runAbortActions();
    process.exit(1);
  },
);
