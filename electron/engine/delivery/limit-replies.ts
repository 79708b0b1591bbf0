import { matchFailureClass } from '../diagnosis/classify-attempt.js';

/**
 * What a limit reply asks us to cut: 'connections' = too many sessions at once (cut concurrency); 'rate' =
 * too many messages per time (cut concurrency and set a messages-per-minute gate).
 */
export type LimitKind = 'connections' | 'rate';

/**
 * Also 'recipients': too many recipients in one transaction (RFC 5321 4.5.3.1.10: the server may cap them
 * per message). Sending slower does not help, so no limit is cut; the recipients left over are retried soon.
 */
export type LimitReplyKind = LimitKind | 'recipients';

/**
 * The kind of limit a reply announces, or null when it is not a limit reply. Whether it is one comes from
 * the classification table alone (electron/engine/diagnosis/failure-classes.ts, category 'rate-limited'),
 * so the dashboard's "Too many connections or messages" and the throttling never disagree. Only 4xx replies
 * count: a 5xx is a refusal, not a limit. Which knob to cut is read from the words of the reply.
 */
export function limitKindOfReply(code: number | null, response: string | null): LimitReplyKind | null {
  if (code === null || code < 400 || code >= 500 || response === null) return null;
  if (matchFailureClass({ code, response }).category !== 'rate-limited') return null;
  if (/\brecipients?\b/i.test(response)) return 'recipients';
  if (/\b(connections?|sessions?)\b/i.test(response)) return 'connections';
  return 'rate';
}
