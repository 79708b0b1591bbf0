import { performance } from 'node:perf_hooks';
import { BENCH_DOMAIN, type RunSettings } from './bench-run.js';
import { freePort } from './free-port.js';
import { startPostfixInstance, type PostfixInstance, type PostfixPrograms } from './postfix-instance.js';
import type { PostfixTools } from './postfix-tools.js';
import { startSmtpSink, type SmtpSinkProcess } from './smtp-sink-process.js';
import { sendLoad } from './smtp-source-run.js';
import { waitUntil } from './wait-until.js';

const HOST = '127.0.0.1';

/** The same figures as MX Spool's run, for the private Postfix instance. */
export interface PostfixRunResult {
  intakeSeconds: number;
  intakeMsgPerSec: number;
  /** `postqueue -f` until Postfix's queue is empty and smtp-sink has counted every message. */
  drainSeconds: number;
  drainMsgPerSec: number;
  /** With `restartBeforeDrain`: `postfix stop` until smtpd listened again after `postfix start`; else null. */
  restartSeconds: number | null;
  /** `postqueue -f` until smtp-sink counted the first message. */
  firstDeliverySeconds: number;
  /**
   * Recovery by Postfix's own schedule, from the moment the destination came back (right after intake):
   * when qmgr will first try the deferred mail again (its queue files' modification times). A lower bound:
   * qmgr only looks at the deferred queue every queue_run_delay (300 s) and takes the backlog from there.
   */
  scheduledFirstRetrySeconds: number;
  scheduledLastRetrySeconds: number;
}

/**
 * One Postfix run in a fresh instance: the same smtp-source load while the office server is down (every
 * message deferred), then smtp-sink comes up and `postqueue -f` delivers the backlog, as an admin would
 * after an outage. Throws if Postfix refused a message or smtp-sink did not count every one.
 */
export async function runPostfixOnce(tools: PostfixTools, programs: PostfixPrograms, settings: RunSettings): Promise<PostfixRunResult> {
  const timeoutMs = 60_000 + settings.messages * 20;
  const [smtpPort, destinationPort] = [await freePort(), await freePort()];
  let instance: PostfixInstance | null = null;
  let sink: SmtpSinkProcess | null = null;
  try {
    instance = await startPostfixInstance(programs, { smtpPort, domain: BENCH_DOMAIN, destinationPort });
    const intakeMs = await sendLoad(tools.smtpSource, { port: smtpPort, domain: BENCH_DOMAIN }, settings, timeoutMs);
    const queued = await instance.queued();
    if (queued !== settings.messages) throw new Error(`Postfix holds ${queued} messages after intake, expected ${settings.messages}`);
    // Wait until qmgr has tried (and deferred) every message, so each has its next attempt time.
    const live = instance;
    await waitUntil(async () => (await live.nextAttemptTimes()).length === settings.messages, timeoutMs, 'Postfix deferring every message', undefined, 250);
    const times = await instance.nextAttemptTimes();
    const back = Date.now();
    let restartSeconds: number | null = null;
    if (settings.restartBeforeDrain) {
      const restartStart = performance.now();
      await instance.restart();
      restartSeconds = (performance.now() - restartStart) / 1000;
      const afterRestart = await instance.queued();
      if (afterRestart !== settings.messages) throw new Error(`Postfix holds ${afterRestart} messages after its restart, expected ${settings.messages}`);
    }

    sink = await startSmtpSink(tools.smtpSink, HOST, destinationPort);
    const drainStart = performance.now();
    await instance.flush();
    let firstMs: number | null = null;
    const sinkRef = sink;
    await waitUntil(
      async () => {
        if (firstMs === null && sinkRef.messages > 0) firstMs = performance.now();
        return sinkRef.messages >= settings.messages && (await live.queued()) === 0;
      },
      timeoutMs,
      `Postfix delivering ${settings.messages} messages`,
    );
    const drainMs = performance.now() - drainStart;
    if (sink.messages !== settings.messages) throw new Error(`smtp-sink counted ${sink.messages} messages from Postfix, expected ${settings.messages}`);
    return {
      intakeSeconds: intakeMs / 1000,
      intakeMsgPerSec: settings.messages / (intakeMs / 1000),
      drainSeconds: drainMs / 1000,
      drainMsgPerSec: settings.messages / (drainMs / 1000),
      restartSeconds,
      firstDeliverySeconds: ((firstMs ?? Number.NaN) - drainStart) / 1000,
      scheduledFirstRetrySeconds: Math.max(0, (Math.min(...times) - back) / 1000),
      scheduledLastRetrySeconds: Math.max(0, (Math.max(...times) - back) / 1000),
    };
  } finally {
    await sink?.stop();
    await instance?.stop();
  }
}
