import { useId } from 'react';
import type { RefusedRecipient } from '../../../../electron/contract/report-schema.js';
import { refusedLabel, refusedReply } from './refused-reply.js';
import './refused-recipients.css';

/**
 * The recipients the server refused at RCPT TO while it took the message for the others, each with its
 * reply exactly as sent (RFC 5321 3.3 gives every RCPT its own reply). The attempt's own reply is the 250
 * to DATA, so without this the admin would never see "550 5.1.1 … User unknown". The outcome is written as
 * a word (deferred: retried later; bounced: the sender was told) so colour is never the only sign.
 * Shared by the Outbound report and the message drawer's attempt timeline: its CSS comes with it.
 */
export function RefusedRecipientsNote(props: { refused: readonly RefusedRecipient[] | undefined }) {
  const labelId = useId();
  const refused = props.refused ?? [];
  if (refused.length === 0) return null;
  return (
    <div className="refused-recipients" data-testid="refused-recipients">
      {/* The label names the list for a screen reader; the colon stays outside the name. */}
      <span className="refused-label">
        <span id={labelId}>{refusedLabel(refused.length)}</span>:
      </span>
      <ul aria-labelledby={labelId}>
        {refused.map((recipient, position) => (
          <li key={position} data-outcome={recipient.outcome}>
            <span className="refused-address">{recipient.address}</span>
            {' — '}
            <code className="refused-reply">{refusedReply(recipient)}</code>{' '}
            <span className={`refused-outcome outcome-${recipient.outcome}`}>({recipient.outcome})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
