import { inboundRecordSchema, type InboundRecord, type InboundRow, type ReportQuery } from '../../contract/report-schema.js';
import type { DayFileSource } from '../logs/json-lines-log.js';
import { newestFirstReport } from './newest-first-report.js';
import { formatReportTime } from './report-window.js';

/**
 * reports.inbound: SMTP sessions received and refused. A session without a domain (refused before RCPT)
 * never matches a domain filter.
 */
export async function inboundReport(log: DayFileSource<InboundRecord>, query: ReportQuery): Promise<{ total: number; rows: InboundRow[] }> {
  return newestFirstReport(log, query, { outcomes: inboundRecordSchema.shape.outcome, domainOf: (record) => record.domain, toRow: toInboundRow });
}

/** Field by field so nothing beyond the row schema leaks out; `response` stays byte for byte. */
function toInboundRow(record: InboundRecord, timeZone: string): InboundRow {
  return {
    time: formatReportTime(Date.parse(record.time), timeZone),
    clientAddress: record.clientAddress,
    helo: record.helo,
    from: record.from,
    recipients: record.recipients,
    domain: record.domain,
    outcome: record.outcome,
    code: record.code,
    response: record.response,
    queueIds: record.queueIds,
    size: record.size,
  };
}
