import { useState, type FormEvent } from 'react';
import { needsToken, setAdminToken } from './api/api-client.js';
import { Dashboard } from './features/dashboard/dashboard.js';

/** The admin app. Domains, queue, reports and charts join the dashboard in the admin app issue. */
export function App() {
  const [tokenMissing, setTokenMissing] = useState(needsToken);
  if (tokenMissing) return <TokenForm onSaved={() => setTokenMissing(false)} />;
  return (
    <main>
      <Dashboard />
    </main>
  );
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
