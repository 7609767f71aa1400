import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

/** dist/licenses.txt ships the license of every package whose code the bundle carries. */
describe('the bundle carries the license of every package in it', () => {
  it('names each package the chunks are made of, with its license', () => {
    const dist = join(repoRoot, 'dist');
    const packages = new Set<string>();
    for (const map of readdirSync(dist).filter((name) => name.endsWith('.js.map'))) {
      for (const source of (JSON.parse(readFileSync(join(dist, map), 'utf8')) as { sources: string[] }).sources) {
        const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
        if (match) packages.add(match[1]!);
      }
    }
    expect(packages.has('yaml')).toBe(true);
    const lines = readFileSync(join(dist, 'licenses.txt'), 'utf8').split('\n');
    const unlicensed = [...packages].filter((name) => {
      const at = lines.indexOf(name);
      return at < 0 || !/^[\w.+-]+( (OR|AND) [\w.+-]+)*$|^\(.+\)$/.test(lines[at + 1] ?? '');
    });
    expect(unlicensed).toEqual([]);
  });
});
