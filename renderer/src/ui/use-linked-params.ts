import { useEffect, useState } from 'react';
import { parseRoute, type ScreenId } from './route.js';

export interface Link {
  /** The params the screen starts from. */
  params: Record<string, string>;
  /** Changes with each link followed while the screen is shown: a key that starts the view over. */
  count: number;
}

/**
 * The route params a screen starts from, renewed by each link followed while it is shown (a dashboard
 * link, the desktop tray's app.navigate, Back): those change the hash and fire `hashchange`. The screen's
 * own writing (useReplaceRoute) does not, so it never starts the view over, and neither does a link to
 * the view already shown spelled another way: `canonical` writes both addresses the screen's way, and
 * when they are equal there is nothing to follow (no new request, the page kept).
 */
export function useLinkedParams(screen: ScreenId, initial: Record<string, string>, canonical: (params: Record<string, string>) => string): Link {
  const [link, setLink] = useState<Link>(() => ({ params: initial, count: 0 }));
  useEffect(() => {
    const follow = (event: HashChangeEvent) => {
      const next = parseRoute(new URL(event.newURL).hash);
      if (next.screen !== screen) return; // the app shows the other screen instead of this one
      const previous = parseRoute(new URL(event.oldURL).hash);
      if (previous.screen === screen && canonical(previous.params) === canonical(next.params)) return;
      setLink((current) => ({ params: next.params, count: current.count + 1 }));
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [screen, canonical]);
  return link;
}
