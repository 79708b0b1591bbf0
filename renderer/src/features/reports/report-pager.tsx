import { pageRange } from './report-wording.js';

export const pageSizes = [25, 50, 100, 250, 500] as const;

/** "1–100 of 2,345", Previous / Next and the page size. */
export function ReportPager(props: { offset: number; shown: number; total: number; pageSize: number; onOffset: (offset: number) => void; onPageSize: (size: number) => void }) {
  const { offset, shown, total, pageSize } = props;
  return (
    <div className="report-pager" role="group" aria-label="Pages">
      <span aria-live="polite" data-testid="page-range">
        {pageRange(offset, shown, total)}
      </span>
      <button type="button" onClick={() => props.onOffset(Math.max(0, offset - pageSize))} disabled={offset === 0}>
        Previous
      </button>
      <button type="button" onClick={() => props.onOffset(offset + pageSize)} disabled={offset + pageSize >= total}>
        Next
      </button>
      <label htmlFor="report-page-size">Rows per page</label>
      <select id="report-page-size" value={pageSize} onChange={(event) => props.onPageSize(Number(event.target.value))}>
        {pageSizes.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </select>
    </div>
  );
}
