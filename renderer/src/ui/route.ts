import { useSyncExternalStore } from 'react';

/** The screens in the top bar, in order. The hash holds the route (`#/queue?domain=example.com`) so links and Back work. */
export const screens = [
  { id: 'dashboard', title: 'Dashboard' },
  { id: 'domains', title: 'Domains' },
  { id: 'queue', title: 'Queue' },
  { id: 'reports', title: 'Reports' },
  { id: 'charts', title: 'Charts' },
  { id: 'settings', title: 'Server settings' },
  { id: 'about', title: 'About' },
] as const;

/** Screens reached by a link, not from the top bar: the first-run setup (opened by the app, the dashboard and About). */
const linkedScreens = ['setup'] as const;

export type ScreenId = (typeof screens)[number]['id'] | (typeof linkedScreens)[number];

export interface Route {
  screen: ScreenId;
  params: Record<string, string>;
}

export function routeHref(screen: ScreenId, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${screen}${query ? `?${query}` : ''}`;
}

const screenIds: readonly ScreenId[] = [...screens.map((screen) => screen.id), ...linkedScreens];

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const screen = screenIds.find((candidate) => candidate === path) ?? 'dashboard';
  return { screen, params: Object.fromEntries(new URLSearchParams(query)) };
}

/** A hash route of this app (`#/queue?domain=example.com`), as the desktop host may ask the window to show. */
export function isAppRoute(route: string): boolean {
  return route.startsWith('#/');
}

const subscribeToHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return parseRoute(hash);
}
