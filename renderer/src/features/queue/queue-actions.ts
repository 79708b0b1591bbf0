import type { ApiInput } from '../../../../electron/contract/api-contract.js';

/** Which messages an action applies to: the contract's selection, by ids or a whole domain. */
export type QueueSelection = ApiInput<'queue.retry'>;

/**
 * The admin's actions on queued mail. `consequence` is said in the confirmation dialog of the two that
 * cannot be undone: a deleted message is gone without a word to its sender, a bounced one is returned
 * with a non-delivery report (RFC 3464).
 */
export interface QueueAction {
  id: 'retry' | 'hold' | 'release' | 'delete' | 'bounce';
  method: 'queue.retry' | 'queue.hold' | 'queue.release' | 'queue.delete' | 'queue.bounce';
  label: string;
  done: string;
  /** For the irreversible ones: what happens, said before it does. `plural`: more than one message. */
  consequence?: (plural: boolean) => string;
}

export const queueActions: readonly QueueAction[] = [
  { id: 'retry', method: 'queue.retry', label: 'Retry', done: 'Retried' },
  { id: 'hold', method: 'queue.hold', label: 'Hold', done: 'Held' },
  { id: 'release', method: 'queue.release', label: 'Release', done: 'Released' },
  {
    id: 'delete',
    method: 'queue.delete',
    label: 'Delete',
    done: 'Deleted',
    consequence: (plural) =>
      plural
        ? 'These messages are removed from the queue for good and never delivered. Their senders are not told.'
        : 'This message is removed from the queue for good and never delivered. Its sender is not told.',
  },
  {
    id: 'bounce',
    method: 'queue.bounce',
    label: 'Bounce',
    done: 'Bounced',
    consequence: (plural) =>
      plural
        ? 'Each sender gets a non-delivery report (a bounce) saying the message was not delivered, and the messages leave the queue.'
        : 'The sender gets a non-delivery report (a bounce) saying the message was not delivered, and the message leaves the queue.',
  },
];

/** What an action's buttons are about, in words: "2 selected messages", "all 1,234 messages of example.com". */
export interface ActionTarget {
  selection: QueueSelection;
  phrase: string;
  /** How many messages, when known: a domain's count comes from stats.summary and may be missing. */
  count: number | null;
}
