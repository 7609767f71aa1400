import { describe, expect, it } from 'vitest';
import { trimTrailing } from '../../src/shared/trim.js';

describe('trimTrailing', () => {
  it('removes the run of the given characters at the end, and only there', () => {
    expect(trimTrailing('charts///', '/')).toBe('charts');
    expect(trimTrailing('a/b', '/')).toBe('a/b');
    expect(trimTrailing('line \t\r', ' \t\r')).toBe('line');
    expect(trimTrailing('////', '/')).toBe('');
    expect(trimTrailing('', '/')).toBe('');
  });

  it('answers at once for a long run that is not at the end, where /[…]+$/ backtracks quadratically', () => {
    // 300,000 slashes followed by a letter: the regex form would try the run from each slash.
    const text = `http://h/${'/'.repeat(300_000)}a`;
    expect(trimTrailing(text, '/')).toBe(text);
    expect(trimTrailing(`x${' '.repeat(300_000)}x  `, ' ')).toBe(`x${' '.repeat(300_000)}x`);
  });
});
