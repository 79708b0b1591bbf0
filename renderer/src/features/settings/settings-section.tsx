import type { ReactNode } from 'react';
import { ErrorNotice } from '../../ui/error-notice.js';
import { NotSavedReasons } from '../../ui/not-saved-reasons.js';
import type { SettingsSectionState } from './use-settings-section.js';

/**
 * One section of the settings as its own form with its own Save button: saving the retry policy must not
 * also send a half-edited listener port.
 */
export function SettingsSection<Draft>(props: {
  id: string;
  title: string;
  description: string;
  saveLabel: string;
  state: SettingsSectionState<Draft>;
  /** Paths shown beside a field; the engine's reasons for any other path are listed above the button. */
  fieldPaths: string[];
  savedText?: string;
  top?: ReactNode;
  children: ReactNode;
}) {
  const { state } = props;
  const elsewhere = Object.entries(state.errors).filter(([path]) => !props.fieldPaths.includes(path));
  return (
    <form ref={state.formRef} className="settings-section" aria-labelledby={`${props.id}-title`} noValidate onSubmit={state.submit} onBlur={state.onBlur}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      <p className="hint">{props.description}</p>
      {props.top}
      <div className="section-fields">{props.children}</div>
      <NotSavedReasons reasons={elsewhere} />
      {state.failure ? <ErrorNotice error={state.failure} action={`Saving the ${props.title.toLowerCase()} settings`} /> : null}
      <div className="form-actions">
        <button type="submit" className="primary" aria-disabled={state.saving}>
          {props.saveLabel}
        </button>
        <span role="status">{state.saving ? 'Saving…' : state.saved ? (props.savedText ?? 'Saved.') : ''}</span>
      </div>
    </form>
  );
}
