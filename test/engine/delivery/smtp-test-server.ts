import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Destination } from '../../../electron/contract/settings-schema.js';
import type { DeliveryOptions, OutboundMessage } from '../../../electron/engine/delivery/delivery-types.js';

/** One message as the destination received it. */
export interface ReceivedMessage {
  sessionId: string;
  mailFrom: string;
  rcptTo: string[];
  data: Buffer;
  secure: boolean;
  servername: string | null;
  user: unknown;
}

/** An SMTP refusal as smtp-server sends it: `${responseCode} ${message}`. */
export function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

export interface TestServerBehaviour {
  /** Refuse the session at the greeting. */
  greeting?: () => Error | null;
  mailFrom?: (address: string, session: SMTPServerSession) => Error | null;
  /** Destroy the socket instead of answering this MAIL FROM (a session the server dropped meanwhile). */
  dropAtMailFrom?: (session: SMTPServerSession) => boolean;
  rcptTo?: (address: string) => Error | null;
  /** Reply to the end of DATA; null accepts with smtp-server's "250 OK: message queued". */
  endOfData?: (data: Buffer) => Error | null;
  /** Destroy the socket as soon as the first DATA bytes arrive. */
  dropInData?: boolean;
  /** Read the message and never answer it, so it stays in flight. */
  neverAnswerData?: boolean;
}

/**
 * A real smtp-server on 127.0.0.1:0 that records what it receives and counts its sessions, for delivery
 * tests. No reverse DNS: test traffic stays on the loopback address.
 */
export class TestSmtpServer {
  readonly messages: ReceivedMessage[] = [];
  readonly mailFromCalls: string[] = [];
  readonly rcptToCalls: string[] = [];
  dataCalls = 0;
  sessionsOpened = 0;
  sessionsClosed = 0;
  openSessions = 0;
  maxOpenSessions = 0;
  /** Messages received per session id, to check maxMessagesPerConnection. */
  readonly messagesPerSession = new Map<string, number>();

  private listening: { server: SMTPServer; port: number } | null = null;

  private constructor() {}

  get server(): SMTPServer {
    if (!this.listening) throw new Error('server not started');
    return this.listening.server;
  }

  get port(): number {
    if (!this.listening) throw new Error('server not started');
    return this.listening.port;
  }

  static async start(behaviour: TestServerBehaviour = {}, serverOptions: Partial<SMTPServerOptions> = {}): Promise<TestSmtpServer> {
    const self = new TestSmtpServer();
    const server = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      ...serverOptions,
      onConnect(_session, callback) {
        self.sessionsOpened += 1;
        self.openSessions += 1;
        self.maxOpenSessions = Math.max(self.maxOpenSessions, self.openSessions);
        callback(behaviour.greeting?.() ?? null);
      },
      onClose() {
        self.sessionsClosed += 1;
        self.openSessions -= 1;
      },
      onMailFrom(address, session, callback) {
        self.mailFromCalls.push(address.address);
        if (behaviour.dropAtMailFrom?.(session)) return self.dropSession(session);
        callback(behaviour.mailFrom?.(address.address, session) ?? null);
      },
      onRcptTo(address, _session, callback) {
        self.rcptToCalls.push(address.address);
        callback(behaviour.rcptTo?.(address.address) ?? null);
      },
      onData(stream, session, callback) {
        self.dataCalls += 1;
        const chunks: Buffer[] = [];
        if (behaviour.dropInData) {
          stream.once('data', () => self.dropSession(session));
          stream.resume();
          return;
        }
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        if (behaviour.neverAnswerData) return;
        stream.on('end', () => {
          const data = Buffer.concat(chunks);
          const refusal = behaviour.endOfData?.(data) ?? null;
          if (!refusal) self.record(session, data);
          callback(refusal);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    self.listening = { server, port: (server.server.address() as net.AddressInfo).port };
    return self;
  }

  /** Drops every open session from the server side, as a server restarting would. */
  dropAllSessions(): void {
    for (const connection of this.server.connections) connection._socket.destroy();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private dropSession(session: SMTPServerSession): void {
    for (const connection of this.server.connections) if (connection.id === session.id) connection._socket.destroy();
  }

  private record(session: SMTPServerSession, data: Buffer): void {
    const mailFrom = session.envelope.mailFrom;
    this.messages.push({
      sessionId: session.id,
      mailFrom: mailFrom === false ? '<none>' : mailFrom.address,
      rcptTo: session.envelope.rcptTo.map((address) => address.address),
      data,
      secure: session.secure,
      servername: typeof session.servername === 'string' ? session.servername : null,
      user: session.user,
    });
    this.messagesPerSession.set(session.id, (this.messagesPerSession.get(session.id) ?? 0) + 1);
  }
}

export { closedPort } from '../../support/closed-port.js';

/**
 * A TCP relay on 127.0.0.1:0 in front of a server that keeps every byte the client sent, to check what went
 * over the wire (dot-stuffing, line ends, RSET).
 */
export class RecordingProxy {
  private readonly chunks: Buffer[] = [];
  private readonly sockets = new Set<net.Socket>();

  port = 0;

  private constructor(private readonly server: net.Server) {}

  static async start(targetPort: number): Promise<RecordingProxy> {
    const server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      self.sockets.add(client).add(upstream);
      client.on('data', (chunk: Buffer) => self.chunks.push(chunk));
      client.pipe(upstream).pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    const self = new RecordingProxy(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    self.port = (server.address() as net.AddressInfo).port;
    return self;
  }

  /** Everything clients sent, in order. */
  get clientBytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function makeTempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'mx-spool-delivery-'));
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stores `body` as a spooled message would be and returns the OutboundMessage for it. */
export async function storeMessage(dir: string, body: Buffer | string, fields: Partial<OutboundMessage> = {}): Promise<OutboundMessage> {
  const queueId = fields.queueId ?? `q${Math.random().toString(36).slice(2, 10)}`;
  const bodyPath = path.join(dir, `${queueId}.eml`);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  await fs.writeFile(bodyPath, bytes);
  return {
    queueId,
    messageId: '<test@example.org>',
    domain: 'office.example',
    from: 'sender@example.org',
    recipients: ['alice@office.example'],
    bodyPath,
    size: bytes.length,
    ...fields,
  };
}

export const testDeliveryOptions: DeliveryOptions = {
  heloName: 'backup-mx.test',
  connectTimeoutMs: 2_000,
  socketTimeoutMs: 5_000,
  maxConnectionsPerDestination: 5,
  maxMessagesPerConnection: 100,
};

/** Starts test servers and remembers them, so one after-hook closes them all. */
export function testServers(): { start: typeof TestSmtpServer.start; closeAll: () => Promise<void> } {
  const started: TestSmtpServer[] = [];
  return {
    async start(...args: Parameters<typeof TestSmtpServer.start>) {
      const server = await TestSmtpServer.start(...args);
      started.push(server);
      return server;
    },
    closeAll: async () => {
      await Promise.all(started.map((server) => server.close()));
    },
  };
}

/** A plain-text destination on 127.0.0.1. */
export function destination(port: number, fields: Partial<Destination> = {}): Destination {
  return { host: '127.0.0.1', port, tls: 'none', verifyCertificate: false, ...fields };
}

/** Polls until `check` holds; for server-side counters that settle after the client side (unit: ms). */
export async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
