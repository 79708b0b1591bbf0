import type { FailureCategory } from '../../../../electron/contract/diagnosis-schema.js';

/**
 * A short label per failure category, for the queue table: a queue item carries only `lastCategory`,
 * while the engine's diagnosis titles (engine/diagnosis/failure-classes.ts) are per table row, several
 * per category. The drawer shows the engine's own title, explanation and fix for each attempt.
 * A Record, so a category added to the contract fails the type check until it has a label here.
 */
export const categoryLabels: Record<FailureCategory, string> = {
  delivered: 'Delivered',
  'connection-refused': 'Connection refused',
  'connection-timeout': 'Connection timed out or dropped',
  'dns-failure': 'Server name not found',
  'tls-failure': 'Encryption (TLS) failed',
  'rate-limited': 'Too many connections or messages',
  greylisted: 'Greylisted',
  'blocked-spam': 'Blocked as spam or by a block list',
  'relay-denied': 'Domain not accepted by the server',
  'auth-required': 'Login required or refused',
  'sender-rejected': 'Sender refused',
  'mailbox-full': 'Mailbox full',
  'unknown-recipient': 'Unknown recipient',
  'message-too-large': 'Message too large',
  'server-error': 'Server error',
  'server-shutting-down': 'Server shutting down',
  suspended: 'Waiting: the server was just unreachable',
  other: 'Other failure',
};

/** The label beside a queued message's last reply; none before any attempt, nor for a delivered reply. */
export function lastCategoryLabel(category: FailureCategory | null | undefined): string | null {
  if (!category || category === 'delivered') return null;
  return categoryLabels[category];
}
