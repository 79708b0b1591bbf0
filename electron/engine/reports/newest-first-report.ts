import type { z } from 'zod';
import { AppError } from '../../contract/app-error.js';
import type { ReportQuery } from '../../contract/report-schema.js';
import type { DayFileSource, IndexedDayFileSource, TimedRecord } from '../logs/json-lines-log.js';
import { readIndexedPage } from '../logs/read-indexed-page.js';
import { readNewestPage } from '../logs/read-newest-page.js';
import { reportWindow } from './report-window.js';

/**
 * The shared shape of every report: the local dates from..to of `timeZone`, optional domain and outcome
 * filters, newest first, one page with the exact total. Memory is bounded by the page, not the range.
 */
export async function newestFirstReport<R extends TimedRecord & { outcome: string }, O extends string, Row>(
  log: DayFileSource<R>,
  query: ReportQuery,
  spec: { outcomes: z.ZodEnum<{ [K in O]: K }>; domainOf: (record: R) => string | null; toRow: (record: R, timeZone: string) => Row },
): Promise<{ total: number; rows: Row[] }> {
  const window = reportWindow(query);
  const outcome = parseOutcome(spec.outcomes, query.outcome);
  const domain = query.domain?.trim().toLowerCase() || undefined;
  // Indexed logs (the engine's) count from their day indexes and read only the page's lines; the index keys
  // are the same domain and outcome as spec.domainOf and record.outcome (see record-logs.ts).
  const indexed = isIndexed(log) ? await readIndexedPage(log, { startMs: window.startMs, endMs: window.endMs, domain, outcome, offset: query.offset, limit: query.limit }) : null;
  const page = indexed ?? await readNewestPage(log, {
    startMs: window.startMs,
    endMs: window.endMs,
    offset: query.offset,
    limit: query.limit,
    filter: (record) => (domain === undefined || spec.domainOf(record)?.toLowerCase() === domain) && (outcome === undefined || record.outcome === outcome),
  });
  return { total: page.total, rows: page.records.map((record) => spec.toRow(record, window.timeZone)) };
}

function isIndexed<R>(log: DayFileSource<R>): log is IndexedDayFileSource<R> {
  return typeof (log as Partial<IndexedDayFileSource<R>>).dayIndex === 'function';
}

/** An unknown outcome is refused rather than silently matching nothing. */
function parseOutcome<O extends string>(schema: z.ZodEnum<{ [K in O]: K }>, outcome: string | undefined): O | undefined {
  if (outcome === undefined || outcome === '') return undefined;
  const parsed = schema.safeParse(outcome);
  if (parsed.success) return parsed.data as O;
  const allowed = schema.options.join(', ');
  throw new AppError('INVALID_INPUT', `Unknown outcome "${outcome}": use one of ${allowed}`, { issues: [{ path: 'outcome', message: `Use one of ${allowed}` }] });
}
