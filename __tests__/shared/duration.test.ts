import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/shared/duration.js';

describe('formatDuration', () => {
  it.each([
    [500, '500 ms'],
    [0.4, '0 ms'],
    [301.234, '301 ms'],
    [1000, '1 s'],
    [1500, '1500 ms'],
    [9999.5, '10 s'],
    [10_000, '10 s'],
    [127_108.864, '127 s'],
    [60_000, '1 min'],
    [120_000, '2 min'],
    [90_000, '90 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
