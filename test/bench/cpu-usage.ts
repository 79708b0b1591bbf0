import { readFile } from 'node:fs/promises';

/**
 * CPU time from Linux's /proc, to tell "the engine is slow" from "the machine is full": the engine's own
 * CPU time per message, and how busy all cores were during a phase. Elsewhere every reading is null.
 */
export interface CpuReading {
  /** user + system time of the process, all threads, in ms. */
  processMs: number;
  /** Busy and total time of all cores since boot, in clock ticks. */
  machineBusyTicks: number;
  machineTotalTicks: number;
  machineStealTicks: number;
}

export interface CpuUsage {
  /** Engine CPU time (all threads) per message, in ms. */
  engineMsPerMessage: number;
  /** Share of all cores' time that was busy (user, system, irq, steal...), 0-1. */
  machineBusyShare: number;
  /** Share of all cores' time the hypervisor gave to someone else, 0-1. */
  machineStealShare: number;
}

// USER_HZ: 100 on every mainstream Linux build; /proc reports process times in these ticks.
const TICKS_PER_SECOND = 100;

export async function readCpu(pid: number): Promise<CpuReading | null> {
  try {
    const [processStat, machineStat] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile('/proc/stat', 'utf8')]);
    // Fields after the parenthesised command name (which may contain spaces): utime is field 14, stime 15.
    const fields = processStat.slice(processStat.lastIndexOf(')') + 2).split(' ');
    const processTicks = Number(fields[11]) + Number(fields[12]);
    const cpu = machineStat.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
    const busy = user + nice + system + irq + softirq + steal;
    return {
      processMs: (processTicks * 1000) / TICKS_PER_SECOND,
      machineBusyTicks: busy,
      machineTotalTicks: busy + idle + iowait,
      machineStealTicks: steal,
    };
  } catch {
    return null;
  }
}

export function cpuBetween(before: CpuReading | null, after: CpuReading | null, messages: number): CpuUsage | null {
  if (!before || !after) return null;
  const total = after.machineTotalTicks - before.machineTotalTicks;
  if (total <= 0) return null;
  return {
    engineMsPerMessage: (after.processMs - before.processMs) / messages,
    machineBusyShare: (after.machineBusyTicks - before.machineBusyTicks) / total,
    machineStealShare: (after.machineStealTicks - before.machineStealTicks) / total,
  };
}
