import { useQuery } from '@tanstack/react-query';
import { callApi } from '../../api/api-client.js';
import { useLiveRefresh } from '../../api/use-live-refresh.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { BounceRelaySection } from './bounce-relay-section.js';
import { ListenerSection } from './listener-section.js';
import { OurAddressesSection } from './our-addresses-section.js';
import { QueueSection } from './queue-section.js';
import { RetrySection } from './retry-section.js';
import './settings.css';

/** Server-wide settings, one form per section; domains and their mail servers are on the Domains screen. */
export function SettingsScreen(_props: { params: Record<string, string> }) {
  const settings = useQuery({ queryKey: ['settings.get', {}], queryFn: () => callApi('settings.get', {}) });
  const summary = useQuery({ queryKey: ['stats.summary', {}], queryFn: () => callApi('stats.summary', {}) });
  useLiveRefresh(['listener.status'], ['stats.summary']);

  let body;
  if (settings.isPending) body = <p role="status">Loading settings…</p>;
  else if (settings.isError) body = <ErrorNotice error={settings.error} action="Loading the settings" />;
  else
    body = (
      <div className="settings-sections">
        <ListenerSection settings={settings.data} status={summary.data?.listener} statusFailed={summary.isError} />
        <RetrySection settings={settings.data} />
        <QueueSection settings={settings.data} />
        <BounceRelaySection settings={settings.data} />
        <OurAddressesSection />
      </div>
    );

  return (
    <section className="settings-screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Server settings</h1>
      {body}
    </section>
  );
}
