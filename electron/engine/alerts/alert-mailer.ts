import MailComposer from 'nodemailer/lib/mail-composer';
import type { Alert } from '../../contract/alerts-schema.js';
import type { Settings } from '../../contract/settings-schema.js';
import type { Clock } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type { QueueEntry } from '../spool/queue-entry.js';
import type { SpoolStore } from '../spool/spool-store.js';

const DAY_MS = 24 * 3600 * 1000;

export interface AlertMailerDeps {
  spool: SpoolStore;
  settings: () => Settings;
  hostname: () => string;
  clock: Clock;
  logger: Logger;
  onQueued: (entries: QueueEntry[]) => void;
}

/**
 * E-mails an alert to alerts.email. The message is spooled like a DSN (kind `warning`), so the queue
 * runner sends it the way it sends bounces: through the bounce relay when enabled, else to the address's
 * MX, with the same retries. It goes out with the null sender so a failure can never bounce back (RFC 5321 4.5.5).
 */
export async function mailAlert(alert: Alert, deps: AlertMailerDeps): Promise<void> {
  const to = deps.settings().alerts.email;
  if (to === '') return;
  try {
    const hostname = deps.hostname();
    const body = await new MailComposer({
      from: `MX Spool <postmaster@${hostname}>`,
      to,
      subject: `MX Spool alert: ${alert.domain} ${alert.kind}`,
      text: `${alert.message}\n\nTime: ${alert.time}\nDomain: ${alert.domain}\n${alert.count !== undefined ? `Messages: ${alert.count}\n` : ''}\n-- MX Spool on ${hostname}\n`,
      date: new Date(deps.clock.now()),
      headers: { 'Auto-Submitted': 'auto-generated' }, // RFC 3834: no auto-replies to it
    })
      .compile()
      .build();
    const now = deps.clock.now();
    const entry = await deps.spool.enqueueGenerated(
      body,
      { domain: (to.split('@').pop() ?? '').toLowerCase(), recipients: [to] },
      {
        from: '',
        kind: 'warning',
        messageId: null,
        subject: `MX Spool alert: ${alert.domain} ${alert.kind}`,
        clientAddress: null,
        heloName: null,
        expiresAtMs: now + DAY_MS, // an alert older than a day is news nobody needs
      },
    );
    deps.logger.log('info', 'ALERT_EMAIL_QUEUED', { alert: alert.id, kind: alert.kind, domain: alert.domain, id: entry.id });
    deps.onQueued([entry]);
  } catch (error) {
    deps.logger.log('error', 'ALERT_EMAIL_FAILED', { alert: alert.id, message: (error as Error).message });
  }
}
