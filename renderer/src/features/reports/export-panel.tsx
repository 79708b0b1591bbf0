import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../ui/error-notice.js';
import { formatCount } from '../../ui/format-number.js';
import type { ExportState } from './use-csv-export.js';

/** "Export to CSV", then "Exporting 20,000 of 45,000…" with a bar and Cancel while it runs. */
export function ExportPanel(props: { state: ExportState; disabled: boolean; onStart: () => void; onCancel: () => void }) {
  const { state } = props;
  const running = state.phase === 'running';
  const exportButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // The two buttons take turns in one place; a keyboard user's focus follows instead of falling to the page.
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current === running) return;
    wasRunning.current = running;
    const focusLost = document.activeElement === document.body || document.activeElement === null;
    if (running) cancelButton.current?.focus();
    else if (focusLost) exportButton.current?.focus();
  }, [running]);
  const words = !running ? '' : state.total === null ? 'Exporting…' : `Exporting ${formatCount(state.done)} of ${formatCount(state.total)}…`;
  return (
    <div className="report-export">
      {running ? (
        <>
          <progress aria-label="Export progress" max={state.total ?? undefined} value={state.total === null ? undefined : state.done} />
          <button type="button" ref={cancelButton} onClick={props.onCancel}>
            Cancel export
          </button>
        </>
      ) : (
        <button type="button" ref={exportButton} onClick={props.onStart} disabled={props.disabled}>
          Export to CSV
        </button>
      )}
      {/* Always present, so screen readers announce the progress as it changes. */}
      <span role="status">{words}</span>
      {state.phase === 'failed' ? <ErrorNotice error={state.error} action="Export" /> : null}
    </div>
  );
}
