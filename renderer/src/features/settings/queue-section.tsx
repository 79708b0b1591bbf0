import type { Settings } from '../../../../electron/contract/settings-schema.js';
import { requiredNumber } from '../../ui/form-numbers.js';
import { SettingsSection } from './settings-section.js';
import { TextField } from './text-field.js';
import { useSettingsSection } from './use-settings-section.js';

interface QueueDraft {
  lifetimeDays: string;
  minFreeDiskMb: string;
  delayWarningHours: string;
}

const fields = [
  { key: 'lifetimeDays', label: 'Return undelivered mail after (days)', hint: 'The sender then gets a bounce. A domain can override this.' },
  { key: 'minFreeDiskMb', label: 'Minimum free disk space (MB)', hint: 'Below this, new mail is refused for now (senders try again later), so the disk never fills up.' },
  { key: 'delayWarningHours', label: 'Warn the sender after (hours)', hint: '0 = never send a delay warning.' },
] as const;

function fromSettings(settings: Settings): QueueDraft {
  const queue = settings.queue;
  return { lifetimeDays: String(queue.lifetimeDays), minFreeDiskMb: String(queue.minFreeDiskMb), delayWarningHours: String(queue.delayWarningHours) };
}

function toPatch(draft: QueueDraft) {
  return {
    queue: {
      lifetimeDays: requiredNumber(draft.lifetimeDays),
      minFreeDiskMb: requiredNumber(draft.minFreeDiskMb),
      delayWarningHours: requiredNumber(draft.delayWarningHours),
    },
  };
}

/** How long mail may wait and how much disk the spool may use. */
export function QueueSection(props: { settings: Settings }) {
  const state = useSettingsSection(props.settings, { fromSettings, toPatch });
  return (
    <SettingsSection
      id="settings-queue"
      title="Queue"
      description="How long mail waits for the office server, and how much disk space MX Spool leaves free."
      saveLabel="Save queue settings"
      state={state}
      fieldPaths={fields.map((field) => `queue.${field.key}`)}
    >
      {fields.map((field) => (
        <TextField
          key={field.key}
          id={`settings-queue-${field.key}`}
          label={field.label}
          inputMode="decimal"
          value={state.draft[field.key]}
          error={state.errors[`queue.${field.key}`]}
          hint={field.hint}
          onChange={(text) => state.setDraft({ ...state.draft, [field.key]: text })}
        />
      ))}
    </SettingsSection>
  );
}
