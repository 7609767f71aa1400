import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceMappedStack } from '../../src/action/source-mapped-stack.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * The stack of an unexpected error, mapped to the sources through the `.map` beside each bundle
 * file (the bundle tests check it on the real dist/; here, every kind of frame on a small map).
 */

function bundleWithMap(): { dir: string; file: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'dist'));
  const file = join(dir, 'dist', 'chunk.js');
  writeFileSync(file, 'line one\nline two\nline three\n');
  // Generated lines 1, 2 and 3 come from lines 10, 11 and 12 of src/main.ts, column 0.
  writeFileSync(
    `${file}.map`,
    JSON.stringify({ version: 3, file: 'chunk.js', sources: ['../src/main.ts'], names: [], mappings: 'AASA;AACA;AACA' }),
  );
  return { dir, file };
}

function errorWithStack(stack: string): Error {
  const error = new Error('boom');
  error.stack = stack;
  return error;
}

describe('sourceMappedStack', () => {
  it('maps frames named by file URL or path, with or without a function name', () => {
    const { dir, file } = bundleWithMap();
    const url = pathToFileURL(file).href;
    const stack = sourceMappedStack(
      errorWithStack(['Error: boom', `    at run (${url}:1:5)`, `    at async ${url}:2:1`, `    at new Client (${file}:3:7)`].join('\n')),
    );
    const source = join(dir, 'src', 'main.ts');
    expect(stack.split('\n')).toEqual([
      'Error: boom',
      `    at run (${source}:10:5)`,
      `    at async ${source}:11:1`,
      `    at new Client (${source}:12:7)`,
    ]);
  });

  it("leaves Node's frames, files without a map and unreadable maps as they are", () => {
    const { dir } = bundleWithMap();
    const plain = join(dir, 'dist', 'plain.js');
    writeFileSync(plain, 'x\n');
    const broken = join(dir, 'dist', 'broken.js');
    writeFileSync(broken, 'x\n');
    writeFileSync(`${broken}.map`, '{ not json');
    const lines = [
      'Error: boom',
      '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
      '    at async Promise.all (index 0)',
      `    at f (${plain}:1:1)`,
      `    at g (${broken}:1:1)`,
    ];
    expect(sourceMappedStack(errorWithStack(lines.join('\n')))).toBe(lines.join('\n'));
  });

  it('says what was thrown when it is not an Error', () => {
    expect(sourceMappedStack('a string')).toBe('a string');
    expect(sourceMappedStack(42)).toBe('42');
  });
});
