/**
 * Whether a failed message may be returned to its envelope sender.
 *
 * Only the null reverse-path is excluded: RFC 5321 4.5.5 says a message sent with MAIL FROM:<> (a bounce,
 * a DSN, a delay warning) must never be answered with another one, which is what stops bounce loops.
 * Senders such as MAILER-DAEMON@ or postmaster@ with a real address are bounced like anyone else: guessing
 * "automatic" senders from the local part loses real mail to real postmasters. `<>` is accepted as a
 * spelling of the null sender for callers that keep the brackets.
 */
export function shouldBounce(envelopeSender: string): boolean {
  const sender = envelopeSender.trim();
  return sender !== '' && sender !== '<>';
}
