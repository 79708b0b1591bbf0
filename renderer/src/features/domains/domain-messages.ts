import type { DomainSaveResult } from './domain-form.js';

export function countOf(count: number, singular: string): string {
  return `${count} ${singular}${count === 1 ? '' : 's'}`;
}

/** What happens next after a save, so the admin knows whether anything else is theirs to do. */
export function savedMessage(result: DomainSaveResult): string {
  const { name, enabled } = result.domain;
  if (result.created && !enabled) return `${name} added, disabled: MX Spool refuses mail for it until you enable it.`;
  if (result.created) {
    return `${name} added. MX Spool now accepts mail for it: point the domain's backup MX record (a higher preference number than the office server's) at this computer.`;
  }
  if (result.retried > 0) return `${name} saved. ${countOf(result.retried, 'queued message')} will be retried now at the new mail server.`;
  return `${name} saved.`;
}

export function toggledMessage(result: DomainSaveResult): string {
  const { name, enabled } = result.domain;
  return enabled ? `${name} enabled: MX Spool accepts mail for it again.` : `${name} disabled: MX Spool now refuses new mail for it, like for any unknown domain.`;
}

/** Removing a domain never deletes its mail: say how much is left and where. */
export function removalWarning(name: string, queued: number | undefined): string {
  const left =
    queued === undefined
      ? 'Mail already queued for it stays in the queue'
      : queued === 0
        ? 'No mail is queued for it'
        : `Its ${countOf(queued, 'queued message')} ${queued === 1 ? 'stays' : 'stay'} in the queue until you deliver or delete ${queued === 1 ? 'it' : 'them'}`;
  return `Remove ${name}? MX Spool will refuse new mail for it. ${left}.`;
}

export function removedMessage(name: string, queued: number): string {
  if (queued === 0) return `${name} removed.`;
  return `${name} removed. ${countOf(queued, 'queued message')} ${queued === 1 ? 'stays' : 'stay'} in the queue: deliver or delete ${queued === 1 ? 'it' : 'them'} on the Queue screen.`;
}
