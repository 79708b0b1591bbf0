import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { onAbort } from './abort-cleanup.js';
import { BENCH_DOMAIN, type RunSettings } from './bench-run.js';
import { startEngineProcess, type EngineProcess } from './engine-process.js';
import { freePort } from './free-port.js';
import type { PostfixTools } from './postfix-tools.js';
import { startSmtpSink, type SmtpSinkProcess } from './smtp-sink-process.js';
import { sendLoad } from './smtp-source-run.js';
import { waitUntil } from './wait-until.js';

const HOST = '127.0.0.1';

export interface RecoveryResult {
  /** From smtp-sink listening on the office server's port to the first message it counted. */
  firstDeliverySeconds: number;
  /** From the same moment to the queue being empty and smtp-sink having counted every message. */
  lastDeliverySeconds: number;
  /** retry.probeIntervalMinutes in force (default 2): the promise is a first delivery within one interval. */
  probeIntervalMinutes: number;
}

/**
 * Recovery with MX Spool's defaults and no admin action: mail arrives while the office server is down,
 * then the server comes back. The clock starts when smtp-sink listens on the server's port; the engine has
 * to notice by itself (fast-recovery probes every retry.probeIntervalMinutes) and deliver the backlog.
 * Only the listener's per-IP session limit is raised, as for intake, so smtp-source can deliver the load.
 */
export async function runRecoveryOnce(tools: PostfixTools, settings: RunSettings, probeIntervalMinutes: number | null): Promise<RecoveryResult> {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'mx-spool-bench-recovery-'));
  const forget = onAbort(() => rmSync(runDir, { recursive: true, force: true }));
  const timeoutMs = 10 * 60_000 + settings.messages * 20;
  let engine: EngineProcess | null = null;
  let sink: SmtpSinkProcess | null = null;
  try {
    const [smtpPort, destinationPort] = [await freePort(), await freePort()];
    engine = await startEngineProcess({ dataDir: path.join(runDir, 'data'), smtpPort, logFile: path.join(runDir, 'engine.log'), profileDir: null, compiled: true });
    await engine.call('settings.update', {
      listener: { maxConnectionsPerIp: Math.min(1000, Math.max(60, settings.sessions + 20)), maxConnections: Math.max(200, settings.sessions + 50) },
      ...(probeIntervalMinutes === null ? {} : { retry: { probeIntervalMinutes } }),
    });
    await engine.call('domains.save', { name: BENCH_DOMAIN, destinations: [{ host: HOST, port: destinationPort, tls: 'none' }] });
    const interval = (await engine.call('settings.get', {})).retry.probeIntervalMinutes;
    await sendLoad(tools.smtpSource, { port: smtpPort, domain: BENCH_DOMAIN }, settings, timeoutMs);
    const live = engine;
    await waitUntil(async () => {
      const summary = await live.call('stats.summary', {});
      return summary.queued === settings.messages && summary.delivering === 0;
    }, timeoutMs, 'the backlog queued with no delivery in flight', undefined, 100);

    sink = await startSmtpSink(tools.smtpSink, HOST, destinationPort);
    const back = performance.now();
    let firstMs: number | null = null;
    const sinkRef = sink;
    await waitUntil(
      async () => {
        if (firstMs === null && sinkRef.messages > 0) firstMs = performance.now();
        return sinkRef.messages >= settings.messages && (await live.call('stats.summary', {})).queued === 0;
      },
      timeoutMs,
      `${settings.messages} messages delivered after the office server came back`,
    );
    const lastMs = performance.now();
    await engine.stop();
    engine = null;
    return { firstDeliverySeconds: ((firstMs ?? Number.NaN) - back) / 1000, lastDeliverySeconds: (lastMs - back) / 1000, probeIntervalMinutes: interval };
  } finally {
    engine?.kill();
    await sink?.stop();
    await rm(runDir, { recursive: true, force: true });
    forget();
  }
}
