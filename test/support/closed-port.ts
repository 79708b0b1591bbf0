import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * Tests run two files at once, and every server in them listens on port 0. A port taken from a server that
 * was closed again sits in the kernel's ephemeral range, so the other file's next `listen(0)` can be handed
 * it: the "office server that is down" then answers (or, worse, accepts and stays silent). That made a
 * CI run fail once. So the port comes from below the ephemeral range, where `listen(0)` never goes, and is
 * checked to refuse connections before it is handed out.
 */
const handedOut = new Set<number>();

function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // not Linux: the platform's documented default below
  }
  return process.platform === 'darwin' || process.platform === 'win32' ? 49152 : 32768;
}

const LOW = ephemeralLow();
// 12,000 ports below the ephemeral range, never under 10,000 (well-known services live below that).
const FIRST = Math.max(10_000, LOW - 12_000);

/** Connects to this loopback port and leaves at once: null when something accepted, else the error's code. */
function connectOnce(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Whether something accepts a TCP connection on this loopback port now (the SMTP listener is up), without speaking SMTP. */
export async function acceptsConnections(port: number): Promise<boolean> {
  return (await connectOnce(port)) === null;
}

/** A loopback port where nothing listens and no other test's `listen(0)` can start listening: the office server is down. */
export async function closedPort(): Promise<number> {
  if (LOW - FIRST < 1000) throw new Error(`The ephemeral port range starts at ${LOW}: too low to find a closed port below it`);
  for (let tries = 0; tries < 50; tries += 1) {
    const port = FIRST + Math.floor(Math.random() * (LOW - FIRST));
    if (handedOut.has(port)) continue;
    if ((await connectOnce(port)) === 'ECONNREFUSED') {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`No closed loopback port found in ${FIRST}-${LOW - 1} after 50 tries`);
}
