import type { Logger, SourceLocation } from '../../src/shared/logger.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warning' | 'error' | 'group';
  message: string;
  where?: SourceLocation;
}

/**
 * A Logger that records everything for assertions: `entries` with their level and location,
 * `lines` as printed (`level: message`), and every secret passed to mask().
 */
export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  readonly masked: string[] = [];

  constructor(private readonly debugEnabled = true) {}

  debug(message: string): void {
    this.push('debug', message);
  }
  info(message: string): void {
    this.push('info', message);
  }
  warning(message: string, where?: SourceLocation): void {
    this.push('warning', message, where);
  }
  error(message: string, where?: SourceLocation): void {
    this.push('error', message, where);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.push('group', name);
    return fn();
  }
  mask(secret: string): void {
    if (secret) this.masked.push(secret);
  }
  isDebug(): boolean {
    return this.debugEnabled;
  }

  /** Everything logged as printed: `level: message`. */
  get lines(): string[] {
    return this.entries.map((e) => `${e.level}: ${e.message}`);
  }

  /** Everything logged, one line per entry. */
  text(): string {
    return this.lines.join('\n');
  }

  messages(level?: LogEntry['level']): string[] {
    return this.entries.filter((e) => !level || e.level === level).map((e) => e.message);
  }

  private push(level: LogEntry['level'], message: string, where?: SourceLocation): void {
    this.entries.push(where ? { level, message, where } : { level, message });
  }
}
