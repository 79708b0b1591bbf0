import type { RefusedRecipient } from '../../../../electron/contract/report-schema.js';
import { replyCodes } from './reply-text.js';

/**
 * A refused recipient's reply to RCPT TO as received; its codes go in front only when the text does not
 * start with them already. Pure (no DOM, no CSS), so the CSV export and node:test use it too.
 */
export function refusedReply(recipient: RefusedRecipient): string {
  const codes = replyCodes(recipient.code, recipient.enhancedCode, recipient.response);
  return codes ? `${codes} ${recipient.response}` : recipient.response;
}

/** "1 recipient refused", "2 recipients refused". */
export function refusedLabel(count: number): string {
  return `${count} ${count === 1 ? 'recipient' : 'recipients'} refused`;
}
