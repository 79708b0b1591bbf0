import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `delayMs`: one request per pause in typing, not per key. A
 * search box sends one search per word; a date field, which goes through 0002, 0020, 0202 and 2026 while
 * a year is typed, is not asked for (nor refused as "From is after To") at each step.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    // Typed back to what is already settled: nothing to wait for, and no timer left running.
    if (Object.is(value, settled)) return undefined;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}
