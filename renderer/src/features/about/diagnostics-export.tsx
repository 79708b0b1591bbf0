import { useMutation } from '@tanstack/react-query';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { downloadTextFile } from '../reports/download-file.js';

/**
 * "Export diagnostics": one JSON file (diagnostics.export) with the app information, the settings with
 * every password replaced, the listener, the queue per domain, recent alerts and log lines, saved
 * through the browser's download under the engine's file name.
 */
export function DiagnosticsExport() {
  const exporting = useMutation({
    mutationFn: () => callApi('diagnostics.export', {}),
    onSuccess: (file) => downloadTextFile(file.fileName, file.content, file.contentType),
  });
  return (
    <section className="about-panel" aria-labelledby="about-diagnostics-title">
      <h2 id="about-diagnostics-title">Diagnostics</h2>
      <p>One file to send to whoever helps you: settings (passwords removed), the listener, the queue per domain, recent alerts and log lines.</p>
      <div className="about-actions">
        <button type="button" aria-disabled={exporting.isPending} onClick={() => !exporting.isPending && exporting.mutate()}>
          Export diagnostics
        </button>
      </div>
      <div role="status" aria-live="polite">
        {exporting.isPending ? (
          <p className="progress">
            <progress aria-label="Preparing the diagnostics file" /> Preparing the diagnostics file…
          </p>
        ) : null}
        {exporting.isSuccess ? <p data-testid="diagnostics-saved">Saved {exporting.data.fileName} to your downloads.</p> : null}
      </div>
      {exporting.isError ? <ErrorNotice error={exporting.error} action="Exporting diagnostics" /> : null}
    </section>
  );
}
