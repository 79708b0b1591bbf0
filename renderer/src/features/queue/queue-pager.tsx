import { controlProps, FormField } from '../../ui/form-field.js';
import { formatCount } from './queue-format.js';
import { pageSizes } from './queue-list-input.js';

/** "1–100 of 100,000", previous / next and the page size. The engine pages; this only moves the offset. */
export function QueuePager(props: { offset: number; limit: number; shown: number; total: number; onOffset: (offset: number) => void; onLimit: (limit: number) => void }) {
  const { offset, limit, total } = props;
  const range = props.shown === 0 ? `0 of ${formatCount(total)}` : `${formatCount(offset + 1)}–${formatCount(offset + props.shown)} of ${formatCount(total)}`;
  return (
    <nav aria-label="Queue pages" className="queue-pager">
      <span data-testid="queue-range">{range}</span>
      <button type="button" disabled={offset === 0} onClick={() => props.onOffset(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <button type="button" disabled={offset + limit >= total} onClick={() => props.onOffset(offset + limit)}>
        Next page
      </button>
      <FormField id="queue-page-size" label="Per page">
        <select {...controlProps('queue-page-size', undefined)} value={limit} onChange={(event) => props.onLimit(Number(event.target.value))}>
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </FormField>
    </nav>
  );
}
