/**
 * The trace header this MX prepends (RFC 5321 4.4): from whom, by whom, with which protocol, when.
 * The protocol names follow RFC 3848 (ESMTPS = over TLS) and RFC 6531 (UTF8SMTP for SMTPUTF8).
 */
export function receivedHeader(input: {
  heloName: string | null;
  clientAddress: string;
  byHost: string;
  tls: boolean;
  utf8: boolean;
  sessionId: string;
  recipient: string | null;
  date: Date;
}): Buffer {
  const protocol = `${input.utf8 ? 'UTF8SMTP' : 'ESMTP'}${input.tls ? 'S' : ''}`;
  const helo = sanitize(input.heloName || 'unknown');
  const lines = [
    `Received: from ${helo} ([${sanitize(input.clientAddress)}])`,
    `\tby ${sanitize(input.byHost)} (MX Spool) with ${protocol} id ${sanitize(input.sessionId)}`,
  ];
  if (input.recipient) lines.push(`\tfor <${sanitize(input.recipient)}>`);
  lines[lines.length - 1] += ';';
  lines.push(`\t${rfc5322Date(input.date)}`);
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

/** RFC 5322 3.3 date-time in UTC with a numeric zone, e.g. "Fri, 27 Nov 2026 19:51:19 +0000". */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

// Client-supplied text (HELO) must not break the header: keep it to one printable token.
function sanitize(value: string): string {
  return value.replace(/[^\x21-\x7e\u0080-\uffff]/g, '').slice(0, 255) || 'unknown';
}
