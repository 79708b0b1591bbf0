import { useCallback, useState } from 'react';

/**
 * State that falls back to `initial` whenever `key` changes: the page offset resets when the filters
 * change, the selection when the page does. Derived during render, so no effect and no extra request
 * for a stale page. `first` is the value under the first key, when it is not `initial`: the page a link
 * opens on, which a change of filter still takes back to the first page.
 */
export function useKeyedState<T>(initial: T, key: string, first: T = initial): [T, (update: (previous: T) => T) => void] {
  const [state, setState] = useState({ key, value: first });
  const value = state.key === key ? state.value : initial;
  const update = useCallback(
    (next: (previous: T) => T) => setState((previous) => ({ key, value: next(previous.key === key ? previous.value : initial) })),
    [key, initial],
  );
  return [value, update];
}
