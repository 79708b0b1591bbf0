import type { PassThrough } from 'node:stream';

/** The parts of smtp-server's SMTPStream (3.21) that its data-mode step uses. */
export interface SmtpStreamInternals {
  _dataStream: PassThrough;
  _lastBytes: Buffer | false;
  _atDataStart: boolean;
  _countDataBytes(length: number): void;
  _endDataMode(chunk: Buffer | false, remainder: Buffer, done: () => void): void;
  _feedDataStream(chunk: Buffer, done: () => void): void;
}

const END_SEQUENCE = Buffer.from('\r\n.\r\n');
const TERMINATOR_AT_START = Buffer.from('.\r\n');
const LINE_STARTING_WITH_DOT = Buffer.from('\n.');

/**
 * smtp-server's SMTPStream._feedDataStream (3.21.x) with one change: its search for a line that starts
 * with a dot walks the chunk byte by byte in JavaScript (8-10 % of the engine's thread taking 50 KiB
 * messages, docs/benchmarks.md, session 8); this one asks `Buffer.indexOf` for "\n." and visits only
 * those places, in the same order and within the same bounds (i from 2 to length - 3). Everything else,
 * the end-of-data and dot-stuffing handling that guards against SMTP smuggling included, is copied
 * unchanged. test/engine/intake/fast-data-scan.test.ts feeds random messages in random chunkings to both
 * and requires the same bytes, the same end and the same remainder, and checks that the original is still
 * the body this was copied from.
 */
export function feedDataStream(this: SmtpStreamInternals, input: Buffer, done: () => void): void {
  // only called in data mode, which always has a stream
  const dataStream = this._dataStream;
  let chunk = input;
  if (this._lastBytes && this._lastBytes.length) {
    chunk = Buffer.concat([this._lastBytes, chunk], this._lastBytes.length + chunk.length);
    this._lastBytes = false;
  }
  let len = chunk.length;
  // The data must not start with the end terminator: see smtp-server's comment (a first line that is a
  // single dot, sent dot-stuffed as "..", is content once its escape dot was stripped).
  if (this._atDataStart && len >= 3 && Buffer.compare(chunk.subarray(0, 3), TERMINATOR_AT_START) === 0) {
    this._endDataMode(false, chunk.subarray(3), done);
    return;
  }
  // check if the first symbol is an escape dot
  if (this._atDataStart && len >= 2 && chunk[0] === 0x2e && chunk[1] === 0x2e) {
    chunk = chunk.subarray(1);
    len--;
    this._atDataStart = false;
  }
  // seek for the stream ending: each i with chunk[i - 1] === "\n" and chunk[i] === ".", 2 <= i < len - 2
  for (let lf = chunk.indexOf(LINE_STARTING_WITH_DOT, 1); lf !== -1 && lf + 1 < len - 2; lf = chunk.indexOf(LINE_STARTING_WITH_DOT, lf + 1)) {
    const i = lf + 1;
    // if the dot matches end terminator
    if (Buffer.compare(chunk.subarray(i - 2, i + 3), END_SEQUENCE) === 0) {
      const buf = chunk.subarray(0, i);
      this._countDataBytes(buf.length);
      this._endDataMode(buf, chunk.subarray(i + 3), done);
      return;
    }
    // check if the dot is an escape char and remove it
    if (chunk[i + 1] === 0x2e) {
      const buf = chunk.subarray(0, i);
      this._lastBytes = false;
      this._countDataBytes(buf.length);
      if (dataStream.writable) dataStream.write(buf);
      const rest = chunk.subarray(i + 1);
      setImmediate(() => this._feedDataStream(rest, done));
      return;
    }
  }
  // keep the last bytes
  this._lastBytes = chunk.length < 4 ? chunk : chunk.subarray(chunk.length - 4);
  // if current chunk is longer than the remainder bytes we keep for later emit the available bytes
  if (this._lastBytes.length < chunk.length) {
    const buf = chunk.subarray(0, chunk.length - this._lastBytes.length);
    this._countDataBytes(buf.length);
    // write to stream but stop if need to wait for drain
    if (dataStream.writable) {
      const handled = dataStream.write(buf);
      if (!handled && !dataStream.destroyed) {
        // a stream that the application destroys never drains, it only closes
        const onDrain = () => {
          dataStream.removeListener('drain', onDrain);
          dataStream.removeListener('close', onDrain);
          done();
        };
        dataStream.once('drain', onDrain);
        dataStream.once('close', onDrain);
      } else {
        done();
      }
    } else {
      done();
    }
  } else {
    // nothing to emit, continue with the input stream
    done();
  }
}
