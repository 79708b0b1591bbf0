/** "3 min", "2 h 5 min", "4 d 1 h": queue ages at a glance. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A timestamp in the viewer's own time zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
