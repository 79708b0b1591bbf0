import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { invokeApi } from '../../electron/contract/api-handlers.js';
import type { ApiInput, ApiMethod, ApiOutput } from '../../electron/contract/api-contract.js';
import { Engine, type EngineOptions } from '../../electron/engine/engine.js';
import { createMemoryLogger } from '../../electron/engine/runtime/logger.js';
import { onCleanup } from './cleanup.js';
import { FakeClock } from './fake-clock.js';

export interface Harness {
  engine: Engine;
  clock: FakeClock;
  dataDir: string;
  smtpPort: number;
  logger: ReturnType<typeof createMemoryLogger>;
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  restart(): Promise<Harness>;
  /** Stops the engine now (graceful, with this grace for deliveries in flight); later stops are no-ops. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A real engine in a temp folder, SMTP on 127.0.0.1 with a free port, and a fake clock for schedules.
 * Calls go through invokeApi, the same path the HTTP and IPC hosts use.
 */
export async function startEngine(
  t: TestContext,
  options: Partial<EngineOptions> & { dataDir?: string; clock?: FakeClock; ownsDir?: boolean } = {},
): Promise<Harness> {
  let ownDir = options.ownsDir ?? options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'mx-spool-')));
  const clock = options.clock ?? new FakeClock(Date.now());
  const logger = createMemoryLogger();
  const { ownsDir: _ownsDir, ...engineOptions } = options;
  const engine = await Engine.open({ smtpHost: '127.0.0.1', smtpPort: 0, random: () => 0.5, ...engineOptions, dataDir, clock, logger });
  await engine.start();
  await engine.whenRunning(); // the first passes (delivery, sampling, alerts) ran: the fake clock drives them from here
  let stopped = false;
  const stop = async (graceMs?: number) => {
    if (stopped) return;
    stopped = true;
    await engine.stop(graceMs);
  };
  // Stopped before anything registered earlier (a temp folder given as dataDir) is cleaned up.
  onCleanup(t, async () => {
    await stop();
    if (ownDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  });
  const harness: Harness = {
    engine,
    clock,
    dataDir,
    smtpPort: engine.listenerStatus().port ?? 0,
    logger,
    async call(method, input) {
      const result = await invokeApi(engine.handlers, method, input, logger);
      if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code} ${result.error.message}`), { error: result.error });
      return result.value as never;
    },
    stop,
    async restart() {
      await stop();
      const owns = ownDir;
      ownDir = false; // the restarted engine removes the folder when it stops
      return startEngine(t, { ...options, dataDir, clock, ownsDir: owns });
    },
  };
  return harness;
}
