import { Notification } from 'electron';
import type { EventSubscriber } from '../contract/api-handlers.js';
import type { EventPayload } from '../contract/events.js';

const titles = { stuck: 'Mail is stuck', recovered: 'Mail flows again', expiring: 'Mail will be returned soon' } as const;

/**
 * Each engine alert as an OS notification (Windows toast, macOS Notification Center), so the admin hears of
 * stuck mail without the window open. Clicking it brings the window to the front. Returns the unsubscribe.
 */
export function notifyAlerts(events: EventSubscriber, onClick: () => void): () => void {
  return events.on('alert.raised', (alert: EventPayload<'alert.raised'>) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: `${titles[alert.kind]}: ${alert.domain}`, body: alert.message });
    notification.on('click', onClick);
    notification.show();
  });
}
