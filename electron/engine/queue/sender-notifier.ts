import type { Resolver } from 'node:dns/promises';
import type { Destination, Settings } from '../../contract/settings-schema.js';
import { composeDsn } from '../bounce/compose-dsn.js';
import { resolveBounceRoute } from '../bounce/resolve-bounce-route.js';
import { shouldBounce } from '../bounce/should-bounce.js';
import { toAsciiDomain } from '../intake/recipient-policy.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { FailedRecipient } from './queue-runner.js';
import { spoolGenerated, type GeneratedMailDeps } from './spool-generated.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Routes queue entries and tells senders what happened: inbound mail goes to its domain's Mail Server
 * Settings; DSNs this spool composed go to the sender's MX or the configured relay, through the same
 * queue and retry rules as any other message.
 */
export class SenderNotifier {
  constructor(private readonly deps: GeneratedMailDeps) {}

  async route(entry: QueueEntry, settings: Settings, resolver: Resolver): Promise<Destination[]> {
    if (entry.kind === 'inbound') {
      const domain = settings.domains.find((candidate) => candidate.name === entry.domain);
      if (!domain) throw new Error(`The domain ${entry.domain} is no longer configured: add it again, or delete its queued mail`);
      return domain.destinations;
    }
    const recipient = entry.to[0] ?? entry.recipients[0]?.address ?? '';
    // A DSN for a sender in one of our own office domains goes where that domain's mail goes: its MX
    // records point at us (and at the office server, which may be the one that is down).
    const ownDomain = settings.domains.find((candidate) => toAsciiDomain(candidate.name) === toAsciiDomain(recipient.split('@').pop() ?? ''));
    if (ownDomain) return ownDomain.destinations;
    return resolveBounceRoute(recipient, settings.bounceRelay, resolver, { localHostNames: [this.deps.hostname()] });
  }

  /** Queues a DSN (failure or delay) to the entry's sender; durable when this resolves. Never to the null sender. */
  async notify(entry: QueueEntry, recipients: FailedRecipient[], kind: 'failure' | 'delay'): Promise<void> {
    if (!shouldBounce(entry.from)) {
      // RFC 5321 4.5.5: no notification to the null sender (it is itself a notification): log it, drop it.
      this.deps.logger.log('warn', 'BOUNCE_NOT_SENT_NULL_SENDER', { id: entry.id, kind, recipients: recipients.length });
      return;
    }
    const headers = await this.deps.spool.readHeaders(entry.id).catch(() => '');
    const body = await composeDsn({
      kind,
      reportingMta: this.deps.hostname(),
      originalSender: entry.from,
      originalHeaders: headers,
      arrivalDate: entry.createdAt,
      queueId: entry.id,
      dateMs: this.deps.clock.now(),
      recipients: recipients.map((recipient) => ({
        address: recipient.address,
        status: recipient.status,
        action: kind === 'failure' ? 'failed' : 'delayed',
        remoteMta: recipient.remoteMta,
        diagnostic: recipient.diagnostic,
        lastAttemptDate: recipient.lastAttemptDate,
      })),
    });
    const dsn = await spoolGenerated(this.deps, body, {
      to: entry.from,
      kind: kind === 'failure' ? 'bounce' : 'warning',
      subject: kind === 'failure' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)',
      lifetimeMs: this.deps.settings().queue.lifetimeDays * DAY_MS,
    });
    this.deps.logger.log('info', kind === 'failure' ? 'BOUNCE_QUEUED' : 'DELAY_WARNING_QUEUED', { id: entry.id, dsn: dsn.id, to: entry.from, recipients: recipients.length });
  }
}
