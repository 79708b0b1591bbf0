/**
 * Cleanups for Ctrl-C or SIGTERM, when `finally` blocks never run: child processes (the engine, smtp-source,
 * smtp-sink) must not outlive the benchmark, and temp folders must not pile up. Actions run newest first and
 * must be synchronous: the process exits right after.
 */
const actions = new Set<() => void>();

/** Registers `action`; call the returned function once the normal path has cleaned up. */
export function onAbort(action: () => void): () => void {
  actions.add(action);
  return () => void actions.delete(action);
}

export function runAbortActions(): void {
  for (const action of [...actions].reverse()) {
    try {
      action();
    } catch {
      // best effort: the remaining actions still run
    }
  }
  actions.clear();
}
