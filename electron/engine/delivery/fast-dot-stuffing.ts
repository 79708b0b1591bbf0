import type { Transform, TransformCallback } from 'node:stream';
import { escapeChunk } from './smtp-data-escape.js';

interface DataStreamLike extends Transform {
  inByteCount: number;
  outByteCount: number;
  lastByte: number | false;
}

/** Whole messages escaped ahead (escapedForData, on the spool's file thread): sent as they are. */
const escapedAhead = new WeakSet<Buffer>();

/**
 * nodemailer DataStream's `_transform`, with escapeChunk doing the scan (or none, for a message escaped
 * ahead). Counters as nodemailer keeps them.
 */
function fastTransform(this: DataStreamLike, chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
  if (!chunk || chunk.length === 0) return done();
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  this.inByteCount += bytes.length;
  const out = escapedAhead.has(bytes) ? bytes : escapeChunk(bytes, this.lastByte);
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

/**
 * Whether a message escaped ahead (escapedForData) can be handed to nodemailer: only through this module's
 * transform, which knows to pass it on unchanged. nodemailer's own would stuff its dots a second time.
 */
export function sendsEscapedAsIs(): boolean {
  return replaced !== null;
}

/**
 * Marks a whole message escaped by escapedForData, to be sent as the body stream's only chunk: the transform
 * passes this very buffer on unchanged. Throws where that transform is not in place (see sendsEscapedAsIs).
 */
export function markEscaped(message: Buffer): Buffer {
  if (replaced === null) throw new Error('A message escaped ahead can only be sent through the faster DataStream transform');
  escapedAhead.add(message);
  return message;
}
