import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { callApi, subscribe } from '../../api/api-client.js';
import { DomainCard } from './domain-card.js';

/** Queue totals and one card per domain, refreshed by engine events (throttled there to 4/s), not polling. */
export function Dashboard() {
  const queryClient = useQueryClient();
  const summary = useQuery({ queryKey: ['stats.summary'], queryFn: () => callApi('stats.summary', {}) });
  const retry = useMutation({
    mutationFn: (domain: string) => callApi('queue.retry', { domain }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['stats.summary'] }),
  });
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ['stats.summary'] });
    const unsubscribers = [subscribe('queue.changed', refresh), subscribe('listener.status', refresh)];
    const clock = setInterval(() => setNow(Date.now()), 30_000); // ages move on without a reload
    return () => {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      clearInterval(clock);
    };
  }, [queryClient]);

  if (summary.isPending) return <p>Loading…</p>;
  if (summary.isError) return <p role="alert">Cannot reach the spool: {summary.error.message}</p>;
  const data = summary.data;
  const listener = data.listener;
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      <p role="status">
        {listener.listening ? `Receiving mail on ${listener.address}:${listener.port}.` : `Not receiving mail: ${listener.error ?? 'listener stopped'}.`}{' '}
        <span data-testid="total-queued">{data.queued}</span> queued, {data.held} held, {data.delivering} being delivered.
      </p>
      {data.domains.length === 0 ? (
        <p>No domains yet. Add your office domain and its mail server to start receiving.</p>
      ) : (
        <div className="cards">
          {data.domains.map((domain) => (
            <DomainCard
              key={domain.domain}
              summary={domain}
              now={now}
              retrying={retry.isPending && retry.variables === domain.domain}
              onRetry={() => retry.mutate(domain.domain)}
            />
          ))}
        </div>
      )}
    </section>
  );
}
