import { useEffect, useState } from 'react';

/** The current time, moving on every `intervalMs`, so ages grow without a refetch. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const clock = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(clock);
  }, [intervalMs]);
  return now;
}
