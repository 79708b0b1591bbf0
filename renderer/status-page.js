// Interim status page for the desktop window: reads stats.summary through the preload bridge and
// refreshes on queue events. Replaced by the React admin app.
const bridge = window.mxSpool;

async function refresh() {
  const result = await bridge.api['stats.summary']({});
  if (!result.ok) {
    document.getElementById('listener').textContent = result.error.message;
    return;
  }
  const summary = result.value;
  const listener = summary.listener;
  document.getElementById('listener').textContent = listener.listening
    ? `Receiving mail on ${listener.address}:${listener.port}. ${summary.queued} queued, ${summary.held} held.`
    : `Not receiving mail: ${listener.error ?? 'listener stopped'}`;
  const rows = summary.domains.map((domain) => {
    const row = document.createElement('tr');
    for (const text of [domain.domain, String(domain.queued), String(domain.held), domain.lastAttempt?.response ?? '']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  document.getElementById('domains').replaceChildren(...rows);
}

if (bridge) {
  bridge.on('queue.changed', () => void refresh());
  bridge.on('listener.status', () => void refresh());
  void refresh();
}
