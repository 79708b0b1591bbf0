import type net from 'node:net';
import type tls from 'node:tls';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection, type SMTPConnectionOptions } from 'smtp-server/lib/smtp-connection.js';
import type { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { feedDataStream, type SmtpStreamInternals } from './fast-data-scan.js';
import { newSessionId } from './session-id.js';

/**
 * smtp-server with two limits it lacks, both from settings:
 *
 * Greeting pause. smtp-server holds every greeting for a fixed 100 ms to catch "early talkers" (clients that send before
 * the 220 banner, a spam-bot habit). With one message per connection, as MTAs delivering an outage
 * backlog mostly do, that pause alone caps a session near 9 messages/s. This server makes the pause a
 * setting (`listener.greetPauseMs`): 0 greets at once like Postfix's smtpd; a longer pause (Postfix's
 * postscreen uses 6 s) catches more bots. Early talkers are refused with 421 either way, by smtp-server.
 *
 * Session time limit. The idle timeout resets on every byte, so a client trickling a byte a minute (a
 * slowloris) would hold a session slot forever; `listener.maxSessionSeconds` ends any session with
 * `421 4.4.2` after that long. A message cut off this way was never acknowledged and is not stored.
 *
 * Bare CR and bare LF in DATA (SMTP smuggling, CVE-2023-51764) are accepted and passed on safely, not
 * refused as Postfix's `smtpd_forbid_bare_newline` does: smtp-server ends DATA only at <CRLF>.<CRLF>, the
 * spool keeps the bytes as received, and delivery (nodemailer's DataStream) turns every bare CR and LF
 * into CRLF and dot-stuffs, so no hop after this one can read a lone "." into the message either. A backup
 * MX that refused them would bounce mail from sloppy senders that the office server itself takes.
 * test/reliability/smtp-smuggling.test.ts checks the variants end to end, on the wire to the office.
 *
 * It overrides SMTPServer.connect / SMTPConnection.init (public methods whose bodies are copied from
 * smtp-server 3.21); test/engine/intake/greet-pause.test.ts fails if a new smtp-server changes them.
 *
 * Session ids. `_handleProxy` gives each socket an id from session-id.ts's pool (see there why).
 *
 * End-of-data scan. Each connection's parser gets fast-data-scan.ts's copy of the data-mode step, which
 * finds line-starting dots with Buffer.indexOf instead of a per-byte loop (its test compares the two).
 */
export class IntakeSmtpServer extends SMTPServer {
  constructor(
    options: SMTPServerOptions,
    private readonly limits: () => { greetPauseMs: number; maxSessionSeconds: number },
  ) {
    super(options);
  }

  /**
   * smtp-server's first step for a new socket, with a session id from session-id.ts's pool instead of the
   * system's random source per connection. A listener that expects PROXY protocol headers keeps
   * smtp-server's own step; the branch copied here is the one for every other socket (smtp-server 3.21).
   */
  override _handleProxy(socket: net.Socket, callback: Parameters<SMTPServer['_handleProxy']>[1]): void {
    if (this._expectsProxyHeader(socket)) {
      super._handleProxy(socket, callback);
      return;
    }
    const socketOptions = { id: newSessionId(), ignore: this.options.ignoredHosts?.includes(socket.remoteAddress ?? '') ?? false };
    setImmediate(() => callback(null, socketOptions));
  }

  override connect(socket: net.Socket | tls.TLSSocket, socketOptions?: SMTPConnectionOptions | null): void {
    const { greetPauseMs, maxSessionSeconds } = this.limits();
    const connection = new PausedGreetingConnection(this, socket, socketOptions ?? undefined, greetPauseMs);
    this.connections.add(connection);
    connection.on('error', (error: Error) => (this as unknown as { _onError(error: Error): void })._onError(error));
    connection.on('connect', (data: unknown) => (this as unknown as { _onClientConnect(data: unknown): void })._onClientConnect(data));
    if (maxSessionSeconds > 0) {
      const timer = setTimeout(() => {
        connection.send(421, '4.4.2 Session time limit exceeded, closing connection');
        connection.close();
      }, maxSessionSeconds * 1000);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    }
    connection.init();
  }
}

class PausedGreetingConnection extends SMTPConnection {
  constructor(
    server: SMTPServer,
    socket: net.Socket | tls.TLSSocket,
    options: SMTPConnectionOptions | undefined,
    private readonly pauseMs: number,
  ) {
    super(server as never, socket, options);
  }

  /** smtp-server's own command parser (after STARTTLS too), with the faster end-of-data scan (fast-data-scan.ts). */
  override _createParser(): SMTPStream {
    const parser = super._createParser();
    (parser as unknown as SmtpStreamInternals)._feedDataStream = feedDataStream;
    return parser;
  }

  override init(): void {
    this._setListeners(() => {
      const server = this._server as unknown as { options: { maxClients?: number }; connections: Set<unknown> };
      if (server.options.maxClients && server.connections.size > server.options.maxClients) {
        return this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
      }
      if (this.pauseMs <= 0) return this.connectionReady();
      const timer = setTimeout(() => this.connectionReady(), this.pauseMs);
      timer.unref();
      return undefined;
    });
  }
}
