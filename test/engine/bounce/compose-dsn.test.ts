import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../../electron/contract/app-error.js';
import { composeDsn, recipientField, type DsnInput } from '../../../electron/engine/bounce/compose-dsn.js';
import { shouldBounce } from '../../../electron/engine/bounce/should-bounce.js';
import { decodeBody, header, parseContentType, parseHeaderBlock, parsePart, splitMultipart, type MimePart } from '../../support-bounce/mime-test-parser.js';

const ORIGINAL_HEADERS = [
  'Received: from mail.example.org (mail.example.org [198.51.100.7])',
  '\tby mx2.example.net with ESMTP id Q123; Fri, 27 Nov 2026 09:00:00 +0000',
  'From: Sender <sender@example.org>',
  'To: alice@example.com, bob@example.com',
  'Subject: Quarterly figures',
  'Message-ID: <original-1@example.org>',
  '',
  '',
].join('\n'); // stored with bare LF on purpose: the DSN must still use CRLF

const REJECTION = '550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown in virtual mailbox table';
const MULTI_LINE = '550-5.7.1 Our system has detected an unusual rate of unsolicited mail.\r\n550 5.7.1  To protect our users, this message has been blocked.';

function failureInput(overrides: Partial<DsnInput> = {}): DsnInput {
  return {
    kind: 'failure',
    reportingMta: 'mx2.example.net',
    originalSender: 'sender@example.org',
    originalHeaders: ORIGINAL_HEADERS,
    arrivalDate: '2026-11-27T09:00:00.000Z',
    queueId: 'Q123',
    originalEnvelopeId: 'env-42',
    dateMs: Date.parse('2026-11-28T09:00:00.000Z'),
    recipients: [
      { address: 'alice@example.com', status: '5.1.1', action: 'failed', remoteMta: 'mail.example.com', diagnostic: REJECTION, lastAttemptDate: '2026-11-27T09:05:00.000Z' },
      { address: 'bob@example.com', status: '5.7.1', action: 'failed', remoteMta: 'mail.example.com', diagnostic: MULTI_LINE, lastAttemptDate: new Date('2026-11-27T09:05:01.000Z') },
    ],
    ...overrides,
  };
}

interface ParsedDsn {
  top: MimePart;
  raw: string;
  parts: MimePart[];
  boundary: string;
}

async function composeAndParse(input: DsnInput): Promise<ParsedDsn> {
  const raw = (await composeDsn(input)).toString('utf8');
  const top = parsePart(raw);
  const contentType = parseContentType(header(top, 'content-type') ?? '');
  const boundary = contentType.params.boundary ?? '';
  return { top, raw, boundary, parts: splitMultipart(top.body, boundary).map(parsePart) };
}

/** message/delivery-status: blocks of fields separated by blank lines (RFC 3464 2.1). */
function statusBlocks(part: MimePart): Map<string, string[]>[] {
  return decodeBody(part)
    .split(/\r\n\r\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => parseHeaderBlock(block.replace(/\r\n$/, '')));
}

describe('composeDsn', () => {
  it('builds a multipart/report with the three RFC 3464 parts', async () => {
    const { top, raw, boundary, parts } = await composeAndParse(failureInput());
    assert.ok(!/[^\r]\n/.test(raw), 'every line ends in CRLF');
    const contentType = parseContentType(header(top, 'content-type') ?? '');
    assert.equal(contentType.type, 'multipart/report');
    assert.equal(contentType.params['report-type'], 'delivery-status');
    assert.ok(boundary.length > 0);
    assert.equal(header(top, 'mime-version'), '1.0');
    assert.deepEqual(
      parts.map((part) => parseContentType(header(part, 'content-type') ?? '').type),
      ['text/plain', 'message/delivery-status', 'text/rfc822-headers'],
    );
  });

  it('addresses the report from MAILER-DAEMON to the original sender, marked as automatic', async () => {
    const { top } = await composeAndParse(failureInput());
    assert.equal(header(top, 'from'), 'Mail Delivery System <MAILER-DAEMON@mx2.example.net>');
    assert.equal(header(top, 'to'), 'sender@example.org');
    assert.equal(header(top, 'subject'), 'Undelivered Mail Returned to Sender');
    assert.equal(header(top, 'auto-submitted'), 'auto-replied');
    assert.equal(header(top, 'date'), 'Sat, 28 Nov 2026 09:00:00 +0000');
    assert.match(header(top, 'message-id') ?? '', /^<Q123\.failure\.\d+@mx2\.example\.net>$/);
  });

  it('writes the per-message and per-recipient delivery-status fields', async () => {
    const { parts } = await composeAndParse(failureInput());
    const status = parts[1];
    assert.ok(status);
    assert.match(header(status, 'content-transfer-encoding') ?? '', /^7bit$/i);
    const [perMessage, alice, bob] = statusBlocks(status);
    assert.ok(perMessage && alice && bob);
    assert.deepEqual(perMessage.get('reporting-mta'), ['dns; mx2.example.net']);
    assert.deepEqual(perMessage.get('original-envelope-id'), ['env-42']);
    assert.deepEqual(perMessage.get('arrival-date'), ['Fri, 27 Nov 2026 09:00:00 +0000']);
    assert.deepEqual(perMessage.get('x-mxspool-queue-id'), ['Q123']);

    assert.deepEqual(alice.get('final-recipient'), ['rfc822; alice@example.com']);
    assert.deepEqual(alice.get('action'), ['failed']);
    assert.deepEqual(alice.get('status'), ['5.1.1']);
    assert.deepEqual(alice.get('remote-mta'), ['dns; mail.example.com']);
    assert.deepEqual(alice.get('diagnostic-code'), [`smtp; ${REJECTION}`]);
    assert.deepEqual(alice.get('last-attempt-date'), ['Fri, 27 Nov 2026 09:05:00 +0000']);
    assert.deepEqual(bob.get('last-attempt-date'), ['Fri, 27 Nov 2026 09:05:01 +0000']);
    assert.equal(bob.has('will-retry-until'), false);
  });

  it('writes an internationalised recipient as utf-8 xtext (RFC 6533), keeping the status part 7-bit', async () => {
    const address = 'jörg+news@bücher.example';
    const { parts } = await composeAndParse(failureInput({ recipients: [{ address, status: '5.1.1', action: 'failed', remoteMta: null, diagnostic: REJECTION, lastAttemptDate: null }] }));
    const status = parts[1]!;
    const [, recipient] = statusBlocks(status);
    assert.deepEqual(recipient?.get('final-recipient'), ['utf-8; j\\x{F6}rg\\x{2B}news@b\\x{FC}cher.example']);
    assert.ok([...decodeBody(status)].every((char) => char.charCodeAt(0) < 0x80), 'only 7-bit characters in message/delivery-status');
    assert.equal(recipientField('a+b=c\\d@example.com'), 'rfc822; a+b=c\\d@example.com', 'an ASCII address stays rfc822, unescaped');
    assert.equal(recipientField('😀@example.com'), 'utf-8; \\x{1F600}@example.com', 'a code point beyond the BMP is one escape');
  });

  it('folds a multi-line reply in Diagnostic-Code, each line kept exactly', async () => {
    const { parts } = await composeAndParse(failureInput());
    const raw = decodeBody(parts[1] as MimePart);
    const [first, second] = MULTI_LINE.split('\r\n');
    assert.ok(raw.includes(`Diagnostic-Code: smtp; ${first}\r\n ${second}\r\n`));
  });

  it('quotes each remote reply exactly in the human-readable part', async () => {
    const { parts } = await composeAndParse(failureInput());
    const text = decodeBody(parts[0] as MimePart);
    assert.match(text, /^This is the mail system at host mx2\.example\.net\./);
    assert.ok(text.includes(`<alice@example.com>: host mail.example.com said:\r\n    ${REJECTION}\r\n`));
    for (const line of MULTI_LINE.split('\r\n')) assert.ok(text.includes(`\r\n    ${line}\r\n`), line);
    assert.ok(text.includes('Queue ID: Q123'));
  });

  it('returns the original header block, with CRLF and without the body separator', async () => {
    const { parts } = await composeAndParse(failureInput());
    const headers = decodeBody(parts[2] as MimePart);
    assert.equal(headers, ORIGINAL_HEADERS.replace(/\n+$/, '').replace(/\n/g, '\r\n') + '\r\n');
  });

  it('writes a delay warning with Action: delayed and Will-Retry-Until', async () => {
    const { top, parts } = await composeAndParse(
      failureInput({
        kind: 'delay',
        originalEnvelopeId: null,
        willRetryUntil: '2026-12-04T09:00:00.000Z',
        recipients: [{ address: 'alice@example.com', status: '4.4.1', action: 'delayed', remoteMta: null, diagnostic: 'connect ECONNREFUSED 192.0.2.25:25', lastAttemptDate: '2026-11-27T13:00:00Z' }],
      }),
    );
    assert.equal(header(top, 'subject'), 'Delayed Mail (still being retried)');
    const [perMessage, alice] = statusBlocks(parts[1] as MimePart);
    assert.equal(perMessage?.has('original-envelope-id'), false);
    assert.deepEqual(alice?.get('action'), ['delayed']);
    assert.deepEqual(alice?.get('status'), ['4.4.1']);
    assert.equal(alice?.has('remote-mta'), false);
    // Not an SMTP reply, so not typed "smtp" (RFC 3464 2.3.6).
    assert.deepEqual(alice?.get('diagnostic-code'), ['X-MXSpool; connect ECONNREFUSED 192.0.2.25:25']);
    assert.deepEqual(alice?.get('will-retry-until'), ['Fri, 04 Dec 2026 09:00:00 +0000']);
    const text = decodeBody(parts[0] as MimePart);
    assert.ok(text.includes('you do not need to resend your message'));
    assert.ok(text.includes('    connect ECONNREFUSED 192.0.2.25:25\r\n'));
  });

  it('accepts a failed recipient with a 4.x.x status (a message that expired)', async () => {
    const input = failureInput({ recipients: [{ address: 'alice@example.com', status: '4.4.7', action: 'failed', remoteMta: null, diagnostic: null, lastAttemptDate: null }] });
    const { parts } = await composeAndParse(input);
    const [, alice] = statusBlocks(parts[1] as MimePart);
    assert.deepEqual(alice?.get('status'), ['4.4.7']);
    assert.equal(alice?.has('diagnostic-code'), false);
  });

  it('refuses the null sender, mismatched actions and codes, and header injection', async () => {
    const invalid = (error: unknown): boolean => error instanceof AppError && error.code === 'INVALID_INPUT';
    await assert.rejects(composeDsn(failureInput({ originalSender: '' })), invalid);
    await assert.rejects(composeDsn(failureInput({ recipients: [] })), invalid);
    const recipient = { address: 'alice@example.com', status: '5.1.1', action: 'delayed' as const, remoteMta: null, diagnostic: null, lastAttemptDate: null };
    await assert.rejects(composeDsn(failureInput({ recipients: [recipient] })), invalid);
    await assert.rejects(composeDsn(failureInput({ kind: 'delay', recipients: [recipient] })), invalid);
    await assert.rejects(composeDsn(failureInput({ recipients: [{ ...recipient, action: 'failed', status: '2.0.0' }] })), invalid);
    await assert.rejects(composeDsn(failureInput({ reportingMta: 'mx\r\nBcc: victim@example.com' })), invalid);
    await assert.rejects(composeDsn(failureInput({ arrivalDate: 'last week' })), invalid);
  });
});

describe('shouldBounce', () => {
  it('is false only for the null sender (RFC 5321 4.5.5)', () => {
    assert.equal(shouldBounce(''), false);
    assert.equal(shouldBounce('<>'), false);
    assert.equal(shouldBounce(' '), false);
    assert.equal(shouldBounce('sender@example.org'), true);
    assert.equal(shouldBounce('MAILER-DAEMON@example.org'), true);
    assert.equal(shouldBounce('postmaster@example.org'), true);
  });
});
