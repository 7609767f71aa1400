import type { Logger } from '../../src/shared/logger.js';

/** A Logger that keeps every line (debug included) and every masked secret, for assertions. */
export interface RecordingLogger extends Logger {
  lines: string[];
  masked: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const masked: string[] = [];
  return {
    lines,
    masked,
    debug: (message) => void lines.push(`debug: ${message}`),
    info: (message) => void lines.push(`info: ${message}`),
    warning: (message) => void lines.push(`warning: ${message}`),
    error: (message) => void lines.push(`error: ${message}`),
    group: async (name, fn) => {
      lines.push(`group: ${name}`);
      return fn();
    },
    mask: (secret) => void masked.push(secret),
    isDebug: () => true,
  };
}
