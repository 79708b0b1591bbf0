import { formatCount, formatDecimal } from '../../ui/format-number.js';
import type { ReportFilter } from './report-filter.js';

/** The words around a report: its caption, its empty state, its sizes. */

const subjects = { outbound: 'delivery attempts', inbound: 'sessions received' } as const;

function domainPhrase(filter: ReportFilter): string {
  return filter.domain ? filter.domain : 'all domains';
}

/** "Deferred delivery attempts for example.com, 2026-11-01 to 2026-11-27 (Europe/Berlin)" */
export function reportCaption(filter: ReportFilter): string {
  const subject = filter.outcome ? `${capitalise(filter.outcome)} ${subjects[filter.type]}` : capitalise(subjects[filter.type]);
  return `${subject} for ${domainPhrase(filter)}, ${filter.from} to ${filter.to} (${filter.timeZone})`;
}

/** "No delivery attempts for example.com between 2026-11-01 and 2026-11-27 (Europe/Berlin)." */
export function emptyMessage(filter: ReportFilter): string {
  const subject = filter.outcome ? `${filter.outcome} ${subjects[filter.type]}` : subjects[filter.type];
  const scope = filter.domain ? filter.domain : 'any domain';
  return `No ${subject} for ${scope} between ${filter.from} and ${filter.to} (${filter.timeZone}).`;
}

/** "12.3 KB": sizes at a glance; the CSV keeps exact bytes. */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${formatCount(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatDecimal(bytes / 1024, 1)} KB`;
  return `${formatDecimal(bytes / (1024 * 1024), 1)} MB`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
