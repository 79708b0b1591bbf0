import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export type ConnectionTracker = {
  /** Closes every connection with no request in progress now, and each busy one as soon as its reply ends. */
  drain(): void;
};

/**
 * server.close() waits for every open connection, and closeIdleConnections() only knows connections that
 * have finished a request: a client that opened a spare keep-alive connection and sent nothing (fetch does
 * this) holds shutdown for seconds. Counting requests per socket lets close() drop exactly the idle ones.
 */
export function trackConnections(server: Server): ConnectionTracker {
  const active = new Map<Socket, number>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    active.set(socket, 0);
    socket.once('close', () => active.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    active.set(socket, (active.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (active.get(socket) ?? 1) - 1;
      active.set(socket, left);
      if (draining && left === 0) socket.end();
    });
  });

  return {
    drain() {
      draining = true;
      for (const [socket, count] of active) if (count === 0) socket.destroy();
    },
  };
}
