import type { RetryPolicy } from '../../../../electron/contract/settings-schema.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { controlProps, FormField } from '../../ui/form-field.js';
import type { DomainDraft } from './domain-draft.js';

export interface ServerDefaults {
  retry: RetryPolicy;
  lifetimeDays: number;
  /** alerts.stuckMinutes: the server-wide alert threshold. */
  stuckMinutes?: number;
  /** delivery.socketTimeoutSeconds: how long a route test can wait for a silent server. */
  socketTimeoutSeconds?: number;
}

type OverrideKey = 'firstRetryMinutes' | 'minIntervalMinutes' | 'maxIntervalMinutes' | 'lifetimeDays' | 'alertStuckMinutes';

const overrides: { key: OverrideKey; path: string; label: string; serverValue: (defaults: ServerDefaults) => number | undefined }[] = [
  { key: 'firstRetryMinutes', path: 'retry.firstRetryMinutes', label: 'First retry after (minutes)', serverValue: (d) => d.retry.firstRetryMinutes },
  { key: 'minIntervalMinutes', path: 'retry.minIntervalMinutes', label: 'Shortest retry interval (minutes)', serverValue: (d) => d.retry.minIntervalMinutes },
  { key: 'maxIntervalMinutes', path: 'retry.maxIntervalMinutes', label: 'Longest retry interval (minutes)', serverValue: (d) => d.retry.maxIntervalMinutes },
  { key: 'lifetimeDays', path: 'lifetimeDays', label: 'Return undelivered mail after (days)', serverValue: (d) => d.lifetimeDays },
  { key: 'alertStuckMinutes', path: 'alertStuckMinutes', label: 'Alert when mail waits longer than (minutes)', serverValue: (d) => d.stuckMinutes },
];

/** Per-domain retry schedule, queue lifetime and alert threshold; an empty field follows the server settings. */
export function RetryOverrideFields(props: {
  idPrefix: string;
  draft: DomainDraft;
  defaults: ServerDefaults | undefined;
  errors: FieldErrors;
  onChange: (key: OverrideKey, text: string) => void;
}) {
  const hintId = `${props.idPrefix}-overrides-hint`;
  return (
    <fieldset aria-describedby={hintId}>
      <legend>Retries, lifetime and alerts</legend>
      <small id={hintId} className="hint">
        Leave a field empty to use the server setting, shown in grey.
      </small>
      <div className="field-grid">
        {overrides.map((override) => {
          const id = `${props.idPrefix}-${override.key}`;
          const error = props.errors[override.path];
          return (
            <FormField key={override.key} id={id} label={override.label} error={error}>
              <input
                {...controlProps(id, error)}
                className="narrow"
                inputMode="decimal"
                placeholder={String(props.defaults ? (override.serverValue(props.defaults) ?? 'server setting') : 'server setting')}
                value={props.draft[override.key]}
                onChange={(event) => props.onChange(override.key, event.target.value)}
              />
            </FormField>
          );
        })}
      </div>
    </fieldset>
  );
}
