import type { QueueItem } from '../../contract/queue-schema.js';

/**
 * A queue entry as stored: its state in `<id>.json` beside its body `<id>.eml`, or, for mail to one office
 * domain, first packed after the message in `<id>.mxmsg` (a later state still goes to `<id>.json`). One entry
 * per (message, office domain): a message for two domains becomes two entries sharing one body by hard link.
 */
export interface QueueEntry extends QueueItem {
  version: 1;
  clientAddress: string | null;
  heloName: string | null;
  /** Whether the delay warning was already sent to the sender. */
  warned: boolean;
  /** SHA-256 (hex) of the body as received; absent in entries stored before checksums existed. */
  bodySha256?: string;
  /** The message is stored in `<id>.mxmsg` with the entry's first state after it (packed-entry.ts). */
  packed?: true;
}
