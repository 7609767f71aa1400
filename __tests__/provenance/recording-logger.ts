import { expect } from 'vitest';
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

/** Every line of the armored key and the passphrase were masked, and none appears in any log line. */
export function expectMaskedAndNotLogged(
  logger: RecordingLogger,
  armoredKey: string,
  passphrase: string | undefined,
): void {
  const secretLines = armoredKey.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
  expect(secretLines.length).toBeGreaterThan(0);
  for (const line of secretLines) expect(logger.masked).toContain(line);
  expect(logger.masked).toContain(armoredKey);
  const logged = logger.lines.join('\n');
  for (const line of secretLines) expect(logged).not.toContain(line);
  if (passphrase) {
    expect(logger.masked).toContain(passphrase);
    expect(logged).not.toContain(passphrase);
  }
}
