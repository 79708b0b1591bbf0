// `queue.list` at 100,000 queued messages: the former implementation (filter, sort every match with a key
// function per comparison, slice) against listQueue, in one process on the same data, page by page.
// Usage: npx tsx test/bench/queue-list-bench.ts [--entries 100000] [--runs 7] [--churn 200] [--clock cpu|wall] [--only <part of a case name>]
// Prints a Markdown table for docs/benchmarks.md ("queue.list at 100,000 entries"); writes no file. Exit
// status 1 if any answer differs from the reference, 2 for a bad command line; never for speed.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiContract, type ApiInput, type ApiOutput } from '../../electron/contract/api-contract.js';
import { QueueListIndex } from '../../electron/engine/api/queue-list-index.js';
import { listQueue } from '../../electron/engine/api/queue-query.js';
import type { QueueEntry } from '../../electron/engine/spool/queue-entry.js';
import { median } from './bench-stats.js';
import { describeSource } from './source-version.js';
import { referenceListQueue } from '../support/reference-list-queue.js';
import { seeded } from '../support/seeded-random.js';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const DOMAINS = ['example.com', 'example.org', 'branch.example', 'office.test', 'shop.example'];
const SUBJECTS = ['Invoice', 'RE: Meeting notes', 'Weekly report', 'Order confirmation', 'Your ticket', 'Newsletter'];

type Layout = 'restarted' | 'arrival' | 'scattered';

/**
 * A backlog as a long outage leaves it: arrivals over 3 days, ids as newQueueId makes them, 1–3 recipients,
 * most entries retried a few times, a tenth held; in a Map by id, as the spool index keeps them.
 * - restarted: the index in no order of any sort key (rebuilt at start in directory order, which on ext4
 *   is hash order), each entry's objects allocated together in iteration order, as loading does;
 * - arrival: iteration order is arrival order (the engine ran throughout), allocated in that order;
 * - scattered: as restarted, but allocated in an unrelated order, as after hours of updates (each update
 *   replaces the entry with a new object): the worst case for memory locality.
 */
function syntheticQueue(count: number, layout: Layout): Map<string, QueueEntry> {
  const random = seeded(2026);
  const start = NOW - 3 * 24 * 3_600_000;
  const order = Array.from({ length: count }, (_, index) => index);
  if (layout !== 'arrival') shuffle(order, random);
  const entries: QueueEntry[] = order.map((arrival) => {
    const createdMs = start + Math.floor((arrival / count) * 3 * 24 * 3_600_000);
    const domain = DOMAINS[Math.floor(random() * DOMAINS.length)]!;
    const held = random() < 0.1;
    const to = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, n) => `user${Math.floor(random() * 500) + n}@${domain}`);
    return {
      version: 1,
      id: createdMs.toString(36).padStart(9, '0') + Math.floor(random() * 2 ** 40).toString(16).padStart(10, '0'),
      domain,
      from: `Sender${Math.floor(random() * 5000)}@Example.net`,
      to,
      recipients: to.map((address) => ({ address, status: 'pending', code: null, response: null })),
      size: 1024 + Math.floor(random() * 200_000),
      state: held ? 'held' : random() < 0.01 ? 'delivering' : 'queued',
      createdAt: new Date(createdMs).toISOString(),
      attempts: held ? 0 : Math.floor(random() * 8),
      nextAttemptAt: held ? null : new Date(NOW + Math.floor(random() * 4 * 3_600_000)).toISOString(),
      lastAttemptAt: null,
      lastResponse: '421 4.7.0 Try again later',
      expiresAt: new Date(createdMs + 5 * 24 * 3_600_000).toISOString(),
      messageId: `<${arrival}@example.net>`,
      subject: random() < 0.1 ? null : `${SUBJECTS[Math.floor(random() * SUBJECTS.length)]!} ${Math.floor(random() * 100_000)}`,
      kind: 'inbound',
      clientAddress: '192.0.2.1',
      heloName: 'mail.example.net',
      warned: false,
    };
  });
  if (layout === 'scattered') {
    // Allocated in `entries` order above; insert into the Map in another order.
    shuffle(entries, random);
  }
  return new Map(entries.map((entry) => [entry.id, entry]));
}

function shuffle<T>(values: T[], random: () => number): void {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [values[index], values[other]] = [values[other]!, values[index]!];
  }
}

/**
 * What a busy spool does between two refreshes of the Queue screen: `changes` entries replaced by updated
 * copies (a delivery attempt), as many delivered (removed) and as many new ones appended.
 */
function churn(queue: Map<string, QueueEntry>, changes: number, random: () => number): void {
  const ids = [...queue.keys()];
  for (let change = 0; change < changes; change += 1) {
    const id = ids[Math.floor(random() * ids.length)]!;
    const entry = queue.get(id);
    if (entry) queue.set(id, { ...entry, attempts: entry.attempts + 1, nextAttemptAt: new Date(NOW + Math.floor(random() * 3_600_000)).toISOString() });
  }
  for (let change = 0; change < changes; change += 1) queue.delete(ids[Math.floor(random() * ids.length)]!);
  for (let change = 0; change < changes; change += 1) {
    const template = queue.values().next().value!;
    const createdMs = NOW + Math.floor(random() * 60_000);
    const id = createdMs.toString(36).padStart(9, '0') + Math.floor(random() * 2 ** 40).toString(16).padStart(10, '0');
    queue.set(id, { ...template, id, createdAt: new Date(createdMs).toISOString(), attempts: 0 });
  }
}

interface Case {
  name: string;
  input: ApiInput<'queue.list'>;
  layout?: Layout;
}

function cases(count: number): Case[] {
  return [
    { name: 'createdAt asc, first page (default)', input: {} },
    { name: 'createdAt desc, first page', input: { order: 'desc' } },
    { name: 'nextAttemptAt asc, first page', input: { sort: 'nextAttemptAt' } },
    { name: 'size desc, first page', input: { sort: 'size', order: 'desc' } },
    { name: 'attempts desc, first page', input: { sort: 'attempts', order: 'desc' } },
    { name: 'domain asc, first page', input: { sort: 'domain' } },
    { name: 'olderThanMinutes 600', input: { olderThanMinutes: 600 } },
    { name: 'domain + state filter, nextAttemptAt', input: { domain: 'example.org', state: 'queued', sort: 'nextAttemptAt' } },
    { name: 'search "invoice 4", createdAt desc', input: { search: 'invoice 4', order: 'desc' } },
    { name: 'createdAt asc, page 11', input: { offset: 1000, limit: 100 } },
    { name: 'createdAt asc, middle page', input: { offset: Math.floor(count / 2), limit: 100 } },
    { name: 'nextAttemptAt desc, middle, limit 1000', input: { sort: 'nextAttemptAt', order: 'desc', offset: Math.floor(count / 2), limit: 1000 } },
    { name: 'attempts asc, last page', input: { sort: 'attempts', offset: count - 100, limit: 100 } },
    { name: 'createdAt asc, first page; arrival order', input: {}, layout: 'arrival' },
    { name: 'createdAt desc, first page; arrival order', input: { order: 'desc' }, layout: 'arrival' },
    { name: 'createdAt desc, page 11; arrival order', input: { order: 'desc', offset: 1000 }, layout: 'arrival' },
    { name: 'nextAttemptAt asc, first page; arrival order', input: { sort: 'nextAttemptAt' }, layout: 'arrival' },
    { name: 'createdAt asc, first page; scattered', input: {}, layout: 'scattered' },
    { name: 'attempts desc, first page; scattered', input: { sort: 'attempts', order: 'desc' }, layout: 'scattered' },
    { name: 'search "invoice 4"; scattered', input: { search: 'invoice 4', order: 'desc' }, layout: 'scattered' },
  ];
}

type Clock = 'cpu' | 'wall';

/**
 * Median time of `runs` calls after one warm-up call, in ms; `between` runs untimed before each call.
 * cpu: this process's CPU time (user + system, all its threads: garbage collection included), which other
 * processes on a shared machine inflate far less than wall time; wall: elapsed time.
 */
function time(clock: Clock, runs: number, call: () => unknown, between: () => void = () => undefined): number {
  call();
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    between();
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    call();
    const cpu = process.cpuUsage(startedCpu);
    samples.push(clock === 'cpu' ? (cpu.user + cpu.system) / 1000 : performance.now() - started);
  }
  return median(samples);
}

const format = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (reference: number, ms: number): string => `${(reference / ms).toFixed(reference / ms >= 10 ? 0 : 1)}×`;

function sameAnswer(actual: ApiOutput<'queue.list'>, expected: ApiOutput<'queue.list'>): boolean {
  return actual.total === expected.total && actual.items.length === expected.items.length && actual.items.every((item, index) => item.id === expected.items[index]?.id);
}

async function main(): Promise<void> {
  let options;
  try {
    ({ values: options } = parseArgs({ options: { entries: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' }, churn: { type: 'string', default: '200' }, only: { type: 'string' }, clock: { type: 'string', default: 'cpu' } } }));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const count = Number(options.entries);
  const runs = Number(options.runs);
  const changes = Number(options.churn);
  const clock = options.clock;
  if (!Number.isInteger(count) || count < 1000 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(changes) || changes < 0 || (clock !== 'cpu' && clock !== 'wall')) {
    console.error('--entries must be an integer ≥ 1000, --runs ≥ 1, --churn ≥ 0, --clock cpu or wall');
    process.exit(2);
  }
  const queues = new Map<Layout, Map<string, QueueEntry>>();
  const queue = (layout: Layout): Map<string, QueueEntry> => {
    let built = queues.get(layout);
    if (!built) queues.set(layout, (built = syntheticQueue(count, layout)));
    return built;
  };
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const cpus = os.cpus();
  const load = os.loadavg()[0]!;
  console.log(`- Date: ${new Date().toISOString()}; code: ${await describeSource(repoRoot)}`);
  console.log(`- Machine: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} logical CPUs, ${os.type()} ${os.release()} ${os.arch()}; Node ${process.version}; load average ${load.toFixed(1)} at start`);
  console.log(`- ${count.toLocaleString('en-US')} entries; ${clock === 'cpu' ? 'CPU time of the process' : 'wall time'} per call, median of ${runs} calls after one warm-up; all on the same data in one process`);
  console.log('');
  console.log(`| request | matches | full sort (former), ms | listQueue, no index, ms | kept index, queue unchanged, ms | kept index, ${changes} changed + ${changes} removed + ${changes} new, ms |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  let mismatches = 0;
  for (const { name, input, layout } of cases(count).filter((one) => !options.only || one.name.includes(options.only))) {
    const entries = queue(layout ?? 'restarted');
    const parsed = apiContract['queue.list'].input.parse(input);
    const index = new QueueListIndex();
    const expected = referenceListQueue(entries.values(), parsed, NOW);
    if (!sameAnswer(listQueue(entries.values(), parsed, NOW), expected) || !sameAnswer(listQueue(entries.values(), parsed, NOW, index), expected)) {
      mismatches += 1;
      console.error(`DIFFERENT ANSWER for ${name}`);
    }
    const reference = time(clock, runs, () => referenceListQueue(entries.values(), parsed, NOW));
    const fresh = time(clock, runs, () => listQueue(entries.values(), parsed, NOW));
    const kept = time(clock, runs, () => listQueue(entries.values(), parsed, NOW, index));
    // On a copy: the churn must not change the data the next case measures.
    const busy = new Map(entries);
    const random = seeded(9);
    const changing = time(clock, runs, () => listQueue(busy.values(), parsed, NOW, index), () => churn(busy, changes, random));
    if (!sameAnswer(listQueue(busy.values(), parsed, NOW, index), referenceListQueue(busy.values(), parsed, NOW))) {
      mismatches += 1;
      console.error(`DIFFERENT ANSWER for ${name} after changes`);
    }
    console.log(
      `| ${name} | ${expected.total.toLocaleString('en-US')} | ${format(reference)} | ${format(fresh)} (${ratio(reference, fresh)}) | ${format(kept)} (${ratio(reference, kept)}) | ${format(changing)} (${ratio(reference, changing)}) |`,
    );
  }
  if (mismatches > 0) process.exit(1);
}

await main();
