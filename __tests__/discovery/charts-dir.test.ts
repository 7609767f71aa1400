import { describe, expect, it } from 'vitest';
import { isSubchart } from '../../src/discovery/chart-roots.js';
import { compileDirGlob, coversDir, parseChartsDir } from '../../src/discovery/charts-dir.js';
import { InputError } from '../../src/shared/errors.js';

describe('charts-dir globs', () => {
  it.each<[string, string, boolean]>([
    ['charts', 'charts', true],
    ['charts', 'charts/a', false],
    ['charts/*', 'charts/a', true],
    ['charts/*', 'charts/a/b', false],
    ['charts/*', 'charts', false],
    ['**', '.', true],
    ['**', 'a/b/c', true],
    ['**/chart', 'chart', true],
    ['**/chart', 'apps/web/chart', true],
    ['apps/**/chart', 'apps/chart', true],
    ['apps/**/chart', 'apps/a/b/chart', true],
    ['apps/**/chart', 'apps/a/b/chart2', false],
    ['apps/**', 'apps', true],
    ['apps/**', 'apps/x/y', true],
    ['apps/**', 'other/x', false],
    ['charts/?eta', 'charts/beta', true],
    ['charts/?eta', 'charts/zeta/x', false],
    ['charts/[ab]*', 'charts/alpha', true],
    ['charts/[!ab]*', 'charts/alpha', false],
    ['charts/[!ab]*', 'charts/gamma', true],
    ['charts/a.b', 'charts/axb', false],
    ['charts/\\*', 'charts/*', true],
    ['charts/\\*', 'charts/x', false],
    ['.', '.', true],
    ['.', 'charts', false],
    // "*" names the top-level folders, not the repository root (a chart there is not in one).
    ['*', '.', false],
    ['*', 'charts', true],
    ['*/**', '.', false],
    ['**/**', '.', true],
  ])('%s matches %s: %s', (pattern, dir, expected) => {
    expect(compileDirGlob(pattern)(dir)).toBe(expected);
  });

  it('covers a folder and everything below it; "." covers the whole workspace', () => {
    const ws = '/ws';
    expect(coversDir(parseChartsDir(['charts'], ws), 'charts/team/a')).toBe(true);
    expect(coversDir(parseChartsDir(['charts'], ws), 'chartsy/a')).toBe(false);
    expect(coversDir(parseChartsDir(['.'], ws), 'anything/at/all')).toBe(true);
    expect(coversDir(parseChartsDir(['.'], ws), '.')).toBe(true);
  });

  it('normalises ./, trailing slashes, absolute paths inside the workspace and a trailing Chart.yaml', () => {
    const parsed = parseChartsDir(['./charts/', '/ws/apps/web', 'stable/*/Chart.yaml', ' ', '!charts/old/'], '/ws');
    expect(parsed.includes.map((p) => p.pattern)).toEqual(['charts', 'apps/web', 'stable/*']);
    expect(parsed.excludes.map((p) => p.pattern)).toEqual(['charts/old']);
    expect(coversDir(parsed, 'charts/old/x')).toBe(false);
    expect(coversDir(parsed, 'charts/new')).toBe(true);
  });

  it.each([
    [['/elsewhere/charts'], /"\/elsewhere\/charts" is outside the workspace/],
    [['../charts'], /"\.\.\/charts" leads outside the workspace/],
    [['', '  '], /names no folder/],
    [['!charts/x'], /names no folder/],
  ])('refuses %j with the input named', (entries, message) => {
    let error: unknown;
    try {
      parseChartsDir(entries, '/ws');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('charts-dir');
    expect((error as Error).message).toMatch(message);
  });
});

describe('subcharts', () => {
  const dirs = new Set(['.', 'charts/a', 'charts/a/charts/sub', 'charts/a/charts/sub/charts/deeper', 'other/charts/x', 'lib']);

  it("is inside another chart's charts/ folder, at any depth", () => {
    expect(isSubchart('charts/a/charts/sub', dirs)).toBe(true);
    expect(isSubchart('charts/a/charts/sub/charts/deeper', dirs)).toBe(true);
    // The root chart owns charts/: with a Chart.yaml at the root, charts/a is its subchart.
    expect(isSubchart('charts/a', dirs)).toBe(true);
    expect(isSubchart('lib', dirs)).toBe(false);
    expect(isSubchart('.', dirs)).toBe(false);
  });

  it('needs the owner to be a chart', () => {
    const withoutRoot = new Set([...dirs].filter((d) => d !== '.'));
    expect(isSubchart('charts/a', withoutRoot)).toBe(false);
    expect(isSubchart('other/charts/x', withoutRoot)).toBe(false);
  });
});
