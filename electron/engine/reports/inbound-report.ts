import type { z } from 'zod';
import { AppError } from '../../contract/app-error.js';
import { inboundRecordSchema, type InboundRecord, type InboundRow, type ReportQuery } from '../../contract/report-schema.js';
import type { DayFileSource } from '../logs/json-lines-log.js';
import { readNewestPage } from '../logs/read-newest-page.js';
import { formatReportTime, reportWindow } from './report-window.js';

const inboundOutcomeSchema = inboundRecordSchema.shape.outcome;
type InboundOutcome = z.infer<typeof inboundOutcomeSchema>;

/**
 * reports.inbound: SMTP sessions received in the local dates from..to of `timeZone`, newest first, one
 * page with the exact total. A session without a domain (refused before RCPT) never matches a domain filter.
 */
export async function inboundReport(log: DayFileSource<InboundRecord>, query: ReportQuery): Promise<{ total: number; rows: InboundRow[] }> {
  const window = reportWindow(query);
  const outcome = inboundOutcome(query.outcome);
  const domain = query.domain?.trim().toLowerCase() || undefined;
  const page = await readNewestPage(log, {
    startMs: window.startMs,
    endMs: window.endMs,
    offset: query.offset,
    limit: query.limit,
    filter: (record) => (domain === undefined || record.domain?.toLowerCase() === domain) && (outcome === undefined || record.outcome === outcome),
  });
  return { total: page.total, rows: page.records.map((record) => toInboundRow(record, window.timeZone)) };
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

/** An unknown outcome is refused rather than silently matching nothing. */
function inboundOutcome(outcome: string | undefined): InboundOutcome | undefined {
  if (outcome === undefined || outcome === '') return undefined;
  const parsed = inboundOutcomeSchema.safeParse(outcome);
  if (parsed.success) return parsed.data;
  const allowed = inboundOutcomeSchema.options.join(', ');
  throw new AppError('INVALID_INPUT', `Unknown outcome "${outcome}": use one of ${allowed}`, { issues: [{ path: 'outcome', message: `Use one of ${allowed}` }] });
}
