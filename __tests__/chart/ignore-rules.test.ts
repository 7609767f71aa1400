import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IgnoreRules, IgnoreRuleError } from '../../src/chart/ignore-rules.js';
import { goMatch, GlobSyntaxError, longestLiteral } from '../../src/chart/go/go-glob.js';
import { corpusPath } from '../support/corpus.js';

// Helm's own table (pkg/ignore/rules_test.go TestIgnore) against Helm's fixture tree
// (pkg/ignore/testdata, copied to __tests__/corpus/helm-testdata/ignore).
const helmTable: Array<[pattern: string, name: string, ignored: boolean]> = [
  ['helm.txt', 'helm.txt', true],
  ['helm.*', 'helm.txt', true],
  ['helm.*', 'rudder.txt', false],
  ['*.txt', 'tiller.txt', true],
  ['*.txt', 'cargo/a.txt', true],
  ['cargo/*.txt', 'cargo/a.txt', true],
  ['cargo/*.*', 'cargo/a.txt', true],
  ['cargo/*.txt', 'mast/a.txt', false],
  ['ru[c-e]?er.txt', 'rudder.txt', true],
  ['templates/.?*', 'templates/.dotfile', true],
  ['.*', '.', false],
  ['.*', './', false],
  ['.*', '.joonix', true],
  ['.*', 'helm.txt', false],
  ['.*', '', false],
  ['cargo/', 'cargo', true],
  ['cargo/', 'cargo/', true],
  ['cargo/', 'mast/', false],
  ['helm.txt/', 'helm.txt', false],
  ['!helm.txt', 'helm.txt', false],
  ['!helm.txt', 'tiller.txt', true],
  ['!*.txt', 'cargo', true],
  ['!cargo/', 'mast/', true],
  ['/a.txt', 'a.txt', true],
  ['/a.txt', 'cargo/a.txt', false],
  ['/cargo/a.txt', 'cargo/a.txt', true],
];

describe('.helmignore rules (Helm TestIgnore table on Helm fixtures)', () => {
  const fixtures = corpusPath('helm-testdata', 'ignore');
  it.each(helmTable)('%s on %s → ignored=%s', (pattern, name, ignored) => {
    const rules = IgnoreRules.parse(pattern);
    const isDir = statSync(join(fixtures, name)).isDirectory();
    expect(rules.ignores(name, isDir)).toBe(ignored);
  });

  it('parses Helm fixture .helmignore into its 3 rules (TestParseFile)', () => {
    const rules = IgnoreRules.parse(readFileSync(join(fixtures, '.helmignore')));
    expect(rules.ignores('mast/a.txt', false)).toBe(true);
    expect(rules.ignores('.DS_Store', false)).toBe(true);
    expect(rules.ignores('.git', true)).toBe(true);
    for (const kept of ['a.txt', 'helm.txt', 'mast', 'templates', '.joonix'])
      expect(rules.ignores(kept, kept !== 'a.txt' && kept !== 'helm.txt')).toBe(false);
  });

  it('skips comments and blank lines, trims whitespace (TestParse)', () => {
    const rules = IgnoreRules.parse('#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n');
    for (const ignored of ['foo', 'bar/x', 'baz/bar/foo.txt', 'one/more']) expect(rules.ignores(ignored, false)).toBe(true);
    for (const kept of ['#ignore', '', 'baz', 'one']) expect(rules.ignores(kept, false)).toBe(false);
  });

  it.each(['foo/**/bar', '[z-'])('rejects %s with the line number (TestParseFail)', (rule) => {
    expect(() => IgnoreRules.parse(`ok\n${rule}\n`)).toThrow(IgnoreRuleError);
    try {
      IgnoreRules.parse(`ok\n${rule}\n`);
    } catch (error) {
      expect((error as IgnoreRuleError).line).toBe(2);
    }
  });

  it('adds exactly one default rule (TestAddDefaults) that hides dotfiles only directly in templates/', () => {
    expect(IgnoreRules.empty().ignores('templates/.gitkeep', false)).toBe(false);
    const rules = IgnoreRules.empty().withDefaults();
    expect(rules.ignores('templates/.gitkeep', false)).toBe(true);
    expect(rules.ignores('templates/.hidden', true)).toBe(true);
    expect(rules.ignores('templates/sub/.x', false)).toBe(false);
    expect(rules.ignores('.env', false)).toBe(false);
  });

  it('first match wins: a later ! rule does not re-include (spec edge case 15)', () => {
    const rules = IgnoreRules.parse('*.md\n!README.md\n');
    expect(rules.ignores('README.md', false)).toBe(true);
  });

  it('a lone ! rule ignores everything else, Chart.yaml included (spec edge case 14)', () => {
    const rules = IgnoreRules.parse('!keep.md\n');
    expect(rules.ignores('Chart.yaml', false)).toBe(true);
    expect(rules.ignores('keep.md', false)).toBe(false);
  });

  it('.git/ matches only a directory; a .git file is kept (spec edge case 18)', () => {
    const rules = IgnoreRules.parse('.git/\n');
    expect(rules.ignores('.git', true)).toBe(true);
    expect(rules.ignores('.git', false)).toBe(false);
  });

  it('strips a BOM on the first line and CR of CRLF lines', () => {
    const rules = IgnoreRules.parse('\uFEFF*.bak\r\nsecret.txt\r\n');
    expect(rules.ignores('x.bak', false)).toBe(true);
    expect(rules.ignores('secret.txt', false)).toBe(true);
  });

  it('anchors rules with a slash at the chart root', () => {
    const rules = IgnoreRules.parse('x/*.tmp\n');
    expect(rules.ignores('x/b.tmp', false)).toBe(true);
    expect(rules.ignores('a/x/b.tmp', false)).toBe(false);
  });
});

describe('Go filepath.Match', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a[^a][^a][^a]b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', 'x', true],
    ['[x\\-]', '-', true],
    ['[x\\-]', 'z', false],
    ['[\\-x]', 'x', true],
    ['*x', 'xxx', true],
  ] as const)('Match(%s, %s) = %s (Go match_test.go)', (pattern, name, want) => {
    expect(goMatch(pattern, name)).toBe(want);
  });

  it.each(['[]a]', '[-]', '[x-]', '[-x]', '\\', '[a-b-c]', '[', '[^', '[^bc', 'a[', 'a*[', '*x\\', '*x[', 'a[z-'])(
    'Match(%s) is a syntax error',
    (pattern) => {
      expect(() => goMatch(pattern, 'abc')).toThrow(GlobSyntaxError);
    },
  );
});

describe('many rules against many files', () => {
  /** A small deterministic generator, so that a failure names a case that can be run again. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  it('every name a pattern matches holds the bytes it tests for first (longestLiteral)', () => {
    const next = random(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const atoms = ['a', 'b', '.', '*', '?', '[ab]', '[^a]', '[]a]', '[a-c]', '\\*', '\\a', 'é', '/'];
    let matched = 0;
    for (let i = 0; i < 60_000; i++) {
      const pattern = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(atoms)).join('');
      const name = Array.from({ length: Math.floor(next() * 7) }, () => pick(['a', 'b', 'c', '.', '*', 'é', '/', ']'])).join('');
      let hit: boolean;
      try {
        hit = goMatch(pattern, name);
      } catch {
        continue;
      }
      if (!hit) continue;
      matched++;
      expect(Buffer.from(name).includes(longestLiteral(Buffer.from(pattern))), `${pattern} ${name}`).toBe(true);
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it('rules that name files, or whose literal part a name lacks, cost no wildcard match', () => {
    const text = [
      ...Array.from({ length: 5000 }, (_, i) => `templates/skip-${i}.yaml`),
      ...Array.from({ length: 1000 }, (_, i) => `*zz${i}*`),
    ];
    const rules = IgnoreRules.parse(text.join('\n'));
    // 6,000 rules on 3,000 files: 18,000,000 tries, none a wildcard match past its literal test.
    for (let i = 0; i < 3000; i++) expect(rules.ignores(`templates/file-${i}.yaml`, false)).toBe(false);
    expect(rules.ignores('templates/skip-42.yaml', false)).toBe(true);
    expect(rules.ignores('a-zz999-b', false)).toBe(true);
  });

  it('stops after two million wildcard matches with a message, where Helm would go on for minutes', () => {
    const rules = IgnoreRules.parse(Array.from({ length: 1000 }, (_, i) => `*.y*a*m*l[!-${i % 10}]?`).join('\n'));
    let checked = 0;
    const walk = () => {
      for (; checked < 1_000_000; checked++) rules.ignores(`templates/f${checked}.yaml`, false);
    };
    expect(walk).toThrow(IgnoreRuleError);
    // Each file tried all 1,000 rules: the walk stopped at the 2,000th file.
    expect(checked).toBe(2000);
    expect(walk).toThrow(
      'its 1000 wildcard rules, tried on each file of the chart, need more than 2000000 matches, where this action stops (Helm has no limit): leave whole folders out with one rule each, or use fewer wildcard rules',
    );
  });
});
