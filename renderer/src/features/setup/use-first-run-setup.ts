import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { routeHref } from '../../ui/route.js';

/** Where the app lands without a screen in the address: the first-run check may send it to the setup instead. */
const landing = new Set(['', '#', '#/', routeHref('dashboard')]);

/**
 * On the app's first load only: a new install (settings.setup.done false and no domain yet) opens on the
 * setup. A setup finished or skipped, a domain already there, or a link to another screen is left alone,
 * and nothing forces the setup later. Returns true while that is being decided on the landing screen, so
 * the dashboard does not flash before the setup replaces it.
 */
export function useFirstRunSetup(): boolean {
  const startHash = useRef(window.location.hash);
  const startsOnLanding = landing.has(startHash.current);
  const [decided, setDecided] = useState(!startsOnLanding);
  const settings = useQuery({ queryKey: ['settings.get', {}], queryFn: () => callApi('settings.get', {}), enabled: !decided });
  const domains = useQuery({ queryKey: ['domains.list', {}], queryFn: () => callApi('domains.list', {}), enabled: !decided });

  useEffect(() => {
    if (decided) return;
    if (settings.isError || domains.isError) {
      setDecided(true); // the dashboard shows what is wrong
      return;
    }
    if (!settings.data || !domains.data) return;
    setDecided(true);
    const firstRun = !settings.data.setup.done && domains.data.items.length === 0;
    // replace: Back from the setup does not return to an empty page that would open the setup again.
    if (firstRun && window.location.hash === startHash.current) window.location.replace(routeHref('setup'));
  }, [decided, settings.isError, settings.data, domains.isError, domains.data]);

  return !decided;
}
