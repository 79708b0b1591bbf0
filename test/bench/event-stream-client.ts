import type { EventName, EventPayload } from '../../electron/contract/events.js';

/** One event as received; `name` tells which payload it carries. */
export type StreamEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
export type StreamEventListener = (event: StreamEvent) => void;

export interface EventStreamClient {
  close(): void;
  /** Rejects if the stream broke before close(): events were lost, so the figures would be wrong. */
  readonly ended: Promise<void>;
}

/**
 * Reads the admin API's Server-Sent Events (`/api/events`), as the UI would with the dashboard open.
 * Resolves once the server has sent its first comment line, so no event after that point is missed.
 */
export async function openEventStream(adminUrl: string, token: string, listener: StreamEventListener): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(`${adminUrl}/api/events`, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
  if (!response.ok || !response.body) throw new Error(`Event stream refused: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let closed = false;
  let buffer = '';
  const first = await reader.read(); // ": connected"
  if (first.done) throw new Error('Event stream closed before it opened');
  buffer += first.value;

  const dispatch = (block: string): void => {
    let name: string | null = null;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) name = line.slice('event: '.length);
      else if (line.startsWith('data: ')) data += line.slice('data: '.length);
    }
    if (name !== null) listener({ name, payload: JSON.parse(data) } as StreamEvent);
  };

  const pump = async (): Promise<void> => {
    for (;;) {
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
    }
    if (!closed) throw new Error('The event stream ended while the benchmark was still listening (engine gone, or it dropped a slow client)');
  };

  const ended = pump().catch((error: unknown) => {
    if (closed) return;
    throw error;
  });
  // Callers await `ended` only at the end; keep an early failure from being an unhandled rejection meanwhile.
  ended.catch(() => undefined);
  return {
    ended,
    close() {
      closed = true;
      abort.abort();
    },
  };
}
