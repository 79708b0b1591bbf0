import { AppError } from '../../contract/app-error.js';
import { attemptOutcomeSchema, type AttemptOutcome, type AttemptRecord, type OutboundRow, type ReportQuery } from '../../contract/report-schema.js';
import type { DayFileSource } from '../logs/json-lines-log.js';
import { readNewestPage } from '../logs/read-newest-page.js';
import { formatReportTime, reportWindow } from './report-window.js';

/**
 * reports.outbound: delivery attempts in the local dates from..to of `timeZone`, newest first, one page
 * with the exact total. Reads the attempt log day by day; memory is bounded by the page, not the range.
 */
export async function outboundReport(log: DayFileSource<AttemptRecord>, query: ReportQuery): Promise<{ total: number; rows: OutboundRow[] }> {
  const window = reportWindow(query);
  const outcome = outboundOutcome(query.outcome);
  const domain = query.domain?.trim().toLowerCase() || undefined;
  const page = await readNewestPage(log, {
    startMs: window.startMs,
    endMs: window.endMs,
    offset: query.offset,
    limit: query.limit,
    filter: (record) => (domain === undefined || record.domain.toLowerCase() === domain) && (outcome === undefined || record.outcome === outcome),
  });
  return { total: page.total, rows: page.records.map((record) => toOutboundRow(record, window.timeZone)) };
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
  };
}

/** An unknown outcome is refused rather than silently matching nothing. */
function outboundOutcome(outcome: string | undefined): AttemptOutcome | undefined {
  if (outcome === undefined || outcome === '') return undefined;
  const parsed = attemptOutcomeSchema.safeParse(outcome);
  if (parsed.success) return parsed.data;
  const allowed = attemptOutcomeSchema.options.join(', ');
  throw new AppError('INVALID_INPUT', `Unknown outcome "${outcome}": use one of ${allowed}`, { issues: [{ path: 'outcome', message: `Use one of ${allowed}` }] });
}
