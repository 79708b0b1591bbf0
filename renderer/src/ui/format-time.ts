/** "3 min", "2 h 5 min", "4 d 1 h": queue ages at a glance. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * A timestamp in the computer's own time zone and locale, as a Date formats it: for the screens that name
 * no zone (the dashboard, the queue and its drawer). Never for one that shows times in a zone the admin
 * chose (Reports, the outcome and deferral charts): those take the wall-clock time written in the
 * engine's ISO string (reports/report-time.ts, charts/local-time-label.ts), because formatted here their
 * times would move into the computer's zone.
 */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
