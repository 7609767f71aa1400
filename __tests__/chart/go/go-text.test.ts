import { describe, expect, it } from 'vitest';
import { goTrimSpace, sanitizeString } from '../../../src/chart/go/go-text.js';
import { marshalYaml } from '../../../src/chart/go/yaml-emit.js';

describe("Helm's sanitizeString (unicode.IsSpace, unicode.IsPrint)", () => {
  it('keeps printable ASCII as it is', () => {
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(sanitizeString(ascii)).toBe(ascii);
  });

  it('turns every Unicode space into " " and drops other non-printable characters', () => {
    expect(sanitizeString('a\tb\nc\u00a0d\u2003e\u3000f')).toBe('a b c d e f');
    expect(sanitizeString('x\u0000y\u007fz\u200bw\u0085v')).toBe('xyzw v');
  });

  it('keeps printable characters outside ASCII: letters, marks, numbers, punctuation, symbols', () => {
    expect(sanitizeString('Grüße — ½ € 日本 é\u0301 🚀')).toBe('Grüße — ½ € 日本 é\u0301 🚀');
  });
});

describe("go-yaml v2's map key order", () => {
  const keys = (...names: string[]) =>
    marshalYaml(new Map(names.map((name) => [name, null])))
      .trim()
      .split('\n');

  it('letters by code point, a non-letter before a letter, digit runs by value', () => {
    expect(keys('b', 'a10', 'a9', '_x', 'B', 'é', 'a')).toEqual([
      '_x: null',
      'B: null',
      'a: null',
      'a9: null',
      'a10: null',
      'b: null',
      'é: null',
    ]);
  });

  it('counts digits and letters outside ASCII as digits and letters', () => {
    // U+0663 ARABIC-INDIC DIGIT THREE is a digit, valued as Go does (rune - '0' = 1587);
    // U+00E9 is a letter, so it sorts after "z" by code point (a non-letter would sort first).
    expect(keys('v\u0663', 'v2', 'v10')).toEqual(['v2: null', 'v10: null', 'v\u0663: null']);
    expect(keys('é', 'z')).toEqual(['z: null', 'é: null']);
  });
});

describe("Go's strings.TrimSpace", () => {
  it('trims Go spaces (U+0085 included, U+FEFF not) at both ends', () => {
    expect(goTrimSpace('\t\u0085 a b\u3000\n')).toBe('a b');
    expect(goTrimSpace('\ufeffa\ufeff')).toBe('\ufeffa\ufeff');
    expect(goTrimSpace(' \t ')).toBe('');
  });

  it('answers at once for a long run of spaces inside a line (a hostile .helmignore line)', () => {
    const line = `x${' '.repeat(300_000)}x`;
    expect(goTrimSpace(`  ${line}\t`)).toBe(line);
  });
});
