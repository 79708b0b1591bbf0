import { ErrorNotice } from '../../ui/error-notice.js';
import type { QueueActions } from './use-queue-actions.js';

/** What the last action did ("Held 2 messages"). The status element is always there, so screen readers announce the change. */
export function ActionStatus(props: { actions: QueueActions }) {
  const { actions } = props;
  return (
    <>
      <p role="status" className="action-status">
        {actions.pending ? 'Working…' : (actions.result ?? '')}
      </p>
      {actions.failed ? <ErrorNotice error={actions.error} action={actions.failed.label} /> : null}
    </>
  );
}
