import { useMemo } from 'react';
import { controlProps, FormField } from '../../ui/form-field.js';
import { timeZoneNames } from '../../ui/time-zones.js';
import { reportOutcomes, type ReportDraft, type ReportType } from './report-filter.js';

export type FilterErrors = Partial<Record<'domain' | 'from' | 'to' | 'timeZone' | 'outcome', string>>;

const typeLabels: Record<ReportType, string> = {
  outbound: 'Outbound (delivery attempts)',
  inbound: 'Inbound (sessions received and refused)',
};

/** The report's filters. Every control is labelled; the reason for a refused value sits under its field. */
export function ReportFilters(props: { draft: ReportDraft; domains: readonly string[]; errors: FilterErrors; onChange: (patch: Partial<ReportDraft>) => void }) {
  const { draft, errors, onChange } = props;
  const zones = useMemo(() => timeZoneNames(), []);
  // A domain from a link or an old log line stays choosable even when it is no longer configured.
  const domainOptions = draft.domain && !props.domains.includes(draft.domain) ? [...props.domains, draft.domain] : props.domains;
  return (
    <div className="report-filters">
      <fieldset className="report-type">
        <legend>Report</legend>
        {(['outbound', 'inbound'] as const).map((type) => (
          <label key={type}>
            <input type="radio" name="report-type" value={type} checked={draft.type === type} onChange={() => onChange({ type, outcome: '' })} /> {typeLabels[type]}
          </label>
        ))}
      </fieldset>
      <FormField id="report-domain" label="Domain" error={errors.domain}>
        <select {...controlProps('report-domain', errors.domain)} value={draft.domain} onChange={(event) => onChange({ domain: event.target.value })}>
          <option value="">All domains</option>
          {domainOptions.map((domain) => (
            <option key={domain} value={domain}>
              {domain}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="report-from" label="From" error={errors.from}>
        <input type="date" {...controlProps('report-from', errors.from)} value={draft.from} required onChange={(event) => onChange({ from: event.target.value })} />
      </FormField>
      <FormField id="report-to" label="To" error={errors.to}>
        <input type="date" {...controlProps('report-to', errors.to)} value={draft.to} required onChange={(event) => onChange({ to: event.target.value })} />
      </FormField>
      <FormField id="report-zone" label="Time zone" error={errors.timeZone} hint="Type to search, e.g. Berlin">
        <input
          type="text"
          list="report-zone-names"
          autoComplete="off"
          spellCheck={false}
          {...controlProps('report-zone', errors.timeZone, 'Type to search, e.g. Berlin')}
          value={draft.timeZone}
          onChange={(event) => onChange({ timeZone: event.target.value })}
        />
        <datalist id="report-zone-names">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </FormField>
      <FormField id="report-outcome" label="Outcome" error={errors.outcome}>
        <select {...controlProps('report-outcome', errors.outcome)} value={draft.outcome} onChange={(event) => onChange({ outcome: event.target.value })}>
          <option value="">All outcomes</option>
          {reportOutcomes[draft.type].map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome.charAt(0).toUpperCase() + outcome.slice(1)}
            </option>
          ))}
        </select>
      </FormField>
    </div>
  );
}
