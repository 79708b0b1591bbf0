import path from 'node:path';
import { runAbortActions } from './abort-cleanup.js';
import { BenchUsageError, benchUsage, parseBenchArgs, type BenchOptions } from './bench-options.js';
import { DESTINATION_CONNECTIONS, runOnce, type RunResult } from './bench-run.js';
import { renderResults, summariseRuns, TARGET_MSG_PER_SEC, updateBenchmarksDoc, type BenchReport } from './benchmarks-doc.js';
import { REPO_ROOT } from './engine-process.js';
import { describeMachine } from './machine-info.js';
import { findPostfixTools, missingToolsMessage } from './postfix-tools.js';
import { describeSource } from './source-version.js';

/**
 * `npm run bench [-- --quick | --messages N --sessions N --size BYTES --runs N]`: intake and drain of the
 * headless service against Postfix's smtp-source and smtp-sink on 127.0.0.1. Exit status: 0 every message
 * was accepted and delivered, 1 something was lost, refused or undelivered (or a tool failed), 2 bad
 * command line, 69 smtp-source/smtp-sink missing. No exit status depends on speed: CI machines vary.
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

  const machine = await describeMachine();
  const source = await describeSource(REPO_ROOT);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`MX Spool benchmark${options.quick ? ' (quick)' : ''}: ${options.messages} messages of ${options.sizeBytes} bytes, ${options.sessions} sessions, ${options.runs} run(s)`);
  say(`  code ${source}`);
  say(`  ${machine.cpuModel} x${machine.cpuCount}, ${machine.ramGiB} GiB, Node ${machine.node}; create file ${machine.createMs.toFixed(3)} ms, 4 KB + fsync ${machine.fsyncMs.toFixed(2)} ms; ${machine.disk}`);

  const runs: RunResult[] = [];
  for (let index = 0; index < options.runs; index += 1) {
    const run = await runOnce(tools, options, (line) => process.stderr.write(`${line}\n`));
    runs.push(run);
    say(
      `run ${index + 1}/${options.runs}: intake ${run.intakeSeconds.toFixed(2)} s = ${Math.round(run.intakeMsgPerSec)} msg/s ` +
        `(queue settled ${run.deferralsSettledSeconds.toFixed(2)} s later); drain ${run.drainSeconds.toFixed(2)} s = ` +
        `${Math.round(run.drainMsgPerSec)} msg/s; first delivery after ${run.firstDeliverySeconds.toFixed(3)} s`,
    );
    for (const [label, peer, cpu] of [['intake', 'smtp-source', run.intakeCpu], ['drain', 'smtp-sink', run.drainCpu]] as const) {
      if (!cpu) continue;
      say(
        `  ${label}: engine ${cpu.engineMsPerMessage.toFixed(2)} ms CPU/message (${cpu.engineCores.toFixed(2)} cores), ${peer} ${cpu.peerCores.toFixed(2)} cores, ` +
          `everything else ${cpu.otherCores.toFixed(2)} cores, hypervisor steal ${Math.round(cpu.stealShare * 100)}%`,
      );
      if (cpu.otherCores > 0.25) say(`  warning: other processes were busy during the ${label} (${cpu.otherCores.toFixed(2)} cores): its figure is pessimistic`);
    }
  }

  const summary = summariseRuns(runs);
  const line = (label: string, value: { median: number; min: number; max: number }, digits: number) =>
    `  ${label.padEnd(26)} median ${value.median.toFixed(digits)}  min ${value.min.toFixed(digits)}  max ${value.max.toFixed(digits)}`;
  say(`all ${options.messages * options.runs} messages accepted durably and delivered; none lost.`);
  say(line('intake msg/s', summary.intakeMsgPerSec, 0));
  say(line('drain msg/s', summary.drainMsgPerSec, 0));
  say(line('first delivery s', summary.firstDeliverySeconds, 3));
  if (!options.quick) {
    for (const [label, value] of [['intake', summary.intakeMsgPerSec.median], ['drain', summary.drainMsgPerSec.median]] as const) {
      if (value < TARGET_MSG_PER_SEC) say(`  note: ${label} is below the ${TARGET_MSG_PER_SEC} msg/s target (see docs/benchmarks.md for profiling)`);
    }
  }

  if (options.writeDocs) {
    const report: BenchReport = {
      date: new Date().toISOString(),
      source,
      machine,
      messages: options.messages,
      sessions: options.sessions,
      sizeBytes: options.sizeBytes,
      reuseSessions: options.reuseSessions,
      destinationConnections: DESTINATION_CONNECTIONS,
      runs,
    };
    const file = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
    await updateBenchmarksDoc(file, renderResults(report));
    say(`results written to ${path.relative(process.cwd(), file) || file}`);
  }
  if (options.profileDir !== null) say(`engine CPU profiles in ${options.profileDir} (open in Chrome DevTools, Performance tab)`);
  return 0;
}

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the engine, smtp-source and smtp-sink, removing temp folders\n`);
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
