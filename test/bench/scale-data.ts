import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { AttemptRecord } from '../../electron/contract/report-schema.js';
import type { QueueEntry } from '../../electron/engine/spool/queue-entry.js';
import { packedTrailer } from '../../electron/engine/spool/packed-entry.js';
import { newQueueId } from '../../electron/engine/spool/queue-id.js';
import { seeded } from '../support/seeded-random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SUBJECTS = ['Invoice', 'RE: Meeting notes', 'Weekly report', 'Order confirmation', 'Your ticket', 'Newsletter'];
const DEFERRAL = '421 4.7.0 Too many connections from 192.0.2.7, try again later';

/**
 * The spool an outage leaves behind, written straight into `<dataDir>/spool/queue` in the engine's own
 * format, without fsync: the benchmark measures loading it, not writing it. Mail for one domain, each
 * entry changed since it arrived: the message with its first state packed after it (`<id>.mxmsg`) and its
 * current state beside it (`<id>.json`). Arrivals spread over the last `spanHours`, 1–3 recipients, each retried a few times, next
 * attempt hours away (so the runner stays idle while the API is timed), a tenth held.
 */
export async function writeSyntheticSpool(dataDir: string, options: { count: number; domains: readonly string[]; nowMs: number; spanHours: number }): Promise<void> {
  const queueDir = path.join(dataDir, 'spool', 'queue');
  await mkdir(queueDir, { recursive: true, mode: 0o700 });
  const random = seeded(2026);
  const body = Buffer.from(`Received: from mail.example.net\r\nSubject: benchmark\r\n\r\n${'x'.repeat(900)}\r\n`);
  const start = options.nowMs - options.spanHours * HOUR_MS;
  const writes: Promise<void>[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const createdMs = start + Math.floor((index / options.count) * options.spanHours * HOUR_MS);
    const domain = options.domains[index % options.domains.length]!;
    const held = random() < 0.1;
    const to = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, n) => `user${Math.floor(random() * 500) + n}@${domain}`);
    const id = newQueueId(createdMs);
    const entry: QueueEntry & { version: 1; clientAddress: string; heloName: string; warned: boolean; packed: true } = {
      version: 1,
      id,
      domain,
      from: `sender${Math.floor(random() * 5000)}@example.net`,
      to,
      recipients: to.map((address) => ({ address, status: 'pending', code: null, response: null })),
      size: body.length,
      state: held ? 'held' : 'queued',
      createdAt: new Date(createdMs).toISOString(),
      attempts: held ? 0 : 1 + Math.floor(random() * 6),
      nextAttemptAt: held ? null : new Date(options.nowMs + 6 * HOUR_MS + Math.floor(random() * 6 * HOUR_MS)).toISOString(),
      lastAttemptAt: held ? null : new Date(options.nowMs - Math.floor(random() * HOUR_MS)).toISOString(),
      lastResponse: held ? null : DEFERRAL,
      expiresAt: new Date(createdMs + 5 * DAY_MS).toISOString(),
      messageId: `<bench-${index}@example.net>`,
      subject: `${SUBJECTS[index % SUBJECTS.length]!} ${index}`,
      kind: 'inbound',
      clientAddress: '192.0.2.1',
      heloName: 'mail.example.net',
      warned: false,
      packed: true,
    };
    const first = { ...entry, state: 'queued', attempts: 0, nextAttemptAt: entry.createdAt, lastAttemptAt: null, lastResponse: null };
    writes.push(
      writeFile(path.join(queueDir, `${id}.mxmsg`), Buffer.concat([body, packedTrailer(first)])),
      writeFile(path.join(queueDir, `${id}.json`), JSON.stringify(entry)),
    );
    // Bounded concurrency: enough to keep the thread pool busy without thousands of open files.
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}

/**
 * `count` delivery attempts spread evenly over the `days` UTC days ending with `lastDay`, in the engine's
 * attempt log files (`<dataDir>/logs/attempts-YYYY-MM-DD.jsonl`); most deferred, some delivered, a few
 * bounced, as a month with outages looks. Returns the number of files written.
 */
export async function writeSyntheticAttempts(dataDir: string, options: { count: number; days: number; lastDayStartMs: number; domains: readonly string[] }): Promise<number> {
  const logDir = path.join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const random = seeded(7);
  const perDay = Math.ceil(options.count / options.days);
  let written = 0;
  for (let day = 0; day < options.days; day += 1) {
    const dayStart = options.lastDayStartMs - (options.days - 1 - day) * DAY_MS;
    const file = path.join(logDir, `attempts-${new Date(dayStart).toISOString().slice(0, 10)}.jsonl`);
    const stream = createWriteStream(file);
    const lines = Math.min(perDay, options.count - written);
    for (let index = 0; index < lines; index += 1) {
      const timeMs = dayStart + Math.floor((index / lines) * DAY_MS);
      const roll = random();
      const outcome: AttemptRecord['outcome'] = roll < 0.7 ? 'deferred' : roll < 0.97 ? 'delivered' : 'bounced';
      const domain = options.domains[index % options.domains.length]!;
      const record: AttemptRecord = {
        time: new Date(timeMs).toISOString(),
        queueId: newQueueId(timeMs),
        messageId: `<bench-${day}-${index}@example.net>`,
        domain,
        from: 'sender@example.net',
        recipients: [`user${index % 500}@${domain}`],
        destination: 'mail.example.com:25',
        remoteAddress: '192.0.2.25',
        localAddress: '192.0.2.7',
        stage: outcome === 'deferred' ? 'connect' : 'data',
        code: outcome === 'delivered' ? 250 : outcome === 'bounced' ? 550 : 421,
        enhancedCode: outcome === 'delivered' ? '2.0.0' : outcome === 'bounced' ? '5.1.1' : '4.7.0',
        response: outcome === 'delivered' ? '250 2.0.0 Ok: queued as 4F2A1' : outcome === 'bounced' ? '550 5.1.1 User unknown' : DEFERRAL,
        errorCode: outcome === 'delivered' ? null : outcome === 'bounced' ? 'EENVELOPE' : 'ECONNECTION',
        durationMs: 40 + Math.floor(random() * 400),
        outcome,
      };
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    written += lines;
  }
  return options.days;
}
