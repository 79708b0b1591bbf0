import { useEffect, useState } from 'react';

const MINUTE_MS = 60_000;

/**
 * Now, rounded down to the minute and moving on once a minute. "Last 6 hours" is a window that slides:
 * a query input built from this clock changes once a minute (when the engine writes a new queue sample)
 * and is identical between renders in between, so it can be a stable react-query key.
 */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => floorToMinute(Date.now()));
  useEffect(() => {
    const timer = setInterval(() => setNow(floorToMinute(Date.now())), MINUTE_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function floorToMinute(ms: number): number {
  return ms - (ms % MINUTE_MS);
}
