import { formatLogLine, type LogFields, type Logger, type LogLevel } from './logger.js';

/**
 * A Logger that passes every entry on and keeps the newest lines (debug included, whatever the host's level)
 * in a ring: "Export diagnostics" sends them without the engine needing a log file of its own.
 */
export class RecentLogLines implements Logger {
  private readonly ring: string[] = [];
  private next = 0;

  constructor(
    private readonly inner: Logger,
    private readonly limit = 1000,
  ) {}

  log(level: LogLevel, code: string, fields?: LogFields): void {
    const line = formatLogLine(level, code, fields);
    if (this.ring.length < this.limit) this.ring.push(line);
    else this.ring[this.next] = line;
    this.next = (this.next + 1) % this.limit;
    this.inner.log(level, code, fields);
  }

  /** Oldest first. */
  lines(): string[] {
    return this.ring.length < this.limit ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
