import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `tsx test/bench/summarize-profile.ts FILE.cpuprofile [--top N] [--from S --to S]`: the functions where a V8
 * CPU profile (from `npm run bench -- --profile DIR`) spent its time, by self time and by total time,
 * without opening DevTools. --timeline shows how busy each second was, to find the phases; --from/--to
 * (seconds since the profile started) then cut out one phase; --categories sums self time by kind of work.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds between samples. */
  timeDeltas: number[];
}

export interface FunctionTime {
  name: string;
  selfMs: number;
  totalMs: number;
}

/** Share of each second the thread was busy (not idle): shows where intake ends and the drain starts. */
export function busyTimeline(profile: CpuProfile): number[] {
  const idleIds = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  const busyMsBySecond: number[] = [];
  let atUs = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    atUs += profile.timeDeltas[index] ?? 0;
    const second = Math.floor(atUs / 1e6);
    while (busyMsBySecond.length <= second) busyMsBySecond.push(0);
    if (!idleIds.has(profile.samples[index]!)) busyMsBySecond[second]! += (profile.timeDeltas[index + 1] ?? 0) / 1000;
  }
  return busyMsBySecond.map((ms) => Math.min(1, ms / 1000));
}

/** Self and total time per function (file:line name), over the samples in [fromMs, toMs) of the profile. */
export function functionTimes(profile: CpuProfile, fromMs = 0, toMs = Number.POSITIVE_INFINITY): { times: FunctionTime[]; sampledMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  let atUs = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    const deltaUs = profile.timeDeltas[index] ?? 0;
    atUs += deltaUs;
    if (atUs / 1000 < fromMs || atUs / 1000 >= toMs) continue;
    const id = profile.samples[index]!;
    // A sample's weight is the gap to the next sample: the time this stack was on the CPU.
    const weightUs = profile.timeDeltas[index + 1] ?? deltaUs;
    selfUs.set(id, (selfUs.get(id) ?? 0) + weightUs);
  }
  const times = new Map<string, FunctionTime>();
  let sampledUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    sampledUs += us;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') idleUs += us;
    const seen = new Set<string>();
    for (let current: number | undefined = id, depth = 0; current !== undefined; current = parent.get(current), depth += 1) {
      const name = label(byId.get(current)!);
      const entry = times.get(name) ?? { name, selfMs: 0, totalMs: 0 };
      if (depth === 0) entry.selfMs += us / 1000;
      // Recursion would count a function twice per sample.
      if (!seen.has(name)) entry.totalMs += us / 1000;
      seen.add(name);
      times.set(name, entry);
    }
  }
  return { times: [...times.values()], sampledMs: sampledUs / 1000, idleMs: idleUs / 1000 };
}

/**
 * Self time by kind of work, to see at a glance whether the main thread is busy with our code, the SMTP
 * library, handing file operations to the thread pool, or socket writes.
 */
export function timeByCategory(profile: CpuProfile, fromMs = 0, toMs = Number.POSITIVE_INFINITY): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inFileSystemCall = (id: number): boolean => {
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      if (/internal\/fs\/|^node:fs$/.test(byId.get(current)!.callFrame.url)) return true;
    }
    return false;
  };
  const categoryOf = (id: number): string => {
    const { functionName, url } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(garbage collector)') return 'garbage collector';
    if (functionName === '(program)') return 'V8 and native code outside JS';
    if (inFileSystemCall(id)) return 'file system calls (handing work to the thread pool)';
    if (['writeUtf8String', 'writeLatin1String', 'writev', 'writeBuffer'].includes(functionName)) return 'socket writes';
    if (url.includes('node_modules/')) return `library: ${url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/')[0]}`;
    if (url.includes('/electron/')) return `ours: electron/${url.split('/electron/')[1]?.split('/')[0] ?? ''}`;
    return 'node core (net, streams, events, promises)';
  };
  const totals = new Map<string, number>();
  let atUs = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    atUs += profile.timeDeltas[index] ?? 0;
    if (atUs / 1000 < fromMs || atUs / 1000 >= toMs) continue;
    const category = categoryOf(profile.samples[index]!);
    totals.set(category, (totals.get(category) ?? 0) + (profile.timeDeltas[index + 1] ?? 0) / 1000);
  }
  return totals;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : ` ${shortUrl(url)}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${file}`;
}

function shortUrl(url: string): string {
  const clean = url.replace(/^file:\/\//, '').replace(/\?.*$/, '');
  const nodeModules = clean.lastIndexOf('node_modules/');
  if (nodeModules !== -1) return clean.slice(nodeModules + 'node_modules/'.length);
  return path.relative(process.cwd(), clean);
}

async function main(argv: string[]): Promise<void> {
  const file = argv.find((arg) => !arg.startsWith('--') && !/^\d/.test(arg));
  const option = (name: string) => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : Number(argv[index + 1]);
  };
  if (!file) {
    process.stderr.write('Usage: tsx test/bench/summarize-profile.ts FILE.cpuprofile [--top N] [--from S --to S] [--timeline | --categories]\n');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  if (argv.includes('--timeline')) {
    const lines = busyTimeline(profile).map((share, second) => `${String(second).padStart(4)} s ${'#'.repeat(Math.round(share * 50)).padEnd(50)} ${(share * 100).toFixed(0)}% busy`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  const top = option('--top') ?? 25;
  const { times, sampledMs, idleMs } = functionTimes(profile, (option('--from') ?? 0) * 1000, (option('--to') ?? Number.POSITIVE_INFINITY) * 1000);
  const durationS = (profile.endTime - profile.startTime) / 1e6;
  if (argv.includes('--categories')) {
    const totals = timeByCategory(profile, (option('--from') ?? 0) * 1000, (option('--to') ?? Number.POSITIVE_INFINITY) * 1000);
    const sumMs = [...totals.values()].reduce((a, b) => a + b, 0);
    const lines = [...totals].sort((a, b) => b[1] - a[1]).map(([name, ms]) => `  ${((ms / sumMs) * 100).toFixed(1).padStart(5)}% ${ms.toFixed(0).padStart(7)} ms  ${name}`);
    process.stdout.write(`${file}: self time by kind of work\n${lines.join('\n')}\n`);
    return;
  }
  const pct = (ms: number) => `${((ms / sampledMs) * 100).toFixed(1).padStart(5)}%`;
  const out: string[] = [`${file}: ${durationS.toFixed(1)} s profiled, ${(sampledMs / 1000).toFixed(1)} s in range, ${pct(idleMs)} idle`, '', 'self time:'];
  for (const entry of [...times].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) out.push(`  ${pct(entry.selfMs)} ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}`);
  out.push('', 'total time (self + callees):');
  for (const entry of [...times].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) out.push(`  ${pct(entry.totalMs)} ${entry.totalMs.toFixed(0).padStart(7)} ms  ${entry.name}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  void main(process.argv.slice(2));
}
