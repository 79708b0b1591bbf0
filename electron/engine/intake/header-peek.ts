const LF = 0x0a;
const CR = 0x0d;

/**
 * Watches the first bytes of a message for the header block and pulls out the fields the queue shows
 * (Message-ID, Subject). It never alters the bytes: the spool keeps the message exactly as received.
 *
 * The bytes are copied once into a buffer of at most `maxBytes` and only the newly arrived ones are
 * searched for the blank line, so the cost is linear in the header size however the client splits it:
 * a sender trickling its header a byte per TCP segment must not turn 64 KiB into 2 GB of copying.
 */
export class HeaderPeek {
  private buffer: Buffer | null = null;
  private length = 0;
  private done = false;
  private fields: { messageId: string | null; subject: string | null } = { messageId: null, subject: null };

  constructor(private readonly maxBytes = 64 * 1024) {}

  push(chunk: Buffer): void {
    if (this.done) return;
    this.buffer ??= Buffer.allocUnsafe(this.maxBytes);
    const take = Math.min(chunk.length, this.maxBytes - this.length);
    chunk.copy(this.buffer, this.length, 0, take);
    // A blank line ("\n\n", "\n\r\n") may straddle the previous chunk: look two bytes back.
    const searchFrom = Math.max(0, this.length - 2);
    this.length += take;
    const end = headerEnd(this.buffer, searchFrom, this.length);
    if (end !== -1) this.finish(end);
    else if (this.length >= this.maxBytes) this.finish(this.length);
  }

  result(): { messageId: string | null; subject: string | null } {
    if (!this.done) this.finish(this.length);
    return this.fields;
  }

  private finish(end: number): void {
    this.done = true;
    const headerText = this.buffer ? this.buffer.toString('utf8', 0, end) : '';
    this.buffer = null;
    const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' '); // RFC 5322 2.2.3 unfolding
    this.fields = { messageId: field(unfolded, 'message-id'), subject: field(unfolded, 'subject') };
  }
}

/** Index of the LF that ends the last header line (the one before an empty line), or -1. */
function headerEnd(buffer: Buffer, from: number, to: number): number {
  const bytes = buffer.subarray(0, to); // past `to` the buffer holds no data yet
  for (let i = bytes.indexOf(LF, from); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    if (bytes[i + 1] === LF) return i;
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return i;
  }
  return -1;
}

function field(headers: string, name: string): string | null {
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim().slice(0, 998) || null;
  }
  return null;
}
