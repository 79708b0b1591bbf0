import { useMutation } from '@tanstack/react-query';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { CopyButton } from '../settings/copy-button.js';

/**
 * The data folder (settings, spool, logs). "Open data folder" opens it in the file manager of the
 * computer running MX Spool; the headless service cannot (opened: false), so the path is shown to copy.
 */
export function DataFolder(props: { dataDir: string }) {
  const open = useMutation({ mutationFn: () => callApi('app.openDataFolder', {}) });
  return (
    <section className="about-panel" aria-labelledby="about-folder-title">
      <h2 id="about-folder-title">Data folder</h2>
      <p>
        Settings, the queued mail and the logs: <code data-testid="about-data-dir">{props.dataDir}</code>
      </p>
      <div className="about-actions">
        <button type="button" aria-disabled={open.isPending} onClick={() => !open.isPending && open.mutate()}>
          Open data folder
        </button>
      </div>
      <div role="status">
        {open.isSuccess && open.data.opened ? <p>Opened in the file manager.</p> : null}
        {open.isSuccess && !open.data.opened ? (
          <div className="folder-path" data-testid="folder-path">
            <p>The folder cannot be opened from here: MX Spool runs as a service. Open it on that computer:</p>
            <p>
              <code>{open.data.path}</code> <CopyButton text={open.data.path} label="Copy the data folder path" />
            </p>
          </div>
        ) : null}
      </div>
      {open.isError ? <ErrorNotice error={open.error} action="Opening the data folder" /> : null}
    </section>
  );
}
