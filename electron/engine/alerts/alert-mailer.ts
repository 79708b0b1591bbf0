import MailComposer from 'nodemailer/lib/mail-composer';
import type { Alert } from '../../contract/alerts-schema.js';
import { spoolGenerated, type GeneratedMailDeps } from '../queue/spool-generated.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * E-mails an alert to alerts.email. The message is spooled like a DSN (kind `warning`), so the queue
 * runner sends it the way it sends bounces: through the bounce relay when enabled, else to the address's
 * MX, with the same retries. It goes out with the null sender so a failure can never bounce back (RFC 5321 4.5.5).
 */
export async function mailAlert(alert: Alert, deps: GeneratedMailDeps): Promise<void> {
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
    const entry = await spoolGenerated(deps, body, {
      to,
      kind: 'warning',
      subject: `MX Spool alert: ${alert.domain} ${alert.kind}`,
      lifetimeMs: DAY_MS, // an alert older than a day is news nobody needs
    });
    deps.logger.log('info', 'ALERT_EMAIL_QUEUED', { alert: alert.id, kind: alert.kind, domain: alert.domain, id: entry.id });
  } catch (error) {
    deps.logger.log('error', 'ALERT_EMAIL_FAILED', { alert: alert.id, message: (error as Error).message });
  }
}
