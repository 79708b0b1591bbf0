import type { AddressInfo } from 'node:net';
import type { ListenerStatus } from '../../contract/app-schema.js';
import type { Settings } from '../../contract/settings-schema.js';
import type { EventHub } from '../events/event-hub.js';
import type { Logger } from '../runtime/logger.js';

export interface ListenerControlDeps {
  intake: { listen(host: string, port: number): Promise<AddressInfo>; close(): Promise<void>; readonly listening: boolean };
  settings: () => Settings;
  events: EventHub;
  logger: Logger;
  /** CLI flags and tests override the configured address. */
  smtpHost?: string | undefined;
  smtpPort?: number | undefined;
  /**
   * Receiving waits for the first domain (the desktop app, `--wait-for-domain`): a fresh install must not
   * answer senders before it knows where their mail goes, and a sender refused at RCPT may give up, where one
   * that cannot connect tries again later.
   */
  waitForDomain: boolean;
}

/**
 * Whether the SMTP listener runs: started by the engine, paused and resumed by the admin (tray, dashboard),
 * held back until the first domain exists. Every change is announced as `listener.status`.
 */
export class ListenerControl {
  private address: AddressInfo | null = null;
  private error: string | null = null;
  private paused = false;
  /** Serialises start/stop: a pause clicked while a restart is under way must land after it. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ListenerControlDeps) {}

  get waitingForDomain(): boolean {
    return this.deps.waitForDomain && this.deps.settings().domains.length === 0;
  }

  status(): ListenerStatus {
    return {
      listening: this.deps.intake.listening,
      address: this.address?.address ?? null,
      port: this.address?.port ?? null,
      error: this.error,
      paused: this.paused,
      waitingForDomain: this.waitingForDomain,
    };
  }

  /** Listens unless paused or waiting for a domain; a listen error is kept for the UI and thrown. */
  start(): Promise<void> {
    return this.serialise(() => this.open());
  }

  /** Closes and opens again with the current settings (a new port). Errors stay in the status. */
  restart(): Promise<void> {
    return this.serialise(async () => {
      await this.shut();
      await this.open();
    });
  }

  pause(): Promise<ListenerStatus> {
    return this.serialise(async () => {
      if (!this.paused) this.deps.logger.log('info', 'LISTENER_PAUSED', {});
      this.paused = true;
      await this.shut();
      this.announce();
      return this.status();
    });
  }

  /** Resumes receiving; a listen error (port taken meanwhile) is reported in the status, not thrown. */
  resume(): Promise<ListenerStatus> {
    return this.serialise(async () => {
      if (this.paused) this.deps.logger.log('info', 'LISTENER_RESUMED', {});
      this.paused = false;
      if (!this.deps.intake.listening) await this.open().catch(() => undefined);
      else this.announce();
      return this.status();
    });
  }

  /** After domains.save / domains.remove: start with the first domain, stop when the last one goes. */
  domainsChanged(): Promise<void> {
    if (!this.deps.waitForDomain) return Promise.resolve();
    return this.serialise(async () => {
      const listening = this.deps.intake.listening;
      if (this.waitingForDomain && listening) {
        this.deps.logger.log('info', 'LISTENER_WAITING_FOR_DOMAIN', { reason: 'no domain left' });
        await this.shut();
        this.announce();
      } else if (!this.waitingForDomain && !listening && !this.paused) {
        await this.open().catch(() => undefined);
      }
    });
  }

  /** Engine stop: the listener closes for good (transactions in DATA finish first). */
  stop(): Promise<void> {
    return this.serialise(() => this.shut());
  }

  private async open(): Promise<void> {
    if (this.paused || this.waitingForDomain) {
      if (this.waitingForDomain) this.deps.logger.log('info', 'LISTENER_WAITING_FOR_DOMAIN', { reason: 'no domain yet' });
      this.announce();
      return;
    }
    const listener = this.deps.settings().listener;
    const host = this.deps.smtpHost ?? listener.host;
    const port = this.deps.smtpPort ?? listener.port;
    try {
      this.address = await this.deps.intake.listen(host, port);
      this.error = null;
      this.announce();
    } catch (error) {
      this.error = (error as Error).message;
      this.announce();
      this.deps.logger.log('error', 'SMTP_LISTEN_FAILED', { host, port, code: (error as NodeJS.ErrnoException).code, message: this.error });
      throw error;
    }
  }

  private async shut(): Promise<void> {
    await this.deps.intake.close();
    this.address = null;
  }

  private announce(): void {
    const { listening, error, paused, waitingForDomain } = this.status();
    this.deps.events.emit('listener.status', { listening, error, paused: paused ?? false, waitingForDomain: waitingForDomain ?? false });
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
