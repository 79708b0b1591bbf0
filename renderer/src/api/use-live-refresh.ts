import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventName } from '../../../electron/contract/events.js';
import { subscribe } from './api-client.js';

/**
 * Refetches the queries whose key starts with one of `methods` when one of `events` arrives. The engine
 * throttles queue.changed to 4 per second, so a busy queue causes at most that many refetches: no polling.
 */
export function useLiveRefresh(events: readonly EventName[], methods: readonly string[]): void {
  const queryClient = useQueryClient();
  const eventKey = events.join(' ');
  const methodKey = methods.join(' ');
  useEffect(() => {
    const refresh = () => {
      for (const method of methodKey.split(' ')) void queryClient.invalidateQueries({ queryKey: [method] });
    };
    const unsubscribers = eventKey.split(' ').map((event) => subscribe(event as EventName, refresh));
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [queryClient, eventKey, methodKey]);
}
