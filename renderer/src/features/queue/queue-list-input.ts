import type { ApiInput } from '../../../../electron/contract/api-contract.js';
import type { QueueState } from '../../../../electron/contract/queue-schema.js';

export type ListInput = ApiInput<'queue.list'>;
export type SortField = NonNullable<ListInput['sort']>;
export type SortOrder = NonNullable<ListInput['order']>;
export type StateFilter = QueueState | 'all';

/** What the admin filters on. `search` is the raw text of the box; the screen debounces it before asking. */
export interface QueueFilters {
  domain: string;
  state: StateFilter;
  olderThanMinutes: number | null;
  search: string;
}

export interface QueueSort {
  field: SortField;
  order: SortOrder;
}

export const noFilters: QueueFilters = { domain: '', state: 'all', olderThanMinutes: null, search: '' };

/** The contract's default: oldest first, because the oldest mail is the closest to being returned to its sender. */
export const defaultSort: QueueSort = { field: 'createdAt', order: 'asc' };

export const pageSizes = [50, 100, 200] as const;
export const defaultPageSize = 100;

const stateFilters: readonly string[] = ['all', 'queued', 'held', 'delivering'] satisfies StateFilter[];

/**
 * Initial filters from the route (`#/queue?domain=example.com&state=held&olderThanMinutes=60&search=bob`),
 * so other screens can link to a filtered queue. Unknown or malformed values are ignored, not errors.
 */
export function filtersFromParams(params: Record<string, string>): QueueFilters {
  const minutes = Number(params.olderThanMinutes);
  return {
    domain: params.domain?.trim() ?? '',
    state: params.state && stateFilters.includes(params.state) ? (params.state as StateFilter) : 'all',
    olderThanMinutes: params.olderThanMinutes && Number.isFinite(minutes) && minutes > 0 ? minutes : null,
    search: params.search ?? '',
  };
}

export function hasFilters(filters: QueueFilters): boolean {
  return filters.domain !== '' || filters.state !== 'all' || filters.olderThanMinutes !== null || filters.search.trim() !== '';
}

/** The `queue.list` input for one page. Unset filters are left out rather than sent empty. */
export function listInput(filters: QueueFilters, sort: QueueSort, offset: number, limit: number): ListInput {
  const search = filters.search.trim();
  return {
    ...(filters.domain ? { domain: filters.domain } : {}),
    ...(filters.state !== 'all' ? { state: filters.state } : {}),
    ...(filters.olderThanMinutes !== null ? { olderThanMinutes: filters.olderThanMinutes } : {}),
    ...(search ? { search } : {}),
    sort: sort.field,
    order: sort.order,
    offset,
    limit,
  };
}

/** Offset of the last page that has rows, for when the queue shrank under the page being shown. */
export function lastPageOffset(total: number, limit: number): number {
  return total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
}
