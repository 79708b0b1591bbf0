import { useId } from 'react';
import { ModalDialog } from '../../ui/modal-dialog.js';
import type { ActionTarget, QueueAction } from './queue-actions.js';

/** "Delete 2 selected messages?" with what that means. Cancel comes first, so it is what has focus. */
export function ConfirmActionDialog(props: { action: QueueAction; target: ActionTarget; onConfirm: () => void; onClose: () => void }) {
  const titleId = useId();
  const textId = useId();
  const { action, target } = props;
  return (
    <ModalDialog labelledBy={titleId} describedBy={textId} className="confirm-dialog" onClose={props.onClose}>
      {(close) => (
        <>
          <h2 id={titleId}>
            {action.label} {target.phrase}?
          </h2>
          <p id={textId}>{action.consequence?.(target.count !== 1)}</p>
          <div className="dialog-buttons">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                props.onConfirm();
                close();
              }}
            >
              {action.label} {target.phrase}
            </button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}
