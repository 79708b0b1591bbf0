import { attemptOutcomeSchema, type AttemptRecord, type OutboundRow, type RefusedRecipient, type ReportQuery } from '../../contract/report-schema.js';
import { classifyAttempt } from '../diagnosis/classify-attempt.js';
import type { DayFileSource } from '../logs/json-lines-log.js';
import { newestFirstReport } from './newest-first-report.js';
import { formatReportTime } from './report-window.js';

/** reports.outbound: delivery attempts, with the destination's reply exactly as recorded. */
export async function outboundReport(log: DayFileSource<AttemptRecord>, query: ReportQuery): Promise<{ total: number; rows: OutboundRow[] }> {
  return newestFirstReport(log, query, { outcomes: attemptOutcomeSchema, domainOf: (record) => record.domain, toRow: toOutboundRow });
}

/** Copies the fields one by one so nothing beyond the row schema leaks out; `response` stays byte for byte. */
function toOutboundRow(record: AttemptRecord, timeZone: string): OutboundRow {
  return {
    time: formatReportTime(Date.parse(record.time), timeZone),
    messageId: record.messageId,
    queueId: record.queueId,
    domain: record.domain,
    from: record.from,
    recipients: record.recipients,
    destination: record.destination,
    remoteAddress: record.remoteAddress,
    localAddress: record.localAddress,
    stage: record.stage,
    outcome: record.outcome,
    code: record.code,
    enhancedCode: record.enhancedCode,
    response: record.response,
    errorCode: record.errorCode,
    durationMs: record.durationMs,
    // Only when the attempt has some: old day-log lines, and attempts without a refused recipient, have none.
    ...(record.refusedRecipients ? { refusedRecipients: record.refusedRecipients.map(toRefusedRecipient) } : {}),
    diagnosis: classifyAttempt(record),
  };
}

function toRefusedRecipient(refused: RefusedRecipient): RefusedRecipient {
  return { address: refused.address, code: refused.code, enhancedCode: refused.enhancedCode, response: refused.response, outcome: refused.outcome };
}
