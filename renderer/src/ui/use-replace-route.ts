import { useEffect } from 'react';
import { parseRoute, routeHref, type ScreenId } from './route.js';

/**
 * Keeps the address showing what the screen shows (`#/queue?domain=example.com&page=2`), so a reload, a
 * bookmark or a link copied from the address bar opens the same view. `history.replaceState`: a new
 * filter is not a new page, Back still leaves the screen, and replaceState fires no `hashchange`, so the
 * screen is not started over from its own writing (use-linked-params.ts). Null leaves the address as it
 * is (a filter being corrected is not written).
 */
export function useReplaceRoute(screen: ScreenId, params: Record<string, string> | null): void {
  const href = params === null ? null : routeHref(screen, params);
  useEffect(() => {
    if (href === null) return;
    // Only over this screen's own address, never over the one of a screen the app is leaving for.
    if (parseRoute(window.location.hash).screen !== screen) return;
    if (window.location.hash !== href) window.history.replaceState(window.history.state, '', href);
  }, [screen, href]);
}
