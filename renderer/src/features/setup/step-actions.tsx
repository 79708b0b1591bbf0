import type { ReactNode } from 'react';

/**
 * The row under every step: Back (not on the first step), then the step's own buttons. The form's submit
 * button comes first among those, so Enter in a field does what the primary button says.
 */
export function StepActions(props: { onBack?: (() => void) | undefined; busy?: string | undefined; children: ReactNode }) {
  return (
    <div className="form-actions setup-actions">
      {props.onBack ? (
        <button type="button" onClick={props.onBack}>
          Back
        </button>
      ) : null}
      {props.children}
      {props.busy ? <span role="status">{props.busy}</span> : null}
    </div>
  );
}
