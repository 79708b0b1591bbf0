import { controlProps, FormField } from '../../ui/form-field.js';
import { formatCount } from '../../ui/format-number.js';
import { hasFilters, noFilters, type QueueFilters, type StateFilter } from './queue-list-input.js';

export interface DomainOption {
  domain: string;
  /** Messages queued for it, held ones included; null when not known. */
  count: number | null;
}

const stateOptions: { value: StateFilter; label: string }[] = [
  { value: 'all', label: 'All states' },
  { value: 'queued', label: 'Queued' },
  { value: 'held', label: 'Held' },
  { value: 'delivering', label: 'Delivering' },
];

/** "Older than" choices, in minutes: from "just deferred" to "stuck for days". */
const ageOptions: { minutes: number | null; label: string }[] = [
  { minutes: null, label: 'Any age' },
  { minutes: 5, label: '5 min' },
  { minutes: 30, label: '30 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 1440, label: '1 day' },
  { minutes: 4320, label: '3 days' },
];

const searchHint = 'Sender, recipient, subject or queue id';

/** Domain, state, age and search. Changes apply at once; the search box is debounced by the screen. */
export function QueueFilterBar(props: { filters: QueueFilters; domains: readonly DomainOption[]; onChange: (filters: QueueFilters) => void }) {
  const { filters, onChange } = props;
  const set = (patch: Partial<QueueFilters>) => onChange({ ...filters, ...patch });
  const domains = props.domains.some((option) => option.domain === filters.domain) || filters.domain === '' ? props.domains : [{ domain: filters.domain, count: null }, ...props.domains];
  // A link may carry an age that is not one of ours: show it rather than pretend it is "Any age".
  const ages = ageOptions.some((option) => option.minutes === filters.olderThanMinutes) ? ageOptions : [...ageOptions, { minutes: filters.olderThanMinutes, label: `${filters.olderThanMinutes} min` }];
  return (
    <search className="queue-filters">
      <FormField id="queue-domain" label="Domain">
        <select {...controlProps('queue-domain', undefined)} value={filters.domain} onChange={(event) => set({ domain: event.target.value })}>
          <option value="">All domains</option>
          {domains.map((option) => (
            <option key={option.domain} value={option.domain}>
              {option.count === null ? option.domain : `${option.domain} (${formatCount(option.count)})`}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="queue-state" label="State">
        <select {...controlProps('queue-state', undefined)} value={filters.state} onChange={(event) => set({ state: event.target.value as StateFilter })}>
          {stateOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="queue-age" label="Older than">
        <select
          {...controlProps('queue-age', undefined)}
          value={filters.olderThanMinutes ?? ''}
          onChange={(event) => set({ olderThanMinutes: event.target.value === '' ? null : Number(event.target.value) })}
        >
          {ages.map((option) => (
            <option key={option.label} value={option.minutes ?? ''}>
              {option.label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="queue-search" label="Search" hint={searchHint}>
        <input
          {...controlProps('queue-search', undefined, searchHint)}
          type="search"
          maxLength={320}
          autoComplete="off"
          value={filters.search}
          onChange={(event) => set({ search: event.target.value })}
        />
      </FormField>
      {hasFilters(filters) ? (
        <button type="button" className="clear-filters" onClick={() => onChange(noFilters)}>
          Clear filters
        </button>
      ) : null}
    </search>
  );
}
