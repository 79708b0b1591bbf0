import { useSyncExternalStore } from 'react';

/** The screens, in navigation order. The hash holds the route (`#/queue?domain=example.com`) so links and Back work. */
export const screens = [
  { id: 'dashboard', title: 'Dashboard' },
  { id: 'domains', title: 'Domains' },
  { id: 'queue', title: 'Queue' },
  { id: 'reports', title: 'Reports' },
  { id: 'charts', title: 'Charts' },
  { id: 'settings', title: 'Server settings' },
] as const;
export type ScreenId = (typeof screens)[number]['id'];

export interface Route {
  screen: ScreenId;
  params: Record<string, string>;
}

export function routeHref(screen: ScreenId, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${screen}${query ? `?${query}` : ''}`;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const screen = screens.find((candidate) => candidate.id === path)?.id ?? 'dashboard';
  return { screen, params: Object.fromEntries(new URLSearchParams(query)) };
}

const subscribeToHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return parseRoute(hash);
}
