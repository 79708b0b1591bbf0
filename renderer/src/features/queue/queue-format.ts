import type { QueueItem } from '../../../../electron/contract/queue-schema.js';
import { formatCount, formatDecimal } from '../../ui/format-number.js';
import { formatTime } from '../../ui/format-time.js';

/** Display helpers for queue rows: plain functions, so the table and the drawer say things the same way. */

/** "1 message", "12,000 messages". */
export function countMessages(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'message' : 'messages'}`;
}

/** The envelope sender as mail people write it: the null sender of bounces (RFC 5321 §4.5.5) is "<>". */
export function senderLabel(from: string): string {
  return from === '' ? '<>' : from;
}

/** "alice@example.com +2 more": the table stays one line per message; the full list is in the title. */
export function recipientsSummary(addresses: readonly string[]): string {
  const [first, ...rest] = addresses;
  if (first === undefined) return '—';
  return rest.length === 0 ? first : `${first} +${formatCount(rest.length)} more`;
}

/** Sizes in binary units (1 KB = 1,024 bytes), as mail clients and `du -h` show them. */
export function formatSize(bytes: number): string {
  const kb = bytes / 1024;
  if (kb < 10) return `${formatDecimal(kb, 1)} KB`;
  if (kb < 1024) return `${formatCount(kb)} KB`;
  return `${formatDecimal(kb / 1024, 1)} MB`;
}

/** An attempt's duration: milliseconds below a second, else seconds with one decimal. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${formatCount(ms)} ms` : `${formatDecimal(ms / 1000, 1)} s`;
}

/** Held and delivering messages have no next attempt time: say why instead of a dash. */
export function nextAttemptText(item: QueueItem): string {
  switch (item.state) {
    case 'held':
      return 'Held';
    case 'delivering':
      return 'Delivering now';
    case 'queued':
      return item.nextAttemptAt ? formatTime(item.nextAttemptAt) : '—';
  }
}
