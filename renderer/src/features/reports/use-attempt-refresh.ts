import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AttemptRecord } from '../../../../electron/contract/report-schema.js';
import { subscribe } from '../../api/api-client.js';
import { localDateOf } from '../../ui/calendar-dates.js';
import type { ReportFilter } from './report-filter.js';

/** At most one refetch of the outbound report per this many ms, however fast attempts are made. */
export const ATTEMPT_REFRESH_INTERVAL_MS = 2000;

/**
 * Keeps the outbound report live. The shared useLiveRefresh is not used: it refetches on every event,
 * and the engine does not throttle attempt.made (one per delivery attempt), so draining a backlog of
 * thousands of messages would re-read the day files thousands of times. Here an attempt the report
 * cannot show (another domain, outcome or date) is ignored, and the rest cause one refetch right away,
 * then at most one per 2 s, the last one always after the latest attempt. Off (`filter` null) on later
 * pages, where rows would shift under the reader's eyes: the Refresh button serves there.
 */
export function useAttemptRefresh(filter: ReportFilter | null): void {
  const queryClient = useQueryClient();
  const { domain, outcome, from, to, timeZone } = filter ?? {};
  const live = filter !== null && filter.type === 'outbound';
  useEffect(() => {
    if (!live || from === undefined || to === undefined || timeZone === undefined) return undefined;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastRefreshMs = 0;
    const refresh = () => {
      timer = null;
      lastRefreshMs = Date.now();
      void queryClient.invalidateQueries({ queryKey: ['reports.outbound'] });
    };
    const unsubscribe = subscribe('attempt.made', (attempt) => {
      if (timer !== null || !shows({ domain, outcome, from, to, timeZone }, attempt)) return;
      timer = setTimeout(refresh, Math.max(0, lastRefreshMs + ATTEMPT_REFRESH_INTERVAL_MS - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [queryClient, live, domain, outcome, from, to, timeZone]);
}

/** Whether the report could list this attempt: the engine's own filters (newest-first-report.ts). */
function shows(filter: { domain: string | undefined; outcome: string | undefined; from: string; to: string; timeZone: string }, attempt: AttemptRecord): boolean {
  if (filter.domain && attempt.domain.toLowerCase() !== filter.domain.toLowerCase()) return false;
  if (filter.outcome && attempt.outcome !== filter.outcome) return false;
  const timeMs = Date.parse(attempt.time);
  if (Number.isNaN(timeMs)) return true; // cannot tell: refreshing is the safe side
  const day = localDateOf(timeMs, filter.timeZone);
  return day >= filter.from && day <= filter.to;
}
