import type { AttemptRecord } from '../../contract/report-schema.js';
import type { Destination } from '../../contract/settings-schema.js';

/** What one delivery run needs to know about a message; the spool hands this over, delivery never touches the spool. */
export interface OutboundMessage {
  queueId: string;
  messageId: string | null;
  domain: string;
  /** Envelope sender; '' is the null sender <>. */
  from: string;
  /** Recipients still open for this run. */
  recipients: string[];
  /** Absolute path of the stored message: its first `size` bytes are the exact bytes to send (a packed spool file has more after them). */
  bodyPath: string;
  size: number;
  /**
   * Reads the whole message into memory, off the engine's thread (the spool's file threads): given for
   * messages small enough to hold (spool/file-thread.ts), absent for larger ones, which stream from `bodyPath`.
   */
  readBody?: () => Promise<Uint8Array>;
}

export type RecipientOutcome = 'delivered' | 'deferred' | 'bounced';

export interface RecipientResult {
  address: string;
  outcome: RecipientOutcome;
  code: number | null;
  enhancedCode: string | null;
  /** Exactly as the server sent it, or the network error text. */
  response: string | null;
}

/** Result of trying a message against a domain's ordered destinations. */
export interface DeliveryReport {
  /** One record per destination tried, in order (the next destination is tried only when one cannot be reached). */
  attempts: AttemptRecord[];
  /** Final outcome per recipient of `OutboundMessage.recipients`. */
  recipients: RecipientResult[];
}

export interface DeliveryOptions {
  heloName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  maxConnectionsPerDestination: number;
  maxMessagesPerConnection: number;
}

export type { Destination };
