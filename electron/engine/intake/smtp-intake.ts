import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { type SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundRecord } from '../../contract/report-schema.js';
import type { Settings } from '../../contract/settings-schema.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { DomainGroup, SpoolStore } from '../spool/spool-store.js';
import type { DiskSpaceGuard } from './disk-space-guard.js';
import { IntakeSmtpServer } from './intake-smtp-server.js';
import { HeaderPeek } from './header-peek.js';
import { receivedHeader } from './received-header.js';
import { RecipientPolicy } from './recipient-policy.js';
import { SmtpReply, replies } from './smtp-reply.js';
import type { TlsMaterial } from './tls-certificate.js';

export interface IntakeDependencies {
  spool: SpoolStore;
  settings: () => Settings;
  hostname: () => string;
  clock: Clock;
  logger: Logger;
  diskGuard: DiskSpaceGuard;
  tls: TlsMaterial;
  recordInbound: (record: InboundRecord) => void;
  /** When new mail for a domain may first be tried (later while its servers are unreachable). */
  firstAttemptAt: (domain: string) => number;
  onQueued: (entries: QueueEntry[]) => void;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The SMTP listener. smtp-server speaks the protocol; this class is only policy, in its hooks:
 * who may connect, which recipients are ours, when the message is safe to acknowledge.
 */
export class SmtpIntake {
  private server: SMTPServer | null = null;
  private closing = false;
  private readonly perIp = new Map<string, number>();
  private readonly countedSessions = new Set<string>();
  /** Refused recipients per session id, for listener.maxRefusalsPerSession. */
  private readonly refusals = new Map<string, number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private policy: RecipientPolicy;
  private policySource: Settings['domains'] | null = null;

  constructor(private readonly deps: IntakeDependencies) {
    this.policy = new RecipientPolicy([]);
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    const settings = this.deps.settings();
    const listener = settings.listener;
    this.closing = false;
    const server = new IntakeSmtpServer({
      name: this.deps.hostname(),
      banner: 'MX Spool',
      key: this.deps.tls.key,
      cert: this.deps.tls.cert,
      size: listener.maxMessageBytes,
      // An MX needs no AUTH, and offering it is how spools turn into relays.
      authMethods: [],
      disabledCommands: ['AUTH'],
      authOptional: true,
      hideENHANCEDSTATUSCODES: true, // our replies carry their RFC 3463 codes in the text
      disableReverseLookup: true, // a DNS round trip per connection costs more than it tells us
      maxClients: listener.maxConnections,
      socketTimeout: listener.idleTimeoutSeconds * 1000,
      closeTimeout: 30_000,
      logger: false,
      onConnect: (session, callback) => callback(this.admit(session)),
      onClose: (session) => {
        this.release(session);
        this.refusals.delete(session.id);
      },
      onMailFrom: (address, session, callback) => void this.checkSender(address, session).then((error) => callback(error)),
      onRcptTo: (address, session, callback) => callback(this.checkRecipient(address, session)),
      onData: (stream, session, callback) => {
        const work = this.receive(stream, session).then(
          (message) => callback(null, message),
          (error: unknown) => callback(error instanceof SmtpReply ? error : replies.storageError()),
        );
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      },
    }, () => this.deps.settings().listener);
    server.on('error', (error) => this.deps.logger.log('error', 'SMTP_SERVER_ERROR', { message: error.message }));
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.server.once('error', onError);
      server.listen(port, host, () => {
        server.server.off('error', onError);
        resolve();
      });
    });
    this.server = server;
    const address = server.server.address() as AddressInfo;
    this.deps.logger.log('info', 'SMTP_LISTENING', { host: address.address, port: address.port });
    return address;
  }

  /** Stops taking sessions; transactions in DATA finish (250) or get a 4xx; nothing acknowledged is lost. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.closing = true;
    this.server = null;
    await Promise.allSettled([...this.inFlight]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.perIp.clear();
    this.countedSessions.clear();
    this.refusals.clear();
  }

  get listening(): boolean {
    return this.server !== null;
  }

  private currentPolicy(): RecipientPolicy {
    const domains = this.deps.settings().domains;
    if (domains !== this.policySource) {
      this.policy = new RecipientPolicy(domains);
      this.policySource = domains;
    }
    return this.policy;
  }

  private admit(session: SMTPServerSession): SmtpReply | undefined {
    if (this.closing) return replies.shuttingDown();
    const ip = session.remoteAddress;
    const open = this.perIp.get(ip) ?? 0;
    if (open >= this.deps.settings().listener.maxConnectionsPerIp) {
      this.refused(session, replies.tooManyConnections(), null);
      return replies.tooManyConnections();
    }
    this.perIp.set(ip, open + 1);
    this.countedSessions.add(session.id);
    return undefined;
  }

  private release(session: SMTPServerSession): void {
    if (!this.countedSessions.delete(session.id)) return;
    const open = (this.perIp.get(session.remoteAddress) ?? 1) - 1;
    if (open <= 0) this.perIp.delete(session.remoteAddress);
    else this.perIp.set(session.remoteAddress, open);
  }

  private async checkSender(address: SMTPServerAddress, session: SMTPServerSession): Promise<SmtpReply | undefined> {
    if (this.closing) return replies.shuttingDown();
    const minFreeBytes = this.deps.settings().queue.minFreeDiskMb * 1024 * 1024;
    try {
      if (!(await this.deps.diskGuard.hasRoom(minFreeBytes))) {
        this.deps.logger.log('warn', 'SPOOL_DISK_LOW', { minFreeMb: this.deps.settings().queue.minFreeDiskMb });
        this.refused(session, replies.storageFull(), address.address);
        return replies.storageFull();
      }
    } catch (error) {
      this.deps.logger.log('error', 'SPOOL_STATFS_FAILED', { message: (error as Error).message });
    }
    return undefined;
  }

  private checkRecipient(address: SMTPServerAddress, session: SMTPServerSession): SmtpReply | undefined {
    const listener = this.deps.settings().listener;
    if ((this.refusals.get(session.id) ?? 0) >= listener.maxRefusalsPerSession) {
      // 421 closes the connection (smtp-server): a client walking through addresses or relay tricks stops here.
      this.refused(session, replies.tooManyRefusals(), mailFrom(session), [address.address]);
      return replies.tooManyRefusals();
    }
    if (session.envelope.rcptTo.length >= listener.maxRecipients) {
      // RFC 5321 4.5.3.1.8: 452 makes the client send the rest in another transaction.
      return replies.tooManyRecipients();
    }
    const verdict = this.currentPolicy().check(address.address);
    if ('refusal' in verdict) {
      this.refusals.set(session.id, (this.refusals.get(session.id) ?? 0) + 1);
      this.refused(session, verdict.refusal, mailFrom(session), [address.address]);
      return verdict.refusal;
    }
    return undefined;
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const settings = this.deps.settings();
    const groups = this.groupByDomain(session);
    if (groups.length === 0) {
      await drain(stream);
      throw replies.noRecipients(); // every recipient became invalid (domain removed meanwhile)
    }
    let incoming;
    try {
      incoming = await this.deps.spool.beginIncoming();
    } catch (error) {
      this.deps.logger.log('error', 'SPOOL_WRITE_FAILED', { stage: 'open', message: (error as Error).message });
      await drain(stream);
      throw storageReply(error);
    }
    const peek = new HeaderPeek();
    let tooBig = false;
    // A failed write (disk full, I/O error) must not end the loop: leaving a for-await destroys the stream and
    // smtp-server would answer before the client has sent the final dot. The rest is read and dropped.
    let writeError: unknown = null;
    try {
      await incoming.write(
        receivedHeader({
          heloName: session.hostNameAppearsAs ?? null,
          clientAddress: session.remoteAddress,
          byHost: this.deps.hostname(),
          tls: Boolean(session.secure),
          utf8: Boolean((session.envelope as { smtpUtf8?: boolean }).smtpUtf8),
          sessionId: session.id,
          recipient: session.envelope.rcptTo.length === 1 ? (session.envelope.rcptTo[0]?.address ?? null) : null,
          date: new Date(this.deps.clock.now()),
        }),
      );
      for await (const chunk of stream as Readable) {
        // Past the limit the rest is read and dropped, never buffered (RFC 1870: refuse with 552 at the end).
        if (tooBig || stream.sizeExceeded) {
          tooBig = true;
          continue;
        }
        if (writeError !== null) continue;
        peek.push(chunk as Buffer);
        await incoming.write(chunk as Buffer).catch((error: unknown) => void (writeError = error));
      }
    } catch (error) {
      await incoming.abort();
      if ((error as NodeJS.ErrnoException).code === 'ECONNECTION' || stream.destroyed) throw replies.storageError(); // client gone
      this.deps.logger.log('error', 'SPOOL_WRITE_FAILED', { stage: 'data', message: (error as Error).message });
      throw storageReply(error);
    }
    if (writeError !== null) {
      await incoming.abort();
      this.deps.logger.log('error', 'SPOOL_WRITE_FAILED', { stage: 'data', message: (writeError as Error).message });
      throw storageReply(writeError);
    }
    if (tooBig) {
      await incoming.abort();
      const reply = replies.tooBig(settings.listener.maxMessageBytes);
      this.refused(session, reply, mailFrom(session), session.envelope.rcptTo.map((r) => r.address));
      throw reply;
    }
    const fields = peek.result();
    let entries: QueueEntry[];
    try {
      entries = await incoming.commit(groups, {
        from: mailFrom(session) ?? '',
        kind: 'inbound',
        messageId: fields.messageId,
        subject: fields.subject,
        clientAddress: session.remoteAddress,
        heloName: session.hostNameAppearsAs ?? null,
        expiresAtMs: this.deps.clock.now() + this.lifetimeDays(groups[0]?.domain ?? '') * DAY_MS,
      });
    } catch (error) {
      this.deps.logger.log('error', 'SPOOL_WRITE_FAILED', { stage: 'commit', message: (error as Error).message });
      throw storageReply(error);
    }
    const ids = entries.map((entry) => entry.id);
    const response = `2.0.0 Ok: queued as ${ids.join(' ')}`;
    this.deps.recordInbound({
      time: new Date(this.deps.clock.now()).toISOString(),
      clientAddress: session.remoteAddress,
      helo: session.hostNameAppearsAs ?? null,
      from: mailFrom(session) ?? '',
      recipients: session.envelope.rcptTo.map((r) => r.address),
      domain: groups.map((group) => group.domain).join(','),
      outcome: 'accepted',
      code: 250,
      response: `250 ${response}`,
      queueIds: ids,
      size: incoming.size,
    });
    this.deps.onQueued(entries);
    return response;
  }

  private groupByDomain(session: SMTPServerSession): DomainGroup[] {
    const policy = this.currentPolicy();
    const groups = new Map<string, DomainGroup>();
    for (const rcpt of session.envelope.rcptTo) {
      const verdict = policy.check(rcpt.address);
      if (!('domain' in verdict)) continue;
      const name = verdict.domain.name;
      const group = groups.get(name) ?? { domain: name, recipients: [], held: verdict.domain.held, firstAttemptAtMs: this.deps.firstAttemptAt(name) };
      group.recipients.push(rcpt.address);
      groups.set(name, group);
    }
    return [...groups.values()];
  }

  private lifetimeDays(domainName: string): number {
    const settings = this.deps.settings();
    return settings.domains.find((domain) => domain.name === domainName)?.lifetimeDays ?? settings.queue.lifetimeDays;
  }

  private refused(session: SMTPServerSession, reply: SmtpReply, from: string | null, recipients: string[] = []): void {
    const firstDomain = recipients[0]?.split('@').pop() ?? null;
    this.deps.recordInbound({
      time: new Date(this.deps.clock.now()).toISOString(),
      clientAddress: session.remoteAddress,
      helo: session.hostNameAppearsAs ?? null,
      from,
      recipients,
      domain: firstDomain,
      outcome: 'refused',
      code: reply.responseCode,
      response: `${reply.responseCode} ${reply.message}`,
      queueIds: [],
      size: null,
    });
  }
}

function mailFrom(session: SMTPServerSession): string | null {
  const from = session.envelope.mailFrom;
  return from === false ? null : from.address;
}

/** A full disk is 452 4.3.1 (RFC 3463: mail system full); any other storage failure 451 4.3.0. Both tell the client to retry. */
function storageReply(error: unknown): SmtpReply {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? replies.storageFull() : replies.storageError();
}

async function drain(stream: Readable): Promise<void> {
  try {
    for await (const chunk of stream) void chunk;
  } catch {
    // client gone: nothing to drain
  }
}
