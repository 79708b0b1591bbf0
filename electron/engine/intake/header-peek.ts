/**
 * Watches the first bytes of a message for the header block and pulls out the fields the queue shows
 * (Message-ID, Subject). It never alters the bytes: the spool keeps the message exactly as received.
 */
export class HeaderPeek {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  private fields: { messageId: string | null; subject: string | null } = { messageId: null, subject: null };

  constructor(private readonly maxBytes = 64 * 1024) {}

  push(chunk: Buffer): void {
    if (this.done) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    const text = Buffer.concat(this.chunks, this.length).toString('utf8');
    const end = text.search(/\r?\n\r?\n/);
    if (end !== -1 || this.length >= this.maxBytes) this.finish(end === -1 ? text : text.slice(0, end));
  }

  result(): { messageId: string | null; subject: string | null } {
    if (!this.done) this.finish(Buffer.concat(this.chunks, this.length).toString('utf8'));
    return this.fields;
  }

  private finish(headerText: string): void {
    this.done = true;
    this.chunks = [];
    const unfolded = headerText.replace(/\r?\n[ \t]+/g, ' '); // RFC 5322 2.2.3 unfolding
    this.fields = { messageId: field(unfolded, 'message-id'), subject: field(unfolded, 'subject') };
  }
}

function field(headers: string, name: string): string | null {
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim().slice(0, 998) || null;
  }
  return null;
}
