import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { routeHref } from '../../ui/route.js';
import { useNow } from '../../ui/use-now.js';
import { DomainCard } from './domain-card.js';
import { ReceivingBanner } from './receiving-banner.js';
import { RecentAlerts } from './recent-alerts.js';
import './dashboard.css';

/** Queue totals and one card per domain, refreshed by engine events (throttled there to 4/s), not polling. */
export function Dashboard() {
  const summary = useQuery({ queryKey: ['stats.summary'], queryFn: () => callApi('stats.summary', {}) });
  useLiveRefresh(['queue.changed', 'listener.status', 'attempt.made'], ['stats.summary']);
  // Per domain: how many messages "Retry now" sent on their way; the card's bar fills as they leave the due backlog.
  // `at` matters: until the summary is refetched after the retry, its `due` count is from before it.
  const [retried, setRetried] = useState<Record<string, { count: number; at: number }>>({});
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: (domain: string) => callApi('queue.retry', { domain }),
    onSuccess: (result, domain) => {
      setRetried((current) => ({ ...current, [domain]: { count: result.count, at: Date.now() } }));
      void queryClient.invalidateQueries({ queryKey: ['stats.summary'] });
    },
  });
  const now = useNow(30_000); // ages move on without a reload

  if (summary.isPending) return <p>Loading…</p>;
  if (summary.isError) return <ErrorNotice error={summary.error} action="Reading the queue" />;
  const data = summary.data;
  const listener = data.listener;
  // Paused by the admin or waiting for the first domain: the banner above says why, it is no fault.
  const onPurpose = !listener.listening && !listener.error && (listener.paused === true || listener.waitingForDomain === true);
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <ReceivingBanner listener={listener} />
      <p role="status" className={listener.listening || onPurpose ? undefined : 'error-notice'}>
        {listener.listening ? (
          `Receiving mail on ${listener.address}:${listener.port}.`
        ) : onPurpose ? (
          'Not receiving mail.'
        ) : (
          <>
            Not receiving mail: {listener.error ?? 'listener stopped'}. <a href={routeHref('settings')}>Open Server settings</a>
          </>
        )}{' '}
        <span data-testid="total-queued">{data.queued}</span> queued, {data.held} held, {data.delivering} being delivered.
      </p>
      {retry.isError ? <ErrorNotice error={retry.error} action="Retry now" /> : null}
      <RecentAlerts />
      {data.domains.length === 0 ? (
        <p>
          No domains yet. <a href={routeHref('setup')}>Run the setup</a> or <a href={routeHref('domains', { add: '1' })}>add your office domain and its mail server</a> to start receiving.
        </p>
      ) : (
        <div className="cards">
          {data.domains.map((domain) => (
            <DomainCard
              key={domain.domain}
              summary={domain}
              now={now}
              retrying={retry.isPending && retry.variables === domain.domain}
              retried={retried[domain.domain]?.count ?? 0}
              fresh={(retried[domain.domain]?.at ?? 0) < summary.dataUpdatedAt}
              onRetry={() => retry.mutate(domain.domain)}
              onProgressDone={() => setRetried(({ [domain.domain]: _done, ...rest }) => rest)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
