/** One page of a report as the API returns it. */
export interface ReportPage<Row> {
  total: number;
  rows: Row[];
}

/** The contract's largest `limit` (report-schema.ts): fewest round trips, each page still bounded. */
export const EXPORT_PAGE_SIZE = 10_000;

/**
 * Every row of a report, page by page, for the CSV export; `onProgress(done, total)` after each page.
 * Stops with `signal.reason` when cancelled (a page already asked for is awaited, then dropped).
 *
 * Pages are counted from the newest row, so mail that arrives during a long export pushes every row down
 * by one: without care, the next page would repeat the last row of the previous page. The rows that
 * existed when the export started are what is exported, and each page's offset is moved by the growth of
 * the total since the first page, because new rows can only appear at the newest end.
 */
export async function fetchAllRows<Row>(
  fetchPage: (offset: number, limit: number) => Promise<ReportPage<Row>>,
  options: { signal: AbortSignal; onProgress: (done: number, total: number) => void; pageSize?: number },
): Promise<Row[]> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const rows: Row[] = [];
  let total: number | null = null; // the rows to export: the total when the export started
  let growth = 0; // rows added at the newest end since then
  for (;;) {
    options.signal.throwIfAborted();
    // Always a full page, even for the last rows: the first rows of a page may be skipped (see shift).
    const page = await fetchPage(rows.length + growth, pageSize);
    options.signal.throwIfAborted();
    total ??= page.total;
    // Rows that arrived since the previous page moved this one down: its first `shift` rows are already saved.
    const shift = Math.max(0, page.total - total - growth);
    growth += shift;
    rows.push(...page.rows.slice(shift, shift + total - rows.length));
    options.onProgress(rows.length, total);
    // A short page is the oldest end of the report (rows pruned by log retention leave it short too).
    if (rows.length >= total || page.rows.length < pageSize) return rows;
  }
}
