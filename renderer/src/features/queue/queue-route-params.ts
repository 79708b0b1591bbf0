import { pagingFromParams, pagingParams } from '../../ui/paging-params.js';
import { routeHref } from '../../ui/route.js';
import { defaultPageSize, defaultSort, filtersFromParams, pageSizes, type QueueFilters, type QueueSort, type SortField } from './queue-list-input.js';

/**
 * The queue view as its address holds it (`#/queue?domain=example.com&state=held&sort=size&order=desc&page=2`):
 * the filters, the sort, the page and the message open in the drawer. The names of the filters
 * (`domain`, `state`, `olderThanMinutes`, `search`) and `id` are public: the dashboard, the Domains
 * screen and the desktop notifications link with them.
 */
export interface QueueLink {
  /** `search` is the applied (debounced) text: the address follows the list, not each key. */
  filters: QueueFilters;
  sort: QueueSort;
  offset: number;
  limit: number;
  openId: string | null;
}

const sortFields: readonly string[] = ['createdAt', 'nextAttemptAt', 'size', 'attempts', 'domain'] satisfies SortField[];

/** Unknown or malformed values fall back to the defaults, as filtersFromParams does. */
export function queueLinkFromParams(params: Record<string, string>): QueueLink {
  const field = params.sort && sortFields.includes(params.sort) ? (params.sort as SortField) : defaultSort.field;
  const order = params.order === 'asc' || params.order === 'desc' ? params.order : defaultSort.order;
  return { filters: filtersFromParams(params), sort: { field, order }, ...pagingFromParams(params, pageSizes, defaultPageSize), openId: params.id || null };
}

/** Defaults are left out: the whole queue, oldest first, on its first page is plain `#/queue`. */
export function queueRouteParams(link: QueueLink): Record<string, string> {
  const { filters, sort } = link;
  const search = filters.search.trim();
  return {
    ...(filters.domain ? { domain: filters.domain } : {}),
    ...(filters.state !== 'all' ? { state: filters.state } : {}),
    ...(filters.olderThanMinutes !== null ? { olderThanMinutes: String(filters.olderThanMinutes) } : {}),
    ...(search ? { search } : {}),
    ...(sort.field !== defaultSort.field ? { sort: sort.field } : {}),
    ...(sort.order !== defaultSort.order ? { order: sort.order } : {}),
    ...pagingParams(link, defaultPageSize),
    ...(link.openId ? { id: link.openId } : {}),
  };
}

/** Any spelling of a queue address, written the screen's way: two links to one view compare equal. */
export function canonicalQueueHref(params: Record<string, string>): string {
  return routeHref('queue', queueRouteParams(queueLinkFromParams(params)));
}
