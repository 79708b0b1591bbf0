import { useState, type ReactNode } from 'react';
import { ConfirmActionDialog } from './confirm-action-dialog.js';
import { queueActions, type ActionTarget, type QueueAction } from './queue-actions.js';
import type { QueueActions } from './use-queue-actions.js';

/**
 * Retry, Hold, Release, Delete, Bounce for one target (the selected rows, a whole domain, one message),
 * in a group named after it so the same button names stay unambiguous. Delete and Bounce ask first.
 */
export function ActionButtons(props: { label: string; intro: ReactNode; target: ActionTarget | null; actions: QueueActions; onDone?: (action: QueueAction) => void; children?: ReactNode }) {
  // The target is kept as it was when asked: the dialog confirms exactly what it names.
  const [confirming, setConfirming] = useState<{ action: QueueAction; target: ActionTarget } | null>(null);
  const { target, actions } = props;
  const start = (action: QueueAction, chosen: ActionTarget) => actions.run(action, chosen.selection, () => props.onDone?.(action));
  return (
    <div role="group" aria-label={props.label} className="action-group" aria-busy={actions.pending !== null}>
      <span className="action-intro">{props.intro}</span>
      {queueActions.map((action) => (
        <button
          key={action.id}
          type="button"
          className={action.consequence ? 'danger' : undefined}
          disabled={target === null || actions.pending !== null}
          onClick={() => {
            if (!target) return;
            if (action.consequence) setConfirming({ action, target });
            else start(action, target);
          }}
        >
          {action.label}
        </button>
      ))}
      {props.children}
      {confirming ? (
        <ConfirmActionDialog
          action={confirming.action}
          target={confirming.target}
          onConfirm={() => start(confirming.action, confirming.target)}
          onClose={() => setConfirming(null)}
        />
      ) : null}
    </div>
  );
}
