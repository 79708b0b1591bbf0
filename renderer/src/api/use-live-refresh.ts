import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventName } from '../../../electron/contract/events.js';
import { subscribe } from './api-client.js';

/** Shortest pause between two live refreshes, in ms: the engine's own queue.changed throttle (4/s). */
const MIN_PAUSE_MS = 250;

/**
 * Refetches the queries whose key starts with one of `methods` when one of `events` arrives, with
 * back-pressure: one refresh at a time; events that arrive meanwhile fold into one more, sent after a
 * pause at least as long as the last refresh took. However busy the queue, a screen keeps the engine
 * answering at most half of the time, and there is no polling at all while nothing happens.
 */
export function useLiveRefresh(events: readonly EventName[], methods: readonly string[]): void {
  const queryClient = useQueryClient();
  const eventKey = events.join(' ');
  const methodKey = methods.join(' ');
  useEffect(() => {
    const keys = methodKey.split(' ');
    let running = false;
    let again = false;
    let disposed = false;
    const refresh = async () => {
      again = true;
      if (running) return;
      running = true;
      while (again && !disposed) {
        again = false;
        // A request already under way (another page, another filter) may predate this event: one more after it.
        if (keys.some((method) => queryClient.isFetching({ queryKey: [method] }) > 0)) again = true;
        const started = performance.now();
        // cancelRefetch: false waits for a request already under way instead of sending the same one again.
        await Promise.all(keys.map((method) => queryClient.invalidateQueries({ queryKey: [method] }, { cancelRefetch: false })));
        await new Promise((resolve) => setTimeout(resolve, Math.max(MIN_PAUSE_MS, performance.now() - started)));
      }
      running = false;
    };
    const unsubscribers = eventKey.split(' ').map((event) => subscribe(event as EventName, () => void refresh()));
    return () => {
      disposed = true;
      unsubscribers.forEach((unsubscribe) => unsubscribe());
    };
  }, [queryClient, eventKey, methodKey]);
}
