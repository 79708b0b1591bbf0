import type { InboundRow, OutboundRow } from '../../../../electron/contract/report-schema.js';
import type { CsvValue } from './report-csv.js';
import type { ReportFilter } from './report-filter.js';
import { refusedReply } from './refused-reply.js';
import { splitReportTime } from './report-time.js';

/**
 * The export's columns: everything the table shows and the fields it leaves out (ids, durations), each
 * value as recorded. Time is split in two columns: Excel reads "2026-11-27 10:15:00" as a date-time, and
 * the offset beside it tells apart the two 02:30 of the night the clocks go back. The cause columns
 * (category, title, fix) are the engine's diagnosis of the attempt, empty when it has none. The last
 * column, added later (so scripts reading columns by position keep working), lists the recipients refused
 * at RCPT TO while the others were accepted, each with its exact reply.
 */
export function outboundCsv(rows: readonly OutboundRow[], timeZone: string): { header: string[]; rows: CsvValue[][] } {
  return {
    header: [`Time (${timeZone})`, 'UTC offset', 'Domain', 'From', 'Recipients', 'Destination', 'Remote IP', 'Local IP', 'Stage', 'Outcome', 'Code', 'Enhanced code', 'Reply', 'Error code', 'Cause category', 'Cause', 'Fix', 'Duration (ms)', 'Queue ID', 'Message-ID', 'Refused recipients'],
    rows: rows.map((row) => {
      const time = splitReportTime(row.time);
      return [time.local, time.offset, row.domain, row.from, recipientList(row.recipients), row.destination, row.remoteAddress, row.localAddress, row.stage, row.outcome, row.code, row.enhancedCode, row.response, row.errorCode, row.diagnosis?.category ?? null, row.diagnosis?.title ?? null, row.diagnosis?.fix ?? null, row.durationMs, row.queueId, row.messageId, refusedList(row.refusedRecipients)];
    }),
  };
}

export function inboundCsv(rows: readonly InboundRow[], timeZone: string): { header: string[]; rows: CsvValue[][] } {
  return {
    header: [`Time (${timeZone})`, 'UTC offset', 'Client IP', 'HELO', 'From', 'Recipients', 'Domain', 'Outcome', 'Code', 'Reply', 'Size (bytes)', 'Queue IDs'],
    rows: rows.map((row) => {
      const time = splitReportTime(row.time);
      return [time.local, time.offset, row.clientAddress, row.helo, row.from, recipientList(row.recipients), row.domain, row.outcome, row.code, row.response, row.size, row.queueIds.join(' ')];
    }),
  };
}

// "; " as Outlook and Excel users expect between addresses; a comma would be just as safe (the field is quoted).
function recipientList(recipients: readonly string[]): string {
  return recipients.join('; ');
}

// "address: reply" per refused recipient. " | " between them: a reply often holds "; " and ", " itself.
function refusedList(refused: OutboundRow['refusedRecipients']): string | null {
  if (!refused || refused.length === 0) return null;
  return refused.map((recipient) => `${recipient.address}: ${refusedReply(recipient)}`).join(' | ');
}

/** `mx-spool-outbound-example.com-2026-11-01_2026-11-27-Europe-Berlin.csv`: safe on Windows, macOS and Linux. */
export function exportFileName(filter: ReportFilter): string {
  const parts = ['mx-spool', filter.type, filter.domain || 'all-domains', ...(filter.outcome ? [filter.outcome] : []), `${filter.from}_${filter.to}`, filter.timeZone];
  return `${parts.map(safeForFileName).join('-')}.csv`;
}

// "/" separates folders and ":" is refused by Windows; a zone like Etc/GMT+5 keeps its sign.
function safeForFileName(part: string): string {
  return part.replace(/[^A-Za-z0-9._+@-]+/g, '-');
}
