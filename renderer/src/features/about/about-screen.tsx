import { useQuery } from '@tanstack/react-query';
import type { AppInfo } from '../../../../electron/contract/app-schema.js';
import { callApi } from '../../api/api-client.js';
import { ErrorNotice } from '../../ui/error-notice.js';
import { formatTime } from '../../ui/format-time.js';
import { routeHref } from '../../ui/route.js';
import { DataFolder } from './data-folder.js';
import { DiagnosticsExport } from './diagnostics-export.js';
import './about.css';

const hostLabel: Record<AppInfo['host'], string> = {
  desktop: 'Desktop app',
  service: 'Service (headless, opened in a browser)',
};

/** What runs where (app.info), the data folder, a diagnostics file for whoever helps, and the setup again. */
export function AboutScreen() {
  const info = useQuery({ queryKey: ['app.info', {}], queryFn: () => callApi('app.info', {}) });
  let body;
  if (info.isPending) body = <p role="status">Loading…</p>;
  else if (info.isError) body = <ErrorNotice error={info.error} action="Reading the app information" />;
  else {
    const data = info.data;
    body = (
      <>
        <dl className="about-facts" aria-label="This installation">
          <dt>Product</dt>
          <dd data-testid="about-name">{data.name}</dd>
          <dt>Version</dt>
          <dd data-testid="about-version">{data.version}</dd>
          <dt>Runs as</dt>
          <dd data-testid="about-host">{hostLabel[data.host]}</dd>
          <dt>Platform</dt>
          <dd>
            {data.platform} ({data.arch}), Node.js {data.versions.node}
            {data.versions.electron ? `, Electron ${data.versions.electron}` : ''}
          </dd>
          <dt>Running since</dt>
          <dd>{formatTime(data.startedAt)}</dd>
          <dt>Settings file</dt>
          <dd>
            <code>{data.settingsFile}</code>
          </dd>
        </dl>
        <DataFolder dataDir={data.dataDir} />
        <DiagnosticsExport />
        <section className="about-panel" aria-labelledby="about-setup-title">
          <h2 id="about-setup-title">First-run setup</h2>
          <p>Walks through a domain, its mail server, a route test, DNS and the listening port again. Domains set up before stay as they are.</p>
          <a className="button-link" href={routeHref('setup')}>
            Run setup again
          </a>
        </section>
      </>
    );
  }
  return (
    <section className="about-screen" aria-labelledby="about-title">
      <h1 id="about-title">About MX Spool</h1>
      {body}
    </section>
  );
}
