import { memo, type KeyboardEvent, type MouseEvent } from 'react';
import type { QueueItem } from '../../../../electron/contract/queue-schema.js';
import { formatCount } from '../../ui/format-number.js';
import { formatAge, formatTime } from '../../ui/format-time.js';
import { lastCategoryLabel } from './category-labels.js';
import { formatSize, nextAttemptText, recipientsSummary, senderLabel } from './queue-format.js';

/**
 * One queued message. The rows are one tab stop (roving tabindex, `tabbable` on one row), so Tab crosses
 * a page of 200 messages in one press: arrows, Home and End move between rows, Space selects, Enter opens
 * the details. The row's own checkbox and Details button stay clickable and reachable by screen readers,
 * but out of the tab order for the same reason. A click anywhere else on the row opens the details,
 * unless the admin was selecting text (to copy a reply); a click beside the checkbox toggles it.
 */
export const QueueRow = memo(function QueueRow(props: {
  item: QueueItem;
  selected: boolean;
  tabbable: boolean;
  now: number;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
  onFocus: (id: string) => void;
}) {
  const { item, selected, onToggle, onOpen, onFocus } = props;
  const category = lastCategoryLabel(item.lastCategory);
  const recipients = item.to.length > 0 ? item.to : item.recipients.map((recipient) => recipient.address);
  const keyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    const row = event.currentTarget;
    if (event.key === 'Enter') onOpen(item.id);
    else if (event.key === ' ') onToggle(item.id);
    else if (event.key === 'ArrowDown') (row.nextElementSibling as HTMLElement | null)?.focus();
    else if (event.key === 'ArrowUp') (row.previousElementSibling as HTMLElement | null)?.focus();
    else if (event.key === 'Home') (row.parentElement?.firstElementChild as HTMLElement | null)?.focus();
    else if (event.key === 'End') (row.parentElement?.lastElementChild as HTMLElement | null)?.focus();
    else return;
    event.preventDefault();
  };
  const click = (event: MouseEvent<HTMLTableRowElement>) => {
    const target = event.target as Element;
    if (target.closest('input, button, a')) return;
    if (target.closest('.select-cell')) onToggle(item.id);
    else if (!window.getSelection()?.toString()) onOpen(item.id);
  };
  return (
    <tr
      tabIndex={props.tabbable ? 0 : -1}
      className={selected ? 'queue-row selected' : 'queue-row'}
      data-id={item.id}
      onKeyDown={keyDown}
      onClick={click}
      onFocus={(event) => event.target === event.currentTarget && onFocus(item.id)}
    >
      <td className="select-cell">
        <input type="checkbox" tabIndex={-1} aria-label={`Select message ${item.id}`} checked={selected} onChange={() => onToggle(item.id)} />
      </td>
      <td>{item.domain}</td>
      <td className="address" data-testid="sender">
        {senderLabel(item.from)}
      </td>
      <td className="address" title={recipients.join('\n')}>
        {recipientsSummary(recipients)}
      </td>
      <td className="number">{formatSize(item.size)}</td>
      <td className="number" title={formatTime(item.createdAt)}>
        {formatAge(props.now - Date.parse(item.createdAt))}
      </td>
      <td className="number">{formatCount(item.attempts)}</td>
      <td className={`next-attempt state-${item.state}`}>{nextAttemptText(item)}</td>
      <td className="last-reply">
        {category ? (
          <span className="last-category" data-testid="last-category">
            {category}
          </span>
        ) : null}
        <span title={item.lastResponse ?? undefined} data-testid="last-reply">
          {item.lastResponse ?? '—'}
        </span>
      </td>
      <td>
        <button type="button" tabIndex={-1} className="details-button" aria-label={`Details of message ${item.id}`} onClick={() => onOpen(item.id)}>
          Details
        </button>
      </td>
    </tr>
  );
});
