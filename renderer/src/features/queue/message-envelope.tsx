import type { QueueItem } from '../../../../electron/contract/queue-schema.js';
import { formatAge, formatTime } from '../../ui/format-time.js';
import { formatSize, nextAttemptText, senderLabel } from './queue-format.js';

/** The envelope and the queue's bookkeeping of one message. */
export function MessageEnvelope(props: { item: QueueItem; now: number }) {
  const { item } = props;
  return (
    <dl className="envelope">
      <dt>Queue id</dt>
      <dd>{item.id}</dd>
      <dt>Message-ID</dt>
      <dd>{item.messageId ?? '—'}</dd>
      <dt>Subject</dt>
      <dd>{item.subject ?? '—'}</dd>
      <dt>Sender</dt>
      <dd>{senderLabel(item.from)}</dd>
      <dt>Domain</dt>
      <dd>{item.domain}</dd>
      <dt>Kind</dt>
      <dd>{kindLabels[item.kind]}</dd>
      <dt>State</dt>
      <dd>{item.state}</dd>
      <dt>Size</dt>
      <dd>{formatSize(item.size)}</dd>
      <dt>Received</dt>
      <dd>
        {formatTime(item.createdAt)} ({formatAge(props.now - Date.parse(item.createdAt))} ago)
      </dd>
      <dt>Attempts</dt>
      <dd>{item.attempts}</dd>
      <dt>Last attempt</dt>
      <dd>{item.lastAttemptAt ? formatTime(item.lastAttemptAt) : '—'}</dd>
      <dt>Next attempt</dt>
      <dd>{nextAttemptText(item)}</dd>
      <dt>Returned to sender</dt>
      <dd>{formatTime(item.expiresAt)}, if still undelivered</dd>
    </dl>
  );
}

const kindLabels: Record<QueueItem['kind'], string> = {
  inbound: 'Mail for an office domain',
  bounce: 'Non-delivery report generated here',
  warning: 'Delay warning generated here',
};
