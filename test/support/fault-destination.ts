import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** An SMTP reply as the destination sends it: code and text ("4.3.0 Try later"), sent as "451 4.3.0 Try later". */
export interface FaultReply {
  code: number;
  text: string;
}

/**
 * One way the office server can misbehave. Switch `destination.fault` at any time: it applies from the next
 * command (or connection, for the greeting faults).
 */
export type DestinationFault =
  | { kind: 'none' }
  /** Accepts the TCP connection and never sends the 220 greeting. */
  | { kind: 'silent-greeting' }
  /** Answers the connection with this reply instead of 220 (and closes). */
  | { kind: 'greeting'; reply: FaultReply }
  /** Offers STARTTLS, answers it with this reply instead of 220 Ready. */
  | { kind: 'starttls-reply'; reply: FaultReply }
  /** Offers STARTTLS, answers 220 Ready, then sends bytes that are not TLS: the handshake fails, as behind a broken middlebox. */
  | { kind: 'starttls-broken' }
  | { kind: 'mail'; reply: FaultReply }
  /** Greets, then never answers MAIL FROM. */
  | { kind: 'silent-mail' }
  /** Refuses the recipients matching `only` (all when omitted) with this reply; the others get 250. */
  | { kind: 'rcpt'; reply: FaultReply; only?: RegExp }
  /** Reads the whole message, then answers the end of DATA with this reply. */
  | { kind: 'data-end'; reply: FaultReply }
  /** Destroys the TCP connection as soon as the first bytes of the message arrive. */
  | { kind: 'cut-mid-data' };

export interface FaultMessage {
  from: string;
  to: string[];
  raw: Buffer;
  messageId: string | null;
  secure: boolean;
}

export interface FaultDestination {
  port: number;
  fault: DestinationFault;
  /** Messages accepted with 250 at the end of DATA. */
  readonly messages: FaultMessage[];
  /** TCP connections accepted, whatever happened on them (probes included). */
  readonly connections: number;
  /** MAIL FROM commands received. */
  readonly mailCommands: number;
  close(): Promise<void>;
}

/** Internals of smtp-server's connection object that a fault needs (the command handlers are looked up by name). */
interface ServerConnection {
  session?: SMTPServerSession;
  id?: string;
  _socket?: Socket;
  send(code: number, text: string): void;
  handler_STARTTLS?: (command: Buffer, callback: () => void) => void;
}

function refusal(reply: FaultReply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.text), { responseCode: reply.code });
}

/**
 * A real smtp-server on 127.0.0.1 standing in for the office server, with one scriptable fault at a time.
 * With `tls` it offers STARTTLS with that certificate; without, STARTTLS is not offered.
 */
export async function startFaultDestination(options: { tls?: { key: string; cert: string }; fault?: DestinationFault; port?: number } = {}): Promise<FaultDestination> {
  const messages: FaultMessage[] = [];
  let connections = 0;
  let mailCommands = 0;
  const state = { fault: options.fault ?? ({ kind: 'none' } as DestinationFault) };

  const connectionOf = (session: SMTPServerSession): ServerConnection | undefined => {
    for (const connection of server.connections as Set<ServerConnection>) {
      if (connection.session === session || connection.id === session.id) return connection;
    }
    return undefined;
  };

  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 200,
    onConnect(session, callback) {
      const fault = state.fault;
      if (fault.kind === 'silent-greeting') return; // no callback: smtp-server never greets
      if (fault.kind === 'greeting') return callback(refusal(fault.reply));
      const connection = connectionOf(session);
      if (connection && (fault.kind === 'starttls-reply' || fault.kind === 'starttls-broken')) {
        connection.handler_STARTTLS = (_command, done) => {
          if (fault.kind === 'starttls-reply') {
            connection.send(fault.reply.code, fault.reply.text);
            return done();
          }
          connection.send(220, 'Ready to start TLS');
          // Plain text where the client expects a TLS ServerHello.
          setTimeout(() => {
            connection._socket?.write('this is not TLS\r\n');
            connection._socket?.end();
          }, 20);
          return done();
        };
      }
      return callback();
    },
    onMailFrom(_address, _session, callback) {
      mailCommands += 1;
      const fault = state.fault;
      if (fault.kind === 'silent-mail') return; // never answered: the client's socket timeout ends it
      if (fault.kind === 'mail') return callback(refusal(fault.reply));
      return callback();
    },
    onRcptTo(address, _session, callback) {
      const fault = state.fault;
      if (fault.kind === 'rcpt' && (fault.only === undefined || fault.only.test(address.address))) return callback(refusal(fault.reply));
      return callback();
    },
    onData(stream, session, callback) {
      const fault = state.fault;
      const chunks: Buffer[] = [];
      let cut = false;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (fault.kind === 'cut-mid-data' && !cut) {
          cut = true;
          connectionOf(session)?._socket?.destroy();
        }
      });
      stream.on('end', () => {
        if (cut) return;
        if (fault.kind === 'data-end') return callback(refusal(fault.reply));
        const raw = Buffer.concat(chunks);
        const messageId = /^Message-ID:\s*(<[^>]*>)/im.exec(raw.toString('latin1'))?.[1] ?? null;
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          messageId,
          secure: session.secure,
        });
        return callback(null, 'Ok: queued');
      });
    },
  });
  server.server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    get fault() {
      return state.fault;
    },
    set fault(fault: DestinationFault) {
      state.fault = fault;
    },
    messages,
    get connections() {
      return connections;
    },
    get mailCommands() {
      return mailCommands;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
