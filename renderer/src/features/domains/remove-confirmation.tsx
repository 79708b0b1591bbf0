import { useEffect, useRef, type KeyboardEvent } from 'react';
import { removalWarning } from './domain-messages.js';

/** Asks before removing, saying what happens to the mail already queued for the domain. */
export function RemoveConfirmation(props: { name: string; queued: number | undefined; pending: boolean; onConfirm: () => void; onCancel: () => void }) {
  const cancelButton = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelButton.current?.focus(), []); // the safe choice gets the focus
  const textId = `remove-${props.name}-text`;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
    }
  };
  return (
    <div role="group" aria-label={`Remove ${props.name}`} aria-describedby={textId} className="confirm" onKeyDown={onKeyDown}>
      <p id={textId}>{removalWarning(props.name, props.queued)}</p>
      <button type="button" className="danger" aria-disabled={props.pending} onClick={() => !props.pending && props.onConfirm()}>
        Yes, remove {props.name}
      </button>
      <button type="button" ref={cancelButton} onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
