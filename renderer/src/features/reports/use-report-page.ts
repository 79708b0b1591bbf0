import { useQuery } from '@tanstack/react-query';
import type { InboundRow, OutboundRow } from '../../../../electron/contract/report-schema.js';
import { callApi } from '../../api/api-client.js';
import { reportMethods, type ReportFilter } from './report-filter.js';

/** A page tagged with the filter that produced it, so the table, caption and empty state always match the rows. */
export type LoadedReport =
  | { type: 'outbound'; filter: ReportFilter; offset: number; total: number; rows: OutboundRow[] }
  | { type: 'inbound'; filter: ReportFilter; offset: number; total: number; rows: InboundRow[] };

export async function fetchReport(filter: ReportFilter, offset: number, limit: number): Promise<LoadedReport> {
  const { type, ...query } = filter;
  const input = { ...query, offset, limit };
  if (type === 'outbound') return { type, filter, offset, ...(await callApi('reports.outbound', input)) };
  return { type, filter, offset, ...(await callApi('reports.inbound', input)) };
}

/**
 * One page of the report; nothing is asked while the filter is invalid (null). The previous page stays
 * on screen while the next loads (paging, a changed filter) but never across report types: outbound rows
 * under inbound headings would be wrong, not just stale.
 */
export function useReportPage(filter: ReportFilter | null, offset: number, limit: number) {
  const method = filter ? reportMethods[filter.type] : reportMethods.outbound;
  const input = filter ? { ...withoutType(filter), offset, limit } : null;
  return useQuery({
    queryKey: [method, input],
    queryFn: () => (filter ? fetchReport(filter, offset, limit) : Promise.reject(new Error('The report filter is not valid'))),
    enabled: filter !== null,
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[0] === method ? previous : undefined),
  });
}

function withoutType(filter: ReportFilter): Omit<ReportFilter, 'type'> {
  const { type: _type, ...rest } = filter;
  return rest;
}
