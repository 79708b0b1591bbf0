import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * CPU time from Linux's /proc, to tell "the engine is slow" from "the machine is full": the engine's CPU
 * per message, what the SMTP peer (smtp-source or smtp-sink) took, and what processes outside the
 * benchmark took meanwhile (a shared machine makes every figure pessimistic). Elsewhere readings are null.
 */
export interface CpuSnapshot {
  atMs: number;
  /** user + system time, all threads, in ms. */
  engineMs: number;
  /** The peer's CPU time in ms: a live pid, or (peer: 'reaped') our children that have exited. */
  peerMs: number;
  /** This benchmark process. */
  selfMs: number;
  /** All cores since boot, in clock ticks: busy excludes idle, iowait and steal. */
  machineBusyTicks: number;
  machineStealTicks: number;
  machineTotalTicks: number;
}

export interface CpuUsage {
  /** Engine CPU time (all threads) per message, in ms. */
  engineMsPerMessage: number;
  /** Average number of cores each kept busy during the phase. */
  engineCores: number;
  peerCores: number;
  /** Everything else on the machine: other processes, kernel threads, interrupts. */
  otherCores: number;
  /** Share of all cores' time the hypervisor gave to other guests, 0-1. */
  stealShare: number;
}

// USER_HZ: 100 on every mainstream Linux build; /proc reports CPU times in these ticks.
const TICK_MS = 10;

/** `peer` is smtp-sink's pid while it runs, or 'reaped' for smtp-source, whose time joins ours once it has exited. */
export async function snapshotCpu(enginePid: number, peer: number | 'reaped'): Promise<CpuSnapshot | null> {
  try {
    const [engine, self, peerStat, machine] = await Promise.all([
      readFile(`/proc/${enginePid}/stat`, 'utf8'),
      readFile('/proc/self/stat', 'utf8'),
      peer === 'reaped' ? Promise.resolve(null) : readFile(`/proc/${peer}/stat`, 'utf8'),
      readFile('/proc/stat', 'utf8'),
    ]);
    const selfFields = statFields(self);
    const cpu = machine.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
    const busy = user + nice + system + irq + softirq;
    return {
      atMs: performance.now(),
      engineMs: processMs(statFields(engine)),
      // cutime + cstime: children we have waited for (fields 16 and 17).
      peerMs: peerStat === null ? (Number(selfFields[13]) + Number(selfFields[14])) * TICK_MS : processMs(statFields(peerStat)),
      selfMs: processMs(selfFields),
      machineBusyTicks: busy,
      machineStealTicks: steal,
      machineTotalTicks: busy + idle + iowait + steal,
    };
  } catch {
    return null;
  }
}

export function cpuBetween(before: CpuSnapshot | null, after: CpuSnapshot | null, messages: number): CpuUsage | null {
  if (!before || !after) return null;
  const wallMs = after.atMs - before.atMs;
  const totalTicks = after.machineTotalTicks - before.machineTotalTicks;
  if (wallMs <= 0 || totalTicks <= 0) return null;
  const cores = os.cpus().length;
  const engineMs = after.engineMs - before.engineMs;
  const peerMs = after.peerMs - before.peerMs;
  const selfMs = after.selfMs - before.selfMs;
  const busyCores = ((after.machineBusyTicks - before.machineBusyTicks) / totalTicks) * cores;
  return {
    engineMsPerMessage: engineMs / messages,
    engineCores: engineMs / wallMs,
    peerCores: peerMs / wallMs,
    otherCores: Math.max(0, busyCores - (engineMs + peerMs + selfMs) / wallMs),
    stealShare: (after.machineStealTicks - before.machineStealTicks) / totalTicks,
  };
}

/** Fields after the parenthesised command name (which may hold spaces): index 0 is field 3 of proc(5). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function processMs(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime: fields 14 and 15
}
