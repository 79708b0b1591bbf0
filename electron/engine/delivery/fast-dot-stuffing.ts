import type { Transform, TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const INSERT_LF = Buffer.from('\n');
const INSERT_LF_DOT = Buffer.from('\n.');
const INSERT_CR = Buffer.from('\r');
const INSERT_DOT = Buffer.from('.');

/**
 * nodemailer's DataStream (the DATA body on its way to the server: dot-stuffing per RFC 5321 4.5.2, bare CR
 * and bare LF turned into CRLF) looks at every byte in JavaScript: 30 % of the engine's time when draining
 * 50 KB messages. This does the same with Buffer.indexOf, which jumps from line end to line end in native
 * code, and is put in place of `DataStream.prototype._transform` by `speedUpDataStream`. Same output, byte
 * for byte (test/engine/delivery/fast-dot-stuffing.test.ts compares it with nodemailer's own on random data).
 *
 * The rules, for the byte at i with `prev` the byte before it (the previous chunk's last byte at i = 0,
 * `false` at the very start), first match wins, as in nodemailer:
 *  1. prev is CR and the byte is not LF: insert LF ("\n." when the byte is a dot: a dot after a bare CR is
 *     stuffed like at the start of any line, so "\r.\r" can never end the data, SMTP smuggling);
 *  2. the byte is LF and prev is not CR: insert CR;
 *  3. the byte is a dot and prev is LF (or the start): insert a dot.
 * Only bytes that are CR or LF, or follow one, can match, so only those positions are visited.
 */
export function escapeChunk(chunk: Buffer, lastByte: number | false): Buffer {
  const parts: Buffer[] = [];
  let copied = 0;
  const insertAt = (position: number, bytes: Buffer) => {
    if (position > copied) parts.push(chunk.subarray(copied, position));
    parts.push(bytes);
    copied = position;
  };
  // The first byte, against the previous chunk's last.
  const first = chunk[0]!;
  if (lastByte === CR && first !== LF) insertAt(0, first === DOT ? INSERT_LF_DOT : INSERT_LF);
  else if (first === DOT && (lastByte === LF || lastByte === false)) insertAt(0, INSERT_DOT);
  // LF at 0 is handled below with prev = lastByte.

  let nextCr = chunk.indexOf(CR);
  let nextLf = chunk.indexOf(LF);
  while (nextCr !== -1 || nextLf !== -1) {
    if (nextLf !== -1 && (nextCr === -1 || nextLf < nextCr)) {
      const position = nextLf;
      const prev = position > 0 ? chunk[position - 1] : lastByte;
      if (prev !== CR) insertAt(position, INSERT_CR);
      const after = position + 1;
      if (after < chunk.length && chunk[after] === DOT) insertAt(after, INSERT_DOT);
      nextLf = chunk.indexOf(LF, position + 1);
    } else {
      const after = nextCr + 1;
      if (after < chunk.length && chunk[after] !== LF) insertAt(after, chunk[after] === DOT ? INSERT_LF_DOT : INSERT_LF);
      nextCr = chunk.indexOf(CR, nextCr + 1);
    }
  }
  if (parts.length === 0) return chunk;
  if (copied < chunk.length) parts.push(chunk.subarray(copied));
  return Buffer.concat(parts);
}

interface DataStreamLike extends Transform {
  inByteCount: number;
  outByteCount: number;
  lastByte: number | false;
}

/** nodemailer DataStream's `_transform`, with escapeChunk doing the scan. Counters as nodemailer keeps them. */
function fastTransform(this: DataStreamLike, chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
  if (!chunk || chunk.length === 0) return done();
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  this.inByteCount += bytes.length;
  const out = escapeChunk(bytes, this.lastByte);
  this.outByteCount += out.length;
  this.push(out);
  this.lastByte = bytes[bytes.length - 1]!;
  done();
}

type TransformMethod = (this: DataStreamLike, chunk: Buffer, encoding: BufferEncoding, done: TransformCallback) => void;
let replaced: TransformMethod | null = null;

/**
 * Replaces the transform of nodemailer's DataStream class (found beside its SMTP connection module, which
 * the package does not export). Returns nodemailer's own transform (for the equivalence test), or null when
 * the file or the method is not where nodemailer 10 keeps them: then nothing is changed and delivery uses
 * nodemailer's own scan. Calling it again changes nothing.
 */
export async function speedUpDataStream(): Promise<TransformMethod | null> {
  if (replaced) return replaced;
  try {
    const connection = import.meta.resolve('nodemailer/lib/smtp-connection');
    const module = (await import(new URL('./data-stream.js', connection).href)) as { default?: { prototype?: { _transform?: unknown } } };
    const prototype = module.default?.prototype;
    if (typeof prototype?._transform !== 'function') return null;
    replaced = prototype._transform as TransformMethod;
    prototype._transform = fastTransform;
    return replaced;
  } catch {
    return null;
  }
}
