import type { Logger, SourceLocation } from '../../src/shared/logger.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warning' | 'error' | 'group';
  message: string;
  where?: SourceLocation;
}

/** A Logger that records every line (with secrets masked, as the runner would) for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];
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

  /** Everything logged, one line per entry, as the raw text (before masking). */
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }

  messages(level?: LogLine['level']): string[] {
    return this.lines.filter((l) => !level || l.level === level).map((l) => l.message);
  }

  private push(level: LogLine['level'], message: string, where?: SourceLocation): void {
    this.lines.push(where ? { level, message, where } : { level, message });
  }
}
