/**
 * A moment as the admin reads it on the dashboard, in the computer's own zone: "23:10" today, with the
 * date otherwise, so a limit lowered yesterday does not read as one lowered a minute ago.
 */
export function clockTime(iso: string, now: number): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date(now).toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/** "2 min", "30 s", "1.5 min": a probe interval from two probe times. */
export function intervalText(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`;
  const minutes = Math.round(ms / 30_000) / 2; // the setting is in steps of at least half a minute
  return `${minutes} min`;
}
