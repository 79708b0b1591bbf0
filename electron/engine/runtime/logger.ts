/**
 * Structured log: every event has a stable UPPER_SNAKE code and key=value fields (codes listed in
 * docs/logging.md). The engine receives a Logger; it never picks where logs go.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, code: string, fields?: LogFields): void;
}

export function formatLogLine(level: LogLevel, code: string, fields: LogFields = {}, time = new Date()): string {
  const parts = [time.toISOString(), level.toUpperCase(), code];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    parts.push(`${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`);
  }
  return parts.join(' ');
}

export function createStreamLogger(write: (line: string) => void, minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const threshold = order.indexOf(minLevel);
  return {
    log(level, code, fields) {
      if (order.indexOf(level) >= threshold) write(formatLogLine(level, code, fields) + '\n');
    },
  };
}

/** Keeps entries in memory; tests read them to check that an event was logged. */
export function createMemoryLogger(): Logger & { entries: { level: LogLevel; code: string; fields: LogFields }[] } {
  const entries: { level: LogLevel; code: string; fields: LogFields }[] = [];
  return { entries, log: (level, code, fields = {}) => void entries.push({ level, code, fields }) };
}
