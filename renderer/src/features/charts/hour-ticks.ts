import { isoLocalParts, shortDate } from './local-time-label.js';

/**
 * Which hours of the outcome chart get a label, and the label. Hours are the engine's ISO strings with
 * the zone's offset; their own local part is the wall-clock hour in the chosen zone (no re-parsing).
 */
export function hourTicks(hours: readonly string[]): string[] {
  const days = hours.length / 24;
  const every = days <= 2 ? 3 : days <= 7 ? 12 : 24 * Math.ceil(days / 10);
  return hours.filter((hour) => {
    const { date, time } = isoLocalParts(hour);
    const hourOfDay = Number(time.slice(0, 2));
    if (every < 24) return hourOfDay % every === 0;
    const dayOfMonth = Number(date.slice(8, 10));
    return hourOfDay === 0 && (dayOfMonth - 1) % (every / 24) === 0;
  });
}

/** "09:00", or "27 Nov" at midnight so a reader sees where each day starts. */
export function hourTickLabel(hour: string): string {
  const { date, time } = isoLocalParts(hour);
  return time === '00:00' ? shortDate(date) : time;
}
