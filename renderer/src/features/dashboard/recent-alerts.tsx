import { useQuery } from '@tanstack/react-query';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { formatTime } from '../../ui/format-time.js';

const SHOWN = 5;
const kindLabel = { stuck: 'Stuck', recovered: 'Recovered', expiring: 'Expiring' } as const;
const kindClass = { stuck: 'outcome-bounced', recovered: 'outcome-delivered', expiring: 'outcome-deferred' } as const;

/** The newest engine alerts (stuck, recovered, expiring), updated when one is raised; hidden while there are none. */
export function RecentAlerts() {
  const alerts = useQuery({ queryKey: ['alerts.list', {}], queryFn: () => callApi('alerts.list', {}) });
  useLiveRefresh(['alert.raised'], ['alerts.list']);
  const items = alerts.data?.items.slice(0, SHOWN) ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="recent-alerts-title" className="recent-alerts">
      <h2 id="recent-alerts-title">Recent alerts</h2>
      <ul>
        {items.map((alert) => (
          <li key={alert.id} data-testid="alert">
            <strong className={kindClass[alert.kind]}>{kindLabel[alert.kind]}</strong> {alert.domain}, <time dateTime={alert.time}>{formatTime(alert.time)}</time>: {alert.message}
          </li>
        ))}
      </ul>
    </section>
  );
}
