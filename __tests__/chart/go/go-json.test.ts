import { describe, expect, it } from 'vitest';
import { goJsonString } from '../../../src/chart/go/go-json.js';

/**
 * goJsonString against what Go's json.Marshal writes for a string (escapeHTML on). The expected
 * texts are Go's documented output: encoding/json's encodeState.string.
 */
describe('goJsonString writes strings as Go encoding/json does', () => {
  it.each([
    ['plain', 'nginx', '"nginx"'],
    ['empty', '', '""'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['short escapes', '\b\f\n\r\t', '"\\b\\f\\n\\r\\t"'],
    ['other control characters in lowercase hex', '\u0000\u0001\u001f\u000b', '"\\u0000\\u0001\\u001f\\u000b"'],
    ['HTML characters', '<a href="x">&</a>', '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"'],
    ['line and paragraph separators', 'a\u2028b\u2029c', '"a\\u2028b\\u2029c"'],
    ['DEL and non-ASCII stay as they are', '\u007fé漢🚀', '"\u007fé漢🚀"'],
    ['a lone high surrogate becomes U+FFFD', 'a\ud800b', '"a\ufffdb"'],
    ['a lone low surrogate becomes U+FFFD', '\udc00', '"\ufffd"'],
    ['a valid surrogate pair is kept', '\ud83d\ude80', '"\ud83d\ude80"'],
    ['the slash is not escaped', 'https://example.com/a/b', '"https://example.com/a/b"'],
  ])('%s', (_name, input, expected) => {
    expect(goJsonString(input)).toBe(expected);
  });

  it('always reads back as the well-formed input', () => {
    const samples = [
      'x',
      '<&>',
      '\u0000\u007f',
      'é\u2028',
      'a\ud800',
      Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join(''),
    ];
    for (const s of samples) expect(JSON.parse(goJsonString(s))).toBe(s.toWellFormed());
  });
});
