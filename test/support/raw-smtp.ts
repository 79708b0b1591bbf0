import net from 'node:net';

/**
 * A byte-exact SMTP client for tests that must send what a well-behaved client never would (bare LF,
 * smuggling attempts, pipelined bursts). Returns every reply line the server sent.
 */
export async function rawSmtpSession(port: number, chunks: (string | Buffer)[], options: { settleMs?: number } = {}): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (data) => received.push(data));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await waitForReplies(received, 1);
  for (const chunk of chunks) {
    const before = replyCount(received);
    socket.write(chunk);
    // Wait for the reply to this chunk, unless the chunk is part of DATA content (no reply expected).
    if (typeof chunk === 'string' && /^(EHLO|HELO|MAIL|RCPT|DATA|RSET|NOOP|QUIT|STARTTLS)/i.test(chunk)) await waitForReplies(received, before + 1);
    else if (Buffer.isBuffer(chunk) || chunk.endsWith('\r\n.\r\n')) await waitForReplies(received, before + 1, options.settleMs ?? 2000).catch(() => undefined);
  }
  socket.end();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
  socket.destroy();
  return Buffer.concat(received)
    .toString('utf8')
    .split('\r\n')
    .filter((line) => line.length > 0);
}

function replyCount(received: Buffer[]): number {
  // A final reply line is "NNN " (a space after the code); continuation lines use "NNN-".
  return Buffer.concat(received)
    .toString('utf8')
    .split('\r\n')
    .filter((line) => /^\d{3} /.test(line) || /^\d{3}$/.test(line)).length;
}

async function waitForReplies(received: Buffer[], count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (replyCount(received) < count) {
    if (Date.now() > deadline) throw new Error(`no reply after ${timeoutMs} ms; got: ${Buffer.concat(received).toString('utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
