import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { followNavigateRequests, needsToken, setAdminToken } from './api/api-client.js';
import { AboutScreen } from './features/about/about-screen.js';
import { Dashboard } from './features/dashboard/dashboard.js';
import { DomainsScreen } from './features/domains/domains-screen.js';
import { QueueScreen } from './features/queue/queue-screen.js';
import { ReportsScreen } from './features/reports/reports-screen.js';
import { SettingsScreen } from './features/settings/settings-screen.js';
import { SetupScreen } from './features/setup/setup-screen.js';
import { useFirstRunSetup } from './features/setup/use-first-run-setup.js';
import { routeHref, screens, useRoute, type Route } from './ui/route.js';

// recharts is most of the bundle: load it when the Charts screen is first opened, not at start.
const ChartsScreen = lazy(() => import('./features/charts/charts-screen.js').then((module) => ({ default: module.ChartsScreen })));

/** The admin app: the same screens in the Electron window and in a browser at the service's admin URL. */
export function App() {
  const [tokenMissing, setTokenMissing] = useState(needsToken);
  if (tokenMissing) return <TokenForm onSaved={() => setTokenMissing(false)} />;
  return <SignedInApp />;
}

function SignedInApp() {
  const route = useRoute();
  const deciding = useFirstRunSetup();
  useEffect(() => followNavigateRequests(), []); // the desktop tray and notifications ask for a screen
  return (
    <>
      <nav aria-label="Screens" className="top-nav">
        <strong className="brand">MX Spool</strong>
        {screens.map((screen) => (
          <a key={screen.id} href={routeHref(screen.id)} aria-current={route.screen === screen.id ? 'page' : undefined}>
            {screen.title}
          </a>
        ))}
      </nav>
      <main>{deciding ? <p role="status">Loading…</p> : <Screen route={route} />}</main>
    </>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'dashboard':
      return <Dashboard />;
    case 'domains':
      return <DomainsScreen params={route.params} />;
    case 'queue':
      return <QueueScreen params={route.params} />;
    case 'reports':
      return <ReportsScreen params={route.params} />;
    case 'charts':
      return (
        <Suspense fallback={<p>Loading charts…</p>}>
          <ChartsScreen params={route.params} />
        </Suspense>
      );
    case 'settings':
      return <SettingsScreen params={route.params} />;
    case 'about':
      return <AboutScreen />;
    case 'setup':
      return <SetupScreen params={route.params} />;
  }
}

/** In a browser without `#token=` in the URL: ask for the token from DATA_DIR/admin-token. */
function TokenForm(props: { onSaved: () => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() === '') return;
    setAdminToken(value);
    props.onSaved();
  };
  return (
    <main>
      <form onSubmit={submit} aria-labelledby="token-title">
        <h1 id="token-title">Sign in to MX Spool</h1>
        <label htmlFor="token">Admin token (the contents of the file admin-token in the data folder)</label>
        <input id="token" type="password" autoComplete="off" value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit">Open</button>
      </form>
    </main>
  );
}
