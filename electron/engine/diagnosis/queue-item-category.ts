import type { FailureCategory } from '../../contract/diagnosis-schema.js';
import type { RecipientState } from '../../contract/queue-schema.js';
import { matchFailureClass } from './classify-attempt.js';

/**
 * `lastCategory` of a queue item, from what the queue entry itself carries (no log read, so queue.list stays
 * cheap): the reply of a recipient still waiting (its code and text), else `lastResponse`. The entry keeps
 * no nodemailer error code, so a network error is classified from its text alone; the table's text rows
 * cover what the engine writes there (e.g. "connect ECONNREFUSED …", "Delivery temporarily suspended: …").
 * queue.get's `diagnoses` classify the full attempt records. Null before the first attempt.
 */
export function queueItemCategory(item: { recipients: readonly RecipientState[]; lastResponse: string | null }): FailureCategory | null {
  const waiting = item.recipients.find((recipient) => (recipient.status === 'deferred' || recipient.status === 'pending') && recipient.response !== null);
  if (waiting) return matchFailureClass({ code: waiting.code, response: waiting.response }).category;
  if (item.lastResponse === null) return null;
  return matchFailureClass({ response: item.lastResponse }).category;
}
