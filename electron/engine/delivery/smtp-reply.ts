import type { RecipientOutcome } from './delivery-types.js';

/** The three-digit reply code at the start of a reply (RFC 5321 4.2), or null when there is none. */
export function parseReplyCode(reply: string | null | undefined): number | null {
  const match = /^([2-5]\d\d)(?:[ -]|$)/.exec(reply ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * The RFC 3463 enhanced status code of a reply, e.g. "5.1.1" from "550 5.1.1 User unknown". RFC 2034 section 4
 * puts it right after the reply code, so only that position is read: a version number further on in the text
 * ("... Exim 4.96.2") must not pass for one. Its class digit is 2, 4 or 5 (RFC 3463 section 3.1).
 */
export function parseEnhancedCode(reply: string | null | undefined): string | null {
  const match = /^[2-5]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/.exec(reply ?? '');
  return match?.[1] ?? null;
}

/**
 * What a reply to MAIL, RCPT or the end of DATA means for a recipient, from the first digit alone
 * (RFC 5321 4.2.1): 2yz done, 4yz try again later, 5yz do not repeat. A table of known replies that
 * overrides this (e.g. a 5xx that is really temporary) is a later issue. 1yz and 3yz are not final
 * answers to these commands, so they count as temporary.
 */
export function outcomeOfReplyCode(code: number): RecipientOutcome {
  if (code >= 200 && code < 300) return 'delivered';
  if (code >= 500 && code < 600) return 'bounced';
  return 'deferred';
}
