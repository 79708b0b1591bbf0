import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `delayMs`. Typing a year in a date field goes through 0002,
 * 0020, 0202 and 2026: each would be a request and a flash of "From is after To" without this.
 */
export function useDebouncedValue(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (value === settled) return undefined;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}
