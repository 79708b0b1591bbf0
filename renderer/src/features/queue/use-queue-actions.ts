import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { callApi } from '../../api/api-client.js';
import { countMessages } from './queue-format.js';
import type { QueueAction, QueueSelection } from './queue-actions.js';

interface Run {
  action: QueueAction;
  selection: QueueSelection;
}

export interface QueueActions {
  run(action: QueueAction, selection: QueueSelection, onDone?: () => void): void;
  /** "Retried 12 messages" after the last action; null before one, or while one runs. */
  result: string | null;
  error: unknown;
  failed: QueueAction | null;
  pending: QueueAction | null;
  /** Forget the last result, e.g. when the drawer opens, so it does not show an older action's outcome. */
  reset(): void;
}

/** Runs queue actions and says what they did, with the count the engine reports (not the count asked for). */
export function useQueueActions(): QueueActions {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: ({ action, selection }: Run) => callApi(action.method, selection),
    onSuccess: (output, { action }) => setResult(`${action.done} ${countMessages(output.count)}`),
    onSettled: () => {
      // A failed action may still have applied to some messages: refresh either way.
      for (const method of ['queue.list', 'queue.get', 'stats.summary']) void queryClient.invalidateQueries({ queryKey: [method] });
    },
  });
  const { mutate, reset: resetMutation } = mutation;
  const reset = useCallback(() => {
    resetMutation();
    setResult(null);
  }, [resetMutation]);
  const run = useCallback(
    (action: QueueAction, selection: QueueSelection, onDone?: () => void) => {
      setResult(null);
      mutate({ action, selection }, { onSuccess: () => onDone?.() });
    },
    [mutate],
  );
  return {
    run,
    result,
    error: mutation.error,
    failed: mutation.isError ? mutation.variables.action : null,
    pending: mutation.isPending ? mutation.variables.action : null,
    reset,
  };
}
