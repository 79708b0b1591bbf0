import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One DATA phase as the destination saw it: from its first byte to the final dot (completed) or a cut. */
export interface DataAttempt {
  messageId: string | null;
  startedAt: number;
  endedAt: number | null;
  completed: boolean;
}

export interface DeliveredMessage {
  messageId: string | null;
  raw: Buffer;
  at: number;
}

export interface RecordingDestinationOptions {
  /** Called for each chunk of DATA; true = destroy the connection now (the office server dies mid-DATA). */
  cutDuring?: (messageId: string | null, bytesSoFar: number) => boolean;
}

/**
 * The office mail server for crash tests: a real smtp-server on a fixed 127.0.0.1 port that can go away
 * (listener closed and every connection destroyed at once, as a server that loses power) and come back on
 * the same port. It keeps every DATA phase with its times, so a test can tell which deliveries were in
 * flight at a given moment, and records a message only once its 250 has been handed to the socket.
 */
export class RecordingDestination {
  readonly delivered: DeliveredMessage[] = [];
  readonly attempts: DataAttempt[] = [];
  private server: SMTPServer | null = null;
  private readonly sockets = new Set<Socket>();
  /** Bumped by stop(): a message whose final dot was parsed just before the stop is never answered nor kept. */
  private life = 0;

  private constructor(
    readonly port: number,
    private readonly options: RecordingDestinationOptions,
  ) {}

  /** A destination on a free port, not yet listening: `start()` it when the office server should be up. */
  static async create(options: RecordingDestinationOptions = {}): Promise<RecordingDestination> {
    const probe = new RecordingDestination(0, options);
    await probe.listen(0);
    const port = probe.port === 0 ? probe.boundPort() : probe.port;
    await probe.stop();
    return new RecordingDestination(port, options);
  }

  get up(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  /** Gone at once: no 421, no grace period; a transaction in DATA is cut where it is. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.life += 1;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  count(messageId: string): number {
    return this.delivered.filter((message) => message.messageId === messageId).length;
  }

  private boundPort(): number {
    return (this.server?.server.address() as AddressInfo).port;
  }

  private async listen(port: number): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      closeTimeout: 100,
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('error', () => undefined); // a destroyed connection is the point of this server
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null, message?: string) => void): void {
    const attempt: DataAttempt = { messageId: null, startedAt: Date.now(), endedAt: null, completed: false };
    this.attempts.push(attempt);
    const chunks: Buffer[] = [];
    let bytes = 0;
    let cut = false;
    const life = this.life;
    stream.on('data', (chunk: Buffer) => {
      if (cut) return;
      chunks.push(chunk);
      bytes += chunk.length;
      if (attempt.messageId === null) attempt.messageId = messageIdOf(Buffer.concat(chunks));
      if (this.options.cutDuring?.(attempt.messageId, bytes)) {
        // Dead from here on: bytes already buffered behind this chunk (even the final dot) are never processed.
        cut = true;
        attempt.endedAt = Date.now();
        for (const socket of this.sockets) if (socket.remotePort === session.remotePort) socket.destroy();
      }
    });
    stream.on('close', () => {
      if (attempt.endedAt === null) attempt.endedAt = Date.now(); // cut before the final dot
    });
    stream.on('error', () => undefined);
    stream.on('end', () => {
      if (cut || life !== this.life) {
        attempt.endedAt ??= Date.now();
        return;
      }
      const raw = Buffer.concat(chunks);
      callback(null, 'Ok: queued');
      // Recorded after the 250 went to the socket: what the sender can know was delivered.
      attempt.endedAt = Date.now();
      attempt.completed = true;
      this.delivered.push({ messageId: messageIdOf(raw), raw, at: attempt.endedAt });
    });
  }
}

function messageIdOf(raw: Buffer): string | null {
  const head = raw.toString('latin1');
  const end = head.indexOf('\r\n\r\n');
  return /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(end === -1 ? head : head.slice(0, end))?.[1] ?? null;
}
