import type { AttemptRecord } from '../../contract/report-schema.js';

/** A deferral's reply as stats.topDeferrals shows it. */
export interface DeferralReply {
  /** The reply exactly as recorded, or the network error code when there was no reply. */
  reply: string;
  code: number | null;
  enhancedCode: string | null;
}

/**
 * What stats.topDeferrals groups deferred attempts by (null for other outcomes): code, enhanced code and the
 * exact text, never normalised. Kept in the attempt log's day index (record-logs.ts), so a chart over a month
 * counts ids instead of parsing every line. Whether there was a reply is part of the key: a server's literal
 * text "ETIMEDOUT" stays apart from the error code.
 */
export function deferralReplyKey(record: AttemptRecord): string | null {
  if (record.outcome !== 'deferred') return null;
  return JSON.stringify([record.code, record.enhancedCode, record.response === null, record.response ?? record.errorCode ?? '']);
}

/** The reply a key was made from (deferralReplyKey's inverse). */
export function deferralReplyOf(key: string): DeferralReply {
  const [code, enhancedCode, , reply] = JSON.parse(key) as [number | null, string | null, boolean, string];
  return { reply, code, enhancedCode };
}
