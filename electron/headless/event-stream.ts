import type { ServerResponse } from 'node:http';
import type { EventSubscriber } from '../contract/api-handlers.js';
import { eventNames, type EventName } from '../contract/events.js';
import type { Logger } from '../engine/runtime/logger.js';

export const SSE_HEARTBEAT_MS = 15_000;
/** Events that come within this many ms of the first one leave in one write (unnoticeable on a screen). */
export const SSE_BATCH_MS = 25;
// A client that stops reading (a suspended laptop, a stuck tab) must not make us buffer without bound.
const MAX_BUFFERED_BYTES = 1024 * 1024;

export type EventStreamOptions = {
  events: EventSubscriber;
  logger: Logger;
  requestId: string;
  heartbeatMs: number;
};

/**
 * Streams every event of the contract as Server-Sent Events until the client goes away, then unsubscribes.
 * Each event is `event: <name>` and one `data:` line of JSON (JSON.stringify never emits a raw newline, so
 * one line is always enough). Comment lines keep proxies and idle timers from closing a quiet stream.
 */
export function serveEventStream(res: ServerResponse, options: EventStreamOptions): void {
  const { events, logger, requestId, heartbeatMs } = options;
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  // Sent at once so the client sees the stream open (fetch resolves, EventSource fires `open`).
  res.write(': connected\n\n');

  // Events are written in batches, one write per SSE_BATCH_MS at most: draining a backlog makes an attempt.made
  // event per delivery (a thousand a second), and one chunked write each would be a system call each.
  let pending: string[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    flushTimer = null;
    const text = pending.join('');
    pending = [];
    if (res.destroyed || res.writableEnded || text === '') return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      logger.log('warn', 'ADMIN_SSE_CLIENT_TOO_SLOW', { id: requestId, bufferedBytes: res.writableLength });
      res.destroy();
      return;
    }
    res.write(text);
  };
  const write = (text: string): void => {
    if (res.destroyed || res.writableEnded) return;
    pending.push(text);
    flushTimer ??= setTimeout(flush, SSE_BATCH_MS);
  };

  const send = (name: EventName, payload: unknown): void => {
    let data: string;
    try {
      data = JSON.stringify(payload);
    } catch (err: unknown) {
      logger.log('error', 'ADMIN_SSE_EVENT_UNSERIALIZABLE', { event: name, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    write(`event: ${name}\ndata: ${data}\n\n`);
  };

  const unsubscribes = eventNames.map((name) => events.on(name, (payload) => send(name, payload)));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();

  res.once('close', () => {
    clearInterval(heartbeat);
    if (flushTimer !== null) clearTimeout(flushTimer);
    for (const unsubscribe of unsubscribes) unsubscribe();
  });
}
