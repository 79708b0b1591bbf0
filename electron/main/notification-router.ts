import type { Notification } from 'electron';
import type { EventSubscriber } from '../contract/api-handlers.js';
import type { Alert } from '../contract/alerts-schema.js';
import { assertNever } from '../engine/runtime/assert-never.js';

/** One native notification and the screen its click opens (a hash route of the admin app). */
export interface Notice {
  title: string;
  body: string;
  route: string;
}

/** Electron's Notification behind two calls; electronNotifier adapts it. */
export interface NotifierPort {
  isSupported(): boolean;
  show(notice: { title: string; body: string }, onClick: () => void): void;
}

/**
 * A hash route as renderer/src/ui/route.ts reads it (`#/queue?domain=example.com`). Parameters are
 * percent-encoded, so the route always passes the app.navigate schema (an internationalised domain
 * included, RFC 6531).
 */
export function appRoute(screen: 'dashboard' | 'queue' | 'settings', params: Record<string, string> = {}): string {
  // encodeURIComponent leaves !'()*~ as they are; the schema does not accept them.
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = Object.entries(params)
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .join('&');
  return `#/${screen}${query ? `?${query}` : ''}`;
}

/**
 * What the admin reads for each alert, and where a click takes them: stuck and expiring mail to that
 * domain's queue (where Retry, Hold and Bounce are), a recovery to the dashboard (nothing left to act on).
 */
export function alertNotice(alert: Alert): Notice {
  switch (alert.kind) {
    case 'stuck':
      return { title: `Mail for ${alert.domain} is stuck`, body: alert.message, route: appRoute('queue', { domain: alert.domain }) };
    case 'expiring':
      return { title: `Mail for ${alert.domain} will be returned soon`, body: alert.message, route: appRoute('queue', { domain: alert.domain }) };
    case 'recovered':
      return { title: `Mail for ${alert.domain} flows again`, body: alert.message, route: appRoute('dashboard') };
    default:
      return assertNever(alert.kind);
  }
}

/** The SMTP listener failed (port in use, no rights): the fix is in Server settings. */
export function listenerErrorNotice(error: string): Notice {
  return { title: 'MX Spool is not receiving mail', body: `${error}. Open Server settings to change the address or port.`, route: appRoute('settings') };
}

/**
 * Engine events as native notifications (Windows toast, macOS Notification Center, Linux libnotify), so
 * the admin hears of trouble with the window closed. A listener error is shown once per distinct message:
 * listener.status repeats while nothing changes, and a toast per repeat would be noise; once the listener
 * recovers, the same error later is news again. A click shows the window on the notice's screen.
 * Returns the unsubscribe.
 */
export function routeNotifications(options: { events: EventSubscriber; notifier: NotifierPort; show(): void; navigate(route: string): void }): () => void {
  let lastListenerError: string | null = null;
  const notify = (notice: Notice) => {
    if (!options.notifier.isSupported()) return;
    options.notifier.show({ title: notice.title, body: notice.body }, () => {
      options.show();
      options.navigate(notice.route);
    });
  };
  const unsubscribers = [
    options.events.on('alert.raised', (alert) => notify(alertNotice(alert))),
    options.events.on('listener.status', (status) => {
      if (status.error === null) {
        lastListenerError = null;
        return;
      }
      if (status.error === lastListenerError) return;
      lastListenerError = status.error;
      notify(listenerErrorNotice(status.error));
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** Notifications kept alive for their click; older ones have long left the screen. */
const KEEP_NOTIFICATIONS = 20;

/**
 * Electron's Notification as a NotifierPort. The last few notifications stay referenced: a Notification
 * object that is garbage-collected no longer delivers its click, and on Windows a toast can still be
 * clicked in the Action Center long after it was shown.
 */
export function electronNotifier(NotificationClass: typeof Notification): NotifierPort {
  const live: Notification[] = [];
  return {
    isSupported: () => NotificationClass.isSupported(),
    show(notice, onClick) {
      const notification = new NotificationClass({ title: notice.title, body: notice.body });
      live.push(notification);
      if (live.length > KEEP_NOTIFICATIONS) live.shift();
      notification.on('click', onClick);
      notification.show();
    },
  };
}
