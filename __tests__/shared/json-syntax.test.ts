import { describe, expect, test } from 'vitest';
import { jsonSyntaxErrorPosition } from '../../src/shared/json-syntax.js';

const SAMPLES = [
  '{}',
  ' [1, -2.5e+3, "a\\u00e9\\n", true, false, null, {"k": []}] ',
  '{"auths": {',
  '{"auths": {"r": {"auth": "dXNlcjpwYXNz"}} x',
  '{"a":1,}',
  '{\n"a": "x\ny"}',
  '{"a" "b"}',
  '"\\q"',
  '"\\u12G4"',
  '{"a": tru}',
  '{"a": nul}',
  '01',
  '-',
  '1.',
  '[1,]',
  '\ufeff{}',
  '',
  '   ',
  '{"a": 1}}',
  '{\n  "auths": {\n    "r": {\n      "auth": dXNlcjpwYXNz\n    }\n  }\n}\n',
];

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('the position of a JSON syntax error', () => {
  test.each(SAMPLES)('agrees with JSON.parse on validity, and on the position where V8 gives one: %j', (text) => {
    const position = jsonSyntaxErrorPosition(text);
    expect(position === undefined).toBe(parses(text));
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    const v8 = /\(line (\d+) column (\d+)\)/.exec(message);
    if (v8) expect(position).toEqual({ line: Number(v8[1]), column: Number(v8[2]) });
  });

  test('an unquoted value points at its first character', () => {
    expect(jsonSyntaxErrorPosition('{\n  "auth": dXNlcjpwYXNz\n}')).toEqual({ line: 2, column: 11 });
    expect(jsonSyntaxErrorPosition('{"a": tru}')).toEqual({ line: 1, column: 10 });
  });
});

test('nesting deeper than any config file gives no position rather than a stack overflow', () => {
  expect(jsonSyntaxErrorPosition(`${'['.repeat(100_000)}x`)).toBeUndefined();
});
