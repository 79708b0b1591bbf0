import net from 'node:net';

/** One complete SMTP reply (RFC 5321 4.2): every line, and the code of its last line. */
export interface SmtpReplyLines {
  code: number;
  lines: string[];
}

/**
 * A byte-exact SMTP client that reads replies one at a time, for tests that send what no well-behaved
 * client would (relay tricks, garbage, overlong lines, pipelined bursts). Every line the server sends
 * is checked to have the form of RFC 5321 4.2 ("NNN" then " ", "-" or the end); anything else is kept in
 * `malformed` so a test can assert there was none.
 */
export class SmtpDialog {
  readonly malformed: string[] = [];
  readonly closed: Promise<void>;
  private buffer = '';
  private readonly replies: SmtpReplyLines[] = [];
  private pendingLines: string[] = [];
  private waiter: (() => void) | null = null;
  private isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', () => undefined); // a reset shows as `closed`; the test looks at the replies
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** Connects to 127.0.0.1:port and reads the greeting. */
  static async open(port: number): Promise<{ dialog: SmtpDialog; greeting: SmtpReplyLines | null }> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const dialog = new SmtpDialog(socket);
    return { dialog, greeting: await dialog.read() };
  }

  get hasClosed(): boolean {
    return this.isClosed;
  }

  /** Writes the bytes as they are (no CRLF added). */
  write(bytes: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends one command line (CRLF added) and returns its reply, or null if the server closed instead. */
  async command(line: string | Buffer, timeoutMs = 10_000): Promise<SmtpReplyLines | null> {
    this.write(typeof line === 'string' ? `${line}\r\n` : Buffer.concat([line, Buffer.from('\r\n')]));
    return this.read(timeoutMs);
  }

  /** The next complete reply; null once the connection closed with none left. */
  async read(timeoutMs = 10_000): Promise<SmtpReplyLines | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length === 0) {
      if (this.isClosed) return null;
      if (Date.now() > deadline) throw new Error(`no SMTP reply within ${timeoutMs} ms (partial: ${JSON.stringify(this.buffer.slice(0, 200))})`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.replies.shift() ?? null;
  }

  /** Reads `count` replies (a pipelined burst, RFC 2920); stops early if the server closes. */
  async readMany(count: number, timeoutMs = 20_000): Promise<SmtpReplyLines[]> {
    const result: SmtpReplyLines[] = [];
    for (let i = 0; i < count; i++) {
      const reply = await this.read(timeoutMs);
      if (!reply) break;
      result.push(reply);
    }
    return result;
  }

  /** QUIT if still open, then closes the socket. */
  async quit(): Promise<void> {
    if (!this.isClosed) {
      this.write('QUIT\r\n');
      await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    }
    this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    this.buffer += data.toString('latin1');
    let end;
    while ((end = this.buffer.indexOf('\r\n')) !== -1) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const match = /^([2-5]\d\d)([ -]|$)/.exec(line);
      if (!match) {
        this.malformed.push(line);
        continue;
      }
      this.pendingLines.push(line);
      if (match[2] !== '-') {
        this.replies.push({ code: Number(match[1]), lines: this.pendingLines });
        this.pendingLines = [];
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
