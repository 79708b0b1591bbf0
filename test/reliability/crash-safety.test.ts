import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { readPackedTrailer } from '../../electron/engine/spool/packed-entry.js';
import { startService, type RunningService } from '../support/headless-service.js';
import { RecordingDestination } from '../support/recording-destination.js';
import { seeded } from '../support/seeded-random.js';
import { SmtpDialog } from '../support/smtp-dialog.js';
import { configureService, isOriginalWithReceived, TEST_DOMAIN, testMessage, waitForEmptyQueue } from '../support/reliability-mail.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * SIGKILL at random moments while 10 sessions send and the office server comes and goes.
 *
 * What each sent message counts as, from the sender's side:
 * - accepted: our 250 reached the sender. It MUST reach the destination, byte for byte.
 * - unanswered: the final dot was written but no reply came (the kill cut the session). The sender will
 *   retry it, so delivering it is allowed (it was complete), never required.
 * - incomplete: the final dot was never written (the kill came before or during DATA). It MUST NOT be
 *   delivered: that would be a message we never received in full.
 * - refused: a 4xx/5xx reply to the final dot. MUST NOT be delivered: a refusal means nothing was kept.
 * Anything delivered must be exactly one Received header followed by the bytes sent, and carry a
 * Message-ID that was sent.
 *
 * Duplicates (copies beyond the first) are bounded by the deliveries in flight at each kill, counted at
 * the destination: a message whose DATA had started there before the service died (completed or cut) and
 * whose spool entry was still on disk afterwards. Only those can be sent again after the restart.
 */
const SEED = 20261128;
const KILLS = 22;
const SENDERS = 10;

type Status = 'incomplete' | 'unanswered' | 'accepted' | 'refused';
interface Sent {
  id: string;
  raw: Buffer;
  status: Status;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(`SIGKILL ${KILLS} times under parallel intake and a flapping destination: every 250 delivered, nothing partial, duplicates bounded`, { timeout: 240_000 }, async (t) => {
  const random = seeded(SEED);
  const dataDir = await tempDir(t, 'mx-crash-');
  const destination = await RecordingDestination.create();
  t.after(() => destination.stop());
  await destination.start();

  let service: RunningService = await startService(t, dataDir);
  await configureService(service, destination.port);

  const sent = new Map<string, Sent>();
  let smtpPort: number | null = service.smtpPort;
  let sending = true;
  const senders = Array.from({ length: SENDERS }, (_, index) => sendLoop(index));

  async function sendLoop(index: number): Promise<void> {
    const rng = seeded(SEED + index + 1);
    let sequence = 0;
    while (sending) {
      const port = smtpPort;
      if (port === null) {
        await sleep(50);
        continue;
      }
      let dialog: SmtpDialog;
      try {
        const opened = await SmtpDialog.open(port);
        dialog = opened.dialog;
        if (opened.greeting?.code !== 220) throw new Error('no greeting');
      } catch {
        await sleep(100);
        continue;
      }
      try {
        if ((await dialog.command(`EHLO sender${index}.example.net`))?.code !== 250) continue;
        for (let transaction = 0; transaction < 5 && sending; transaction += 1) {
          const id = `<crash-${index}-${sequence++}@example.net>`;
          const raw = testMessage(id, 30 + Math.floor(rng() * 270), rng); // 2-20 KB
          const record: Sent = { id, raw, status: 'incomplete' };
          sent.set(id, record);
          if ((await dialog.command('MAIL FROM:<sender@example.net>'))?.code !== 250) break;
          if ((await dialog.command(`RCPT TO:<user${index}@${TEST_DOMAIN}>`))?.code !== 250) break;
          if ((await dialog.command('DATA'))?.code !== 354) break;
          // Two writes with a pause between: a kill can land while the body is half sent.
          const half = Math.floor(raw.length / 2);
          dialog.write(raw.subarray(0, half));
          await sleep(Math.floor(rng() * 15));
          if (dialog.hasClosed) break;
          dialog.write(Buffer.concat([raw.subarray(half), Buffer.from('.\r\n')]));
          record.status = 'unanswered';
          const reply = await dialog.read(15_000);
          if (reply === null) break;
          record.status = reply.code === 250 ? 'accepted' : 'refused';
        }
        await dialog.quit();
      } catch {
        // the service died under us: reconnect to the next one
      } finally {
        dialog.destroy();
      }
    }
  }

  // The office server comes and goes (on the same port) while all this happens.
  let flapping = true;
  const flapper = (async () => {
    const rng = seeded(SEED - 1);
    while (flapping) {
      await sleep(800 + rng() * 2000);
      if (!flapping) break;
      await destination.stop();
      await sleep(300 + rng() * 1200);
      await destination.start();
    }
  })();

  const inFlightAtKills: number[] = [];
  const startedAt = Date.now();
  for (let kill = 0; kill < KILLS; kill += 1) {
    await sleep(400 + random() * 1400);
    const killedAt = Date.now();
    smtpPort = null;
    service.child.kill('SIGKILL');
    await service.exit;
    const exitedAt = Date.now();
    const spooled = await spooledMessageIds(dataDir);
    const seenByDestination = new Set(
      destination.attempts
        .filter((attempt) => attempt.startedAt <= exitedAt && (attempt.completed || attempt.endedAt === null || attempt.endedAt >= killedAt))
        .map((attempt) => attempt.messageId),
    );
    inFlightAtKills.push([...spooled].filter((id) => seenByDestination.has(id)).length);
    service = await startService(t, dataDir);
    smtpPort = service.smtpPort;
  }
  const crashPhaseMs = Date.now() - startedAt;

  sending = false;
  await Promise.all(senders);
  flapping = false;
  await flapper;
  await destination.start();
  await waitForEmptyQueue(service, 90_000);

  const all = [...sent.values()];
  const byStatus = (status: Status) => all.filter((message) => message.status === status);
  const accepted = byStatus('accepted');
  const lost = accepted.filter((message) => destination.count(message.id) === 0);
  const partial: string[] = [];
  const foreign: string[] = [];
  for (const message of destination.delivered) {
    const original = message.messageId ? sent.get(message.messageId) : undefined;
    if (!original) foreign.push(message.messageId ?? '(no Message-ID)');
    else if (!isOriginalWithReceived(message.raw, original.raw)) partial.push(original.id);
  }
  const incompleteDelivered = byStatus('incomplete').filter((message) => destination.count(message.id) > 0);
  const refusedDelivered = byStatus('refused').filter((message) => destination.count(message.id) > 0);
  const uniqueDelivered = new Set(destination.delivered.map((message) => message.messageId)).size;
  const duplicates = destination.delivered.length - uniqueDelivered;
  const inFlight = inFlightAtKills.reduce((sum, count) => sum + count, 0);

  const figures = {
    kills: KILLS,
    senders: SENDERS,
    accepted: accepted.length,
    unanswered: byStatus('unanswered').length,
    refused: byStatus('refused').length,
    incomplete: byStatus('incomplete').length,
    delivered: uniqueDelivered,
    deliveredCopies: destination.delivered.length,
    duplicates,
    inFlightAtKills: inFlight,
    destinationCuts: destination.attempts.filter((attempt) => !attempt.completed).length,
    crashPhaseSeconds: Math.round(crashPhaseMs / 1000),
  };
  t.diagnostic(`crash-safety figures: ${JSON.stringify(figures)}`);

  assert.ok(accepted.length >= 100, `enough mail went through to mean something (${accepted.length} accepted)`);
  assert.deepEqual(lost.map((message) => message.id), [], 'every message answered 250 reached the destination');
  assert.deepEqual(partial, [], 'every delivered message is exactly the bytes sent, after one Received header');
  assert.deepEqual(foreign, [], 'nothing delivered that was never sent');
  assert.deepEqual(incompleteDelivered.map((message) => message.id), [], 'nothing delivered whose final dot was never sent');
  assert.deepEqual(refusedDelivered.map((message) => message.id), [], 'nothing delivered that we answered with 4xx/5xx');
  assert.ok(duplicates <= inFlight, `duplicates (${duplicates}) are at most the deliveries in flight at the kills (${inFlight})`);
  assert.deepEqual(await readdir(path.join(dataDir, 'spool', 'quarantine')), [], 'a kill never leaves an entry that needs quarantine');
  service.child.kill('SIGTERM'); // stopped before its data folder is removed
  await service.exit;
});

/** Message-IDs of the entries on disk (state files, and the state packed in `.mxmsg` files), as a restarted service would load them. */
async function spooledMessageIds(dataDir: string): Promise<Set<string>> {
  const queueDir = path.join(dataDir, 'spool', 'queue');
  const ids = new Set<string>();
  for (const name of await readdir(queueDir)) {
    try {
      let json: string;
      if (name.endsWith('.json')) json = await readFile(path.join(queueDir, name), 'utf8');
      else if (name.endsWith('.mxmsg')) {
        const packed = readPackedTrailer(path.join(queueDir, name));
        if (!packed.ok) continue;
        json = packed.json;
      } else continue;
      const entry = JSON.parse(json) as { messageId?: string | null };
      if (entry.messageId) ids.add(entry.messageId);
    } catch {
      // removed meanwhile, or unreadable: the restart decides
    }
  }
  return ids;
}
