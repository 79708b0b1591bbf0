import type { QueueSort, SortField, SortOrder } from './queue-list-input.js';

export interface SortableColumn {
  field: SortField;
  /** The order a first click picks: what an admin usually wants first (biggest, most attempts, oldest). */
  firstOrder: SortOrder;
  /**
   * The column shows the opposite of the field's order: Age is sorted by `createdAt`, so oldest first
   * (createdAt ascending) is age descending. aria-sort describes what the column shows.
   */
  inverted?: boolean;
}

/** A column header that sorts by its field; clicking the sorted column again reverses the order. */
export function SortHeader(props: { label: string; column: SortableColumn; sort: QueueSort; onSort: (sort: QueueSort) => void; className?: string }) {
  const { column, sort } = props;
  const active = sort.field === column.field;
  const ascending = active && (sort.order === 'asc') !== (column.inverted ?? false);
  const next: QueueSort = active ? { field: column.field, order: sort.order === 'asc' ? 'desc' : 'asc' } : { field: column.field, order: column.firstOrder };
  return (
    <th scope="col" className={props.className} aria-sort={active ? (ascending ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => props.onSort(next)}>
        {props.label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (ascending ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
