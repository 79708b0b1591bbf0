import type { AddressInfo } from 'node:net';
import { createTransport } from 'nodemailer';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface TestDestination {
  port: number;
  messages: ReceivedMessage[];
  server: SMTPServer;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 standing in for the office mail server. Hooks can be overridden to
 * answer 4xx/5xx or drop the connection; by default it accepts everything and keeps each message.
 */
export async function startDestination(options: Partial<SMTPServerOptions> & { port?: number } = {}): Promise<TestDestination> {
  const messages: ReceivedMessage[] = [];
  const { port = 0, ...overrides } = options;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    // close() waits this long for clients (our pooled sessions) to leave before cutting them off.
    closeTimeout: 200,
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, 'Ok: queued');
      });
    },
    ...overrides,
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends one message to an SMTP port on 127.0.0.1 with nodemailer, as a sending MTA would. */
export async function sendRaw(port: number, envelope: { from: string; to: string[] }, raw: string | Buffer) {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, tls: { rejectUnauthorized: false }, connectionTimeout: 5000 });
  try {
    return await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
}

export function sampleMessage(subject: string, body = 'Hello from the test.'): string {
  return [`From: sender@example.net`, `To: user@example.com`, `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, '')}@example.net>`, '', body, ''].join('\r\n');
}

export { acceptsConnections, closedPort } from './closed-port.js';
