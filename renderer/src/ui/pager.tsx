import { controlProps, FormField } from './form-field.js';

/** What a screen's pager says. Each screen keeps its own words: its tests and its users know them. */
export interface PagerWords {
  /** The navigation landmark's name, e.g. "Queue pages". */
  pages: string;
  previous: string;
  next: string;
  pageSize: string;
  pageSizeId: string;
  rangeTestId: string;
}

/**
 * "1–100 of 2,345", previous / next and the page size. The engine pages; this only moves the offset.
 * `announceRange` makes the range a live region, so a screen reader hears where paging went (Reports).
 * The queue leaves it silent: its total moves with every live refresh of a busy queue.
 */
export function Pager(props: {
  words: PagerWords;
  pageSizes: readonly number[];
  formatCount: (value: number) => string;
  announceRange?: boolean;
  offset: number;
  limit: number;
  shown: number;
  total: number;
  onOffset: (offset: number) => void;
  onLimit: (limit: number) => void;
}) {
  const { words, offset, limit, total, formatCount } = props;
  const range = props.shown === 0 ? `0 of ${formatCount(total)}` : `${formatCount(offset + 1)}–${formatCount(offset + props.shown)} of ${formatCount(total)}`;
  return (
    <nav aria-label={words.pages} className="pager">
      <span data-testid={words.rangeTestId} aria-live={props.announceRange ? 'polite' : undefined}>
        {range}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => props.onOffset(Math.max(0, offset - limit))}>
        {words.previous}
      </button>
      <button type="button" disabled={offset + limit >= total} onClick={() => props.onOffset(offset + limit)}>
        {words.next}
      </button>
      <FormField id={words.pageSizeId} label={words.pageSize}>
        <select {...controlProps(words.pageSizeId, undefined)} value={limit} onChange={(event) => props.onLimit(Number(event.target.value))}>
          {props.pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </FormField>
    </nav>
  );
}
