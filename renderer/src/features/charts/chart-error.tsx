import { ErrorNotice } from '../../ui/error-notice.js';

/**
 * A chart's data could not be loaded: the engine's reason (which says what to do) and a way to try again
 * without reloading the page, so the other charts keep their state.
 */
export function ChartError(props: { error: unknown; action: string; onRetry: () => void }) {
  return (
    <div className="chart-error">
      <ErrorNotice error={props.error} action={props.action} />
      <button type="button" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}
