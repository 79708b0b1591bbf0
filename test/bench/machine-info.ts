import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './bench-stats.js';

export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  ramGiB: number;
  os: string;
  node: string;
  /** Where the spool lived: file system, device and mount point of os.tmpdir(), where known. */
  disk: string;
  /** Median time of write 4 KB + fsync + close on that disk, in ms: the floor under every durable 250. */
  fsyncMs: number;
  /** Median time to create (O_EXCL) and close an empty file there, in ms: the spool creates several per message. */
  createMs: number;
}

const PROBE_SAMPLES = 200;

export async function describeMachine(): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    disk: await describeDisk(os.tmpdir()),
    ...(await probeDisk(os.tmpdir())),
  };
}

/** Linux only (/proc/self/mounts); elsewhere the folder is named and the fsync probe has to speak for the disk. */
async function describeDisk(folder: string): Promise<string> {
  let mounts: string;
  try {
    mounts = await readFile('/proc/self/mounts', 'utf8');
  } catch {
    return `${folder} (file system unknown)`;
  }
  let best: { device: string; mountPoint: string; type: string } | null = null;
  for (const line of mounts.split('\n')) {
    const [device, mountPoint, type] = line.split(' ');
    if (!device || !mountPoint || !type) continue;
    const inside = folder === mountPoint || folder.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
    if (inside && (!best || mountPoint.length > best.mountPoint.length)) best = { device, mountPoint, type };
  }
  if (!best) return `${folder} (file system unknown)`;
  const rotational = await readFile(`/sys/block/${path.basename(best.device).replace(/p?\d+$/, '')}/queue/rotational`, 'utf8').catch(() => null);
  // Virtual disks often claim to be rotational; this is what the kernel was told, not a fact about the medium.
  const kind = rotational === null ? '' : `, kernel reports rotational=${rotational.trim()}`;
  return `${folder} on ${best.type} (${best.device} at ${best.mountPoint}${kind})`;
}

async function probeDisk(folder: string): Promise<{ fsyncMs: number; createMs: number }> {
  const dir = await mkdtemp(path.join(folder, 'mx-spool-disk-probe-'));
  const data = Buffer.alloc(4096, 0x61);
  const fsyncSamples: number[] = [];
  const createSamples: number[] = [];
  try {
    for (let index = 0; index < PROBE_SAMPLES; index += 1) {
      let startedMs = performance.now();
      await (await open(path.join(dir, `empty-${index}`), 'wx')).close();
      createSamples.push(performance.now() - startedMs);

      startedMs = performance.now();
      const handle = await open(path.join(dir, `synced-${index}`), 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      fsyncSamples.push(performance.now() - startedMs);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { fsyncMs: median(fsyncSamples), createMs: median(createSamples) };
}
