import type { AlertKind } from '../../contract/alerts-schema.js';
import { assertNever } from '../runtime/assert-never.js';

/** The alert's text: what happened, in plain words, and what the admin should do about it. */
export function alertMessage(kind: AlertKind, domain: string, facts: { count?: number; minutes?: number; hours?: number }): string {
  const messages = (count: number | undefined) => (count === 1 ? '1 message' : `${count ?? 0} messages`);
  switch (kind) {
    case 'stuck':
      return `Mail for ${domain} is stuck: ${messages(facts.count)} waiting, the oldest for ${facts.minutes ?? 0} minutes, and its mail server is not accepting them. Open "Why is mail stuck?" for ${domain} and fix what it names, or run the route test.`;
    case 'recovered':
      return `Mail for ${domain} is flowing again: its mail server accepts mail or nothing is waiting any more. Nothing to do.`;
    case 'expiring':
      return `${messages(facts.count)} for ${domain} will be returned to their senders within ${facts.hours ?? 0} hours because they reach the queue lifetime. Get the mail server of ${domain} accepting mail, or raise the domain's lifetime to keep them longer.`;
    default:
      return assertNever(kind);
  }
}
