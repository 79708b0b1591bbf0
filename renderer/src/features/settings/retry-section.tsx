import type { Settings } from '../../../../electron/contract/settings-schema.js';
import type { FieldErrors } from '../../ui/field-errors.js';
import { requiredNumber } from '../../ui/form-numbers.js';
import { SettingsSection } from './settings-section.js';
import { TextField } from './text-field.js';
import { useSettingsSection } from './use-settings-section.js';

interface RetryDraft {
  firstRetryMinutes: string;
  minIntervalMinutes: string;
  maxIntervalMinutes: string;
}

const fields = [
  { key: 'firstRetryMinutes', label: 'First retry after (minutes)', hint: 'After the first failed delivery.' },
  { key: 'minIntervalMinutes', label: 'Shortest retry interval (minutes)', hint: 'Later retries wait between the shortest and the longest interval.' },
  { key: 'maxIntervalMinutes', label: 'Longest retry interval (minutes)', hint: undefined },
] as const;

function fromSettings(settings: Settings): RetryDraft {
  const retry = settings.retry;
  return { firstRetryMinutes: String(retry.firstRetryMinutes), minIntervalMinutes: String(retry.minIntervalMinutes), maxIntervalMinutes: String(retry.maxIntervalMinutes) };
}

function toPatch(draft: RetryDraft) {
  return {
    retry: {
      firstRetryMinutes: requiredNumber(draft.firstRetryMinutes),
      minIntervalMinutes: requiredNumber(draft.minIntervalMinutes),
      maxIntervalMinutes: requiredNumber(draft.maxIntervalMinutes),
    },
  };
}

/** The engine refuses a shortest interval above the longest when it merges the patch; say so before sending. */
function check(draft: RetryDraft): FieldErrors {
  const min = requiredNumber(draft.minIntervalMinutes);
  const max = requiredNumber(draft.maxIntervalMinutes);
  return min > max ? { 'retry.minIntervalMinutes': 'Must not be longer than the longest interval' } : {};
}

/** How often MX Spool tries the office server again while it is down. Domains may override it. */
export function RetrySection(props: { settings: Settings }) {
  const state = useSettingsSection(props.settings, { fromSettings, toPatch, check });
  return (
    <SettingsSection
      id="settings-retry"
      title="Retry policy"
      description="How often queued mail is tried again while the office mail server cannot be reached. A domain can override these."
      saveLabel="Save retry policy"
      state={state}
      fieldPaths={fields.map((field) => `retry.${field.key}`)}
    >
      {fields.map((field) => (
        <TextField
          key={field.key}
          id={`settings-retry-${field.key}`}
          label={field.label}
          inputMode="decimal"
          value={state.draft[field.key]}
          error={state.errors[`retry.${field.key}`]}
          {...(field.hint ? { hint: field.hint } : {})}
          onChange={(text) => state.setDraft({ ...state.draft, [field.key]: text })}
        />
      ))}
    </SettingsSection>
  );
}
