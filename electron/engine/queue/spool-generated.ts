import type { Settings } from '../../contract/settings-schema.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { SpoolStore } from '../spool/spool-store.js';

/** What composing and queuing mail of our own (DSNs, alert e-mails) needs from the engine. */
export interface GeneratedMailDeps {
  spool: SpoolStore;
  settings: () => Settings;
  hostname: () => string;
  clock: Clock;
  logger: Logger;
  onQueued: (entries: QueueEntry[]) => void;
}

/**
 * Queues a message this spool composed for one address, durably, and hands it to the runner. It goes out
 * with the null sender so a failure can never bounce back and loop (RFC 5321 4.5.5, RFC 3464 section 2),
 * through the same queue and retries as any other mail, routed by kind (see SenderNotifier.route).
 */
export async function spoolGenerated(
  deps: GeneratedMailDeps,
  body: Uint8Array,
  message: { to: string; kind: 'bounce' | 'warning'; subject: string; lifetimeMs: number },
): Promise<QueueEntry> {
  const entry = await deps.spool.enqueueGenerated(
    body,
    { domain: (message.to.split('@').pop() ?? '').toLowerCase(), recipients: [message.to] },
    {
      from: '',
      kind: message.kind,
      messageId: null,
      subject: message.subject,
      clientAddress: null,
      heloName: null,
      expiresAtMs: deps.clock.now() + message.lifetimeMs,
    },
  );
  deps.onQueued([entry]);
  return entry;
}
