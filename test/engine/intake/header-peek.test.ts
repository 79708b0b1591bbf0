import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeaderPeek } from '../../../electron/engine/intake/header-peek.js';
import { seeded } from '../../support/seeded-random.js';

function peek(chunks: Buffer[], maxBytes?: number): { messageId: string | null; subject: string | null } {
  const headerPeek = new HeaderPeek(maxBytes);
  for (const chunk of chunks) headerPeek.push(chunk);
  return headerPeek.result();
}

/** The message cut into random pieces (1 to 7 bytes), as a client's TCP segments may arrive. */
function pieces(text: string, seed: number): Buffer[] {
  const random = seeded(seed);
  const bytes = Buffer.from(text, 'utf8');
  const result: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * 7);
    result.push(bytes.subarray(at, at + size));
    at += size;
  }
  return result;
}

test('finds Subject and Message-ID before the first empty line, whatever the chunking and line ends', () => {
  const cases: [string, { messageId: string | null; subject: string | null }][] = [
    ['Subject: hi\r\nMessage-ID: <a@b>\r\n\r\nSubject: not me\r\n', { messageId: '<a@b>', subject: 'hi' }],
    ['Subject: bare\nMessage-ID: <c@d>\n\nMessage-ID: <body@x>\n', { messageId: '<c@d>', subject: 'bare' }],
    ['Subject: mixed\n\r\nMessage-ID: <body@x>\r\n', { messageId: null, subject: 'mixed' }],
    ['Subject: folded\r\n  on two lines\r\n\r\n', { messageId: null, subject: 'folded on two lines' }],
    ['Subject: Grüße\r\n\r\n', { messageId: null, subject: 'Grüße' }],
    ['X-Only: header, no body', { messageId: null, subject: null }],
  ];
  for (const [text, expected] of cases) {
    assert.deepEqual(peek([Buffer.from(text, 'utf8')]), expected, JSON.stringify(text));
    for (let seed = 1; seed <= 20; seed++) assert.deepEqual(peek(pieces(text, seed)), expected, `${JSON.stringify(text)} seed ${seed}`);
  }
});

test('reads at most maxBytes of header', () => {
  assert.deepEqual(peek([Buffer.from(`X-Pad: ${'p'.repeat(100)}\r\nSubject: too late\r\n\r\n`)], 64), { messageId: null, subject: null });
});

// A client can send its header a byte per TCP segment. Re-reading everything on each byte (as an earlier
// version did) took about 90 s of CPU for 64 KiB, stalling every session; the timeout bounds the work.
test('64 KiB of header pushed one byte at a time is scanned in linear time', { timeout: 20_000 }, async () => {
  const header = Buffer.from(`${'X-Header: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1100)}Subject: last\r\n\r\n`);
  const headerPeek = new HeaderPeek();
  for (let i = 0; i < header.length; i++) {
    headerPeek.push(header.subarray(i, i + 1));
    if (i % 1024 === 0) await new Promise(setImmediate); // lets the test timeout fire
  }
  assert.deepEqual(headerPeek.result(), { messageId: null, subject: null }, 'Subject lies past the 64 KiB read');
});
