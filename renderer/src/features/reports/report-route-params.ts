import { pagingFromParams, pagingParams } from '../../ui/paging-params.js';
import { routeHref } from '../../ui/route.js';
import { systemTimeZone } from '../../ui/time-zones.js';
import { checkDraft, initialDraft, type ReportDraft, type ReportFilter } from './report-filter.js';

export const reportPageSizes = [25, 50, 100, 250, 500] as const;
export const defaultReportPageSize = 100;

/**
 * The Reports view as its address holds it (`#/reports?type=inbound&domain=example.com&page=2`). `type`,
 * `domain`, `from`, `to`, `timeZone` and `outcome` are the names links already use (the dashboard, the
 * queue); `page` and `pageSize` are the pager's.
 */
export interface ReportLink {
  draft: ReportDraft;
  /** Dates picked by the admin (or a link), rather than "the last 7 days" that move with the zone and the day. */
  datesChosen: boolean;
  offset: number;
  limit: number;
}

export function reportLinkFromParams(params: Record<string, string>, nowMs: number): ReportLink {
  return {
    draft: initialDraft(params, nowMs),
    datesChosen: params.from !== undefined || params.to !== undefined,
    ...pagingFromParams(params, reportPageSizes, defaultReportPageSize),
  };
}

/**
 * The applied filter in the address, defaults left out so the plain screen stays `#/reports`. Chosen
 * dates are written with their zone, because the zone says which days they are; "the last 7 days" is
 * left out so a bookmark keeps meaning the last 7 days, with the zone only when it is not the computer's.
 */
export function reportRouteParams(filter: ReportFilter, datesChosen: boolean, offset: number, limit: number): Record<string, string> {
  const zone: Record<string, string> = datesChosen || filter.timeZone !== systemTimeZone() ? { timeZone: filter.timeZone } : {};
  return {
    ...(filter.type !== 'outbound' ? { type: filter.type } : {}),
    ...(filter.domain ? { domain: filter.domain } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(datesChosen ? { from: filter.from, to: filter.to } : {}),
    ...zone,
    ...pagingParams({ offset, limit }, defaultReportPageSize),
  };
}

/** Any spelling of a Reports address, written the screen's way: two links to one view compare equal. */
export function canonicalReportHref(params: Record<string, string>): string {
  const { draft, datesChosen, offset, limit } = reportLinkFromParams(params, Date.now());
  const check = checkDraft(draft);
  // A link with "from" after "to" opens on the refusal; it is a view of its own, compared as written.
  return check.ok ? routeHref('reports', reportRouteParams(check.filter, datesChosen, offset, limit)) : routeHref('reports', params);
}
