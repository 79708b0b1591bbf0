/**
 * Paging in a screen's address: `page` (from 1) and `pageSize`, as a person reads them, rather than the
 * engine's offset and limit. Both are left out at their defaults; a value the screen does not offer
 * (a page size not in its list, page 0, "two") falls back to the default instead of failing.
 */
export interface Paging {
  offset: number;
  limit: number;
}

export function pagingFromParams(params: Record<string, string>, pageSizes: readonly number[], defaultPageSize: number): Paging {
  const limit = pageSizes.find((size) => String(size) === params.pageSize) ?? defaultPageSize;
  const page = Number(params.page);
  return { offset: Number.isSafeInteger(page) && page > 1 ? (page - 1) * limit : 0, limit };
}

export function pagingParams(paging: Paging, defaultPageSize: number): Record<string, string> {
  // Offsets move by whole pages (the pager, the page size resetting to the first page), so this is exact.
  const page = Math.floor(paging.offset / paging.limit) + 1;
  return { ...(page > 1 ? { page: String(page) } : {}), ...(paging.limit !== defaultPageSize ? { pageSize: String(paging.limit) } : {}) };
}
