import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import { ApiError, callApi, subscribe } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { ModalDialog } from '../../ui/modal-dialog.js';
import { ActionButtons } from './action-buttons.js';
import { ActionStatus } from './action-status.js';
import { AttemptTimeline } from './attempt-timeline.js';
import { MessageEnvelope } from './message-envelope.js';
import { RecipientTable } from './recipient-table.js';
import type { QueueActions } from './use-queue-actions.js';

/**
 * One message in full (`queue.get`): envelope, recipients, headers and every attempt, with the actions
 * for it alone. A modal side panel: Close or Escape returns focus to the row it was opened from. After
 * Delete or Bounce the message is gone, so the panel closes and the screen says what happened.
 */
export function MessageDrawer(props: { id: string; actions: QueueActions; now: number; onClose: () => void }) {
  const { id } = props;
  const titleId = useId();
  const headersId = useId();
  const queryClient = useQueryClient();
  const input = { id };
  const message = useQuery({ queryKey: ['queue.get', input], queryFn: () => callApi('queue.get', input) });

  useEffect(() => {
    // Only this message's own attempts refresh it: queue.changed fires up to 4/s on a busy queue, and
    // queue.get reads the attempt log from disk.
    return subscribe('attempt.made', (attempt) => {
      if (attempt.queueId === id) void queryClient.invalidateQueries({ queryKey: ['queue.get', { id }] });
    });
  }, [id, queryClient]);

  return (
    <ModalDialog labelledBy={titleId} className="drawer" onClose={props.onClose}>
      {(close) => (
        <>
          <header className="drawer-header">
            <h2 id={titleId}>Message details</h2>
            <button type="button" onClick={close}>
              Close
            </button>
          </header>
          {message.isPending ? <p>Loading the message…</p> : null}
          {message.isError ? (
            message.error instanceof ApiError && message.error.shape.code === 'NOT_FOUND' ? (
              <p role="alert">This message is no longer in the queue: it was delivered, returned to its sender or deleted.</p>
            ) : (
              <ErrorNotice error={message.error} action="Loading the message" />
            )
          ) : null}
          {message.data ? (
            <>
              <ActionButtons
                label="This message"
                intro="This message:"
                target={{ selection: { ids: [id] }, phrase: 'this message', count: 1 }}
                actions={props.actions}
                onDone={(action) => (action.id === 'delete' || action.id === 'bounce' ? close() : undefined)}
              />
              <ActionStatus actions={props.actions} />
              <section aria-labelledby={`${titleId}-envelope`}>
                <h3 id={`${titleId}-envelope`}>Envelope</h3>
                <MessageEnvelope item={message.data.item} now={props.now} />
              </section>
              <RecipientTable recipients={message.data.item.recipients} />
              <section aria-labelledby={headersId}>
                <h3 id={headersId}>Headers</h3>
                {/* Focusable so the keyboard can scroll it. */}
                <pre className="headers" tabIndex={0} aria-labelledby={headersId} data-testid="message-headers">
                  {message.data.headers}
                </pre>
              </section>
              <AttemptTimeline attempts={message.data.attempts} diagnoses={message.data.diagnoses} />
            </>
          ) : null}
        </>
      )}
    </ModalDialog>
  );
}
