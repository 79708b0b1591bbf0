import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeChunk, speedUpDataStream } from '../../../electron/engine/delivery/fast-dot-stuffing.js';
import { seeded } from '../../support/seeded-random.js';

interface TransformState {
  inByteCount: number;
  outByteCount: number;
  lastByte: number | false;
  push(data: Buffer): void;
}
type Transform = (this: TransformState, chunk: Buffer, encoding: BufferEncoding, done: () => void) => void;

/** Runs a DataStream-like transform over the chunks and returns everything it pushed. */
function run(transform: Transform, chunks: Buffer[]): Buffer {
  const out: Buffer[] = [];
  const state: TransformState = { inByteCount: 0, outByteCount: 0, lastByte: false, push: (data) => void out.push(Buffer.from(data)) };
  for (const chunk of chunks) transform.call(state, chunk, 'latin1', () => undefined);
  return Buffer.concat(out);
}

test('escapeChunk gives exactly nodemailer DataStream\'s output on random bodies cut into random chunks', async () => {
  const original = (await speedUpDataStream()) as Transform | null;
  assert.ok(original, 'nodemailer\'s DataStream was found and replaced (if this fails, nodemailer moved it)');
  const fast: Transform = function (chunk, _encoding, done) {
    this.push(escapeChunk(chunk, this.lastByte));
    this.lastByte = chunk[chunk.length - 1]!;
    done();
  };
  const random = seeded(5321);
  // Few distinct bytes, so CR, LF and dots meet in every combination, at chunk edges too.
  const alphabet = [0x0d, 0x0a, 0x2e, 0x61, 0x20];
  for (let round = 0; round < 3000; round++) {
    const body = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 200) }, () => alphabet[Math.floor(random() * alphabet.length)]!));
    const chunks: Buffer[] = [];
    for (let at = 0; at < body.length; ) {
      const size = 1 + Math.floor(random() * 40);
      chunks.push(body.subarray(at, at + size));
      at += size;
    }
    const expected = run(original, chunks);
    assert.deepEqual(run(fast, chunks), expected, JSON.stringify(body.toString('latin1')));
  }
});

test('a body of ordinary CRLF lines without leading dots is passed through as the same buffer (no copy)', () => {
  const body = Buffer.from('Subject: hi\r\n\r\nline one\r\nline two\r\n');
  assert.equal(escapeChunk(body, false), body);
  assert.equal(escapeChunk(Buffer.from('.hidden\r\n..two\r\n'), false).toString(), '..hidden\r\n...two\r\n');
  assert.equal(escapeChunk(Buffer.from('a\r.\rb\n.\nc'), false).toString(), 'a\r\n..\r\nb\r\n..\r\nc', 'a dot after a bare CR or LF is stuffed: never an end of data');
});
