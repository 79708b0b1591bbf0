/**
 * Replies that mean "you are sending too much", kept as data so the list is reviewed like text (STYLE.md,
 * "Failure classification as data"). Kept small on purpose: a full classification table is built in
 * electron/engine/diagnosis/; this one only decides whether to slow down towards one destination.
 *
 * `kind`: 'connections' = too many sessions at once (cut concurrency); 'rate' = too many messages per time
 * (cut concurrency and set a messages-per-minute gate).
 */
export type LimitKind = 'connections' | 'rate';

interface LimitPattern {
  kind: LimitKind;
  /** Tested against the reply text (code, enhanced code and text as the server sent them). */
  pattern: RegExp;
  /** Where the pattern comes from, for review. */
  example: string;
}

export const limitReplyPatterns: readonly LimitPattern[] = [
  { kind: 'connections', pattern: /too many (\w+ ){0,2}(connections|sessions)/i, example: 'Postfix/Exchange/smtp-server: 421 4.7.0 Too many connections from your address' },
  { kind: 'connections', pattern: /connection (rate |count )?limit/i, example: 'Postfix: 421 4.7.0 Error: too many connections; Exim: 421 connection limit exceeded' },
  { kind: 'rate', pattern: /too many (messages|mails|emails)/i, example: 'Exim/hMailServer: 451 4.7.1 Too many messages, try again later' },
  { kind: 'rate', pattern: /rate.?limit|rate of|throttl/i, example: 'Microsoft 365: 451 4.7.500 Server busy, rate limited; Gmail: 421 4.7.28 ... unusual rate' },
  { kind: 'rate', pattern: /^4\d\d[ -]4\.7\.(28|500)\b/, example: 'Gmail 4.7.28 / Microsoft 365 4.7.500: sending rate too high' },
];

/** The kind of limit a reply announces, or null when it is not a limit reply. Only 4xx replies count: a 5xx is a refusal, not a limit. */
export function limitKindOfReply(code: number | null, response: string | null): LimitKind | null {
  if (code === null || code < 400 || code >= 500 || response === null) return null;
  for (const entry of limitReplyPatterns) if (entry.pattern.test(response)) return entry.kind;
  return null;
}
