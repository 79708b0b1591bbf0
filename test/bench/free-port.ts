import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. The headless CLI (--smtp-port takes 1-65535) and
 * smtp-sink both need a number up front; and a port nobody listens on is exactly the "destination down" of
 * the intake phase: every connection is refused at once.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not read a free port from the OS');
  return address.port;
}
