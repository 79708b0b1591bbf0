import { useEffect, useRef, useState } from 'react';
import type { QueueItem } from '../../../../electron/contract/queue-schema.js';
import type { QueueSort } from './queue-list-input.js';
import { QueueRow } from './queue-row.js';
import { SortHeader, type SortableColumn } from './sort-header.js';

const columns = {
  domain: { field: 'domain', firstOrder: 'asc' },
  size: { field: 'size', firstOrder: 'desc' },
  age: { field: 'createdAt', firstOrder: 'asc', inverted: true },
  attempts: { field: 'attempts', firstOrder: 'desc' },
  nextAttempt: { field: 'nextAttemptAt', firstOrder: 'asc' },
} as const satisfies Record<string, SortableColumn>;

/** One page of the queue. Sorting and paging happen in the engine: this shows at most one page of rows. */
export function QueueTable(props: {
  items: readonly QueueItem[];
  sort: QueueSort;
  onSort: (sort: QueueSort) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  onOpen: (id: string) => void;
  now: number;
  stale: boolean;
}) {
  const { items, selected, sort, onSort } = props;
  const selectedHere = items.filter((item) => selected.has(item.id)).length;
  const all = items.length > 0 && selectedHere === items.length;
  const some = selectedHere > 0 && !all;
  const selectAll = useRef<HTMLInputElement>(null);
  // The row Tab lands on: the last one focused while it is on this page, else the first.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const tabbableId = items.some((item) => item.id === focusedId) ? focusedId : (items[0]?.id ?? null);
  useEffect(() => {
    // "indeterminate" exists only as a DOM property, not as an attribute React could set.
    if (selectAll.current) selectAll.current.indeterminate = some;
  }, [some]);
  return (
    <div className="queue-table-wrap">
      <p id="queue-keys" className="hint">
        In the table: arrow keys move between messages, Space selects one, Enter opens its details.
      </p>
      <table className={props.stale ? 'queue-table stale' : 'queue-table'} aria-busy={props.stale} aria-describedby="queue-keys">
        <caption>Queued messages</caption>
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input ref={selectAll} type="checkbox" aria-label="Select all on this page" checked={all} onChange={() => props.onToggleAll(!all)} />
            </th>
            <SortHeader label="Domain" column={columns.domain} sort={sort} onSort={onSort} />
            <th scope="col">Sender</th>
            <th scope="col">Recipients</th>
            <SortHeader label="Size" column={columns.size} sort={sort} onSort={onSort} className="number" />
            <SortHeader label="Age" column={columns.age} sort={sort} onSort={onSort} className="number" />
            <SortHeader label="Attempts" column={columns.attempts} sort={sort} onSort={onSort} className="number" />
            <SortHeader label="Next attempt" column={columns.nextAttempt} sort={sort} onSort={onSort} />
            <th scope="col">Last reply</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <QueueRow
              key={item.id}
              item={item}
              selected={selected.has(item.id)}
              tabbable={item.id === tabbableId}
              now={props.now}
              onToggle={props.onToggle}
              onOpen={props.onOpen}
              onFocus={setFocusedId}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
