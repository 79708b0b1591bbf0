import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Alert } from '../../../../electron/contract/alerts-schema.js';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { formatTime } from '../../ui/format-time.js';
import { routeHref } from '../../ui/route.js';

const SHOWN = 5;
const kindLabel = { stuck: 'Stuck', recovered: 'Recovered', expiring: 'Expiring' } as const;
const kindClass = { stuck: 'outcome-bounced', recovered: 'outcome-delivered', expiring: 'outcome-deferred' } as const;

/**
 * The engine's alerts (stuck, recovered, expiring), updated when one is raised; hidden while there are
 * none. The newest five by default; "Show all" lists the history the engine keeps (200, newest first).
 */
export function RecentAlerts() {
  const alerts = useQuery({ queryKey: ['alerts.list', {}], queryFn: () => callApi('alerts.list', {}) });
  useLiveRefresh(['alert.raised'], ['alerts.list']);
  const [showAll, setShowAll] = useState(false);
  const all = alerts.data?.items ?? [];
  if (all.length === 0) return null;
  const items = showAll ? all : all.slice(0, SHOWN);
  return (
    <section aria-labelledby="recent-alerts-title" className="recent-alerts">
      <h2 id="recent-alerts-title">{showAll ? 'All alerts' : 'Recent alerts'}</h2>
      <ul id="recent-alerts-list">
        {items.map((alert) => (
          <AlertItem key={alert.id} alert={alert} />
        ))}
      </ul>
      {all.length > SHOWN ? (
        <button type="button" aria-expanded={showAll} aria-controls="recent-alerts-list" onClick={() => setShowAll((shown) => !shown)}>
          {showAll ? `Show the newest ${SHOWN}` : `Show all ${all.length} alerts`}
        </button>
      ) : null}
    </section>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  return (
    <li data-testid="alert" data-kind={alert.kind}>
      <strong className={kindClass[alert.kind]}>{kindLabel[alert.kind]}</strong> {alert.domain}, <time dateTime={alert.time}>{formatTime(alert.time)}</time>: {alert.message}{' '}
      {alert.kind === 'recovered' ? null : (
        <a href={routeHref('queue', { domain: alert.domain })} aria-label={`Open the queue of ${alert.domain}`}>
          Open the queue
        </a>
      )}
    </li>
  );
}
