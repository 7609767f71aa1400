import { expect } from 'vitest';
import type { MemoryLogger } from '../support/memory-logger.js';

/** Every line of the armored key and the passphrase were masked, and none appears in any log line. */
export function expectMaskedAndNotLogged(logger: MemoryLogger, armoredKey: string, passphrase: string | undefined): void {
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
