import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  ConstraintError,
  newestFirst,
  nextPatch,
  parseConstraint,
  parseStrictVersion,
  parseVersion,
  sameVersion,
  type Version,
} from '../../../src/chart/go/version-constraints.js';

const v = (text: string): Version => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test vector ${text} is not a version`);
  return parsed;
};
const satisfies = (version: string, range: string) => parseConstraint(range).check(v(version));

describe('versions as Masterminds/semver reads them (coercing NewVersion)', () => {
  it('accepts the loose forms Helm accepts and keeps the original text', () => {
    expect(v('1').original).toBe('1');
    expect([v('1.2').major, v('1.2').minor, v('1.2').patch]).toEqual([1n, 2n, 0n]);
    expect(v('v1.2.3').major).toBe(1n);
    expect(v('01.02.03').minor).toBe(2n);
    expect(v('1.2.3-rc.1+build.5')).toMatchObject({ prerelease: 'rc.1', metadata: 'build.5' });
  });

  it('refuses what Masterminds refuses', () => {
    for (const bad of [
      '',
      'latest',
      '1.2.3.4',
      '1.2.3-01',
      '1.2.3-',
      '1.2.3+',
      '1.2.3-a..b',
      'x.1',
      '1.2.3 ',
      '18446744073709551616.0.0',
    ]) {
      expect(parseVersion(bad), bad).toBeUndefined();
    }
  });

  // Vectors traced through Masterminds v3 coerceNewVersion (looseSemVerRegex, validatePrerelease,
  // validateMetadata, ParseUint): what a chart's `version` may be, no more and no less.
  it('accepts exactly what Helm accepts as a chart version', () => {
    const accepted = ['0', 'v0.0.0', '1.2.3-0', '1.2.3-0a.00a', '1.2.3+001.-', '1.2.3-rc.1-x+b', '18446744073709551615.0.0', '00.0.000'];
    const refused = [
      'V1.2.3',
      'v',
      '=1.2.3',
      ' 1.2.3',
      '1.2.3\n',
      '1.2.3-rc_1',
      '1.2.3+a+b',
      '-1.2.3',
      '1..2',
      '1.2.',
      '.1.2',
      '1.2.3-00',
      '1.2-01',
      '1.2.3+é',
    ];
    for (const text of accepted) expect(parseVersion(text), text).toMatchObject({ original: text });
    for (const text of refused) expect(parseVersion(text), text).toBeUndefined();
  });

  it('strict versions are exactly MAJOR.MINOR.PATCH (what tag listing keeps)', () => {
    expect(parseStrictVersion('1.2.3+b.1')).toMatchObject({ metadata: 'b.1' });
    expect(parseStrictVersion('1.2.3-rc.1')).toMatchObject({ prerelease: 'rc.1' });
    for (const bad of ['1.2', 'v1.2.3', '01.2.3', '1.2.3-01', 'latest', '1.2.x']) expect(parseStrictVersion(bad), bad).toBeUndefined();
  });

  it('orders by precedence: numeric pre-release parts numerically, releases after pre-releases, build ignored', () => {
    const sorted = ['1.0.0-alpha', '1.0.0', '1.0.0-alpha.10', '1.0.0-alpha.2', '1.0.0-beta', '0.9.9', '1.0.0-alpha.beta', '2.0.0']
      .map(v)
      .sort(newestFirst)
      .map((x) => x.original);
    expect(sorted).toEqual(['2.0.0', '1.0.0', '1.0.0-beta', '1.0.0-alpha.beta', '1.0.0-alpha.10', '1.0.0-alpha.2', '1.0.0-alpha', '0.9.9']);
    expect(compareVersions(v('1.2.3+a'), v('1.2.3+b'))).toBe(0);
  });
});

describe('ranges as Masterminds/semver checks them', () => {
  const cases: Array<[range: string, version: string, expected: boolean]> = [
    // Wildcards used by real charts (bitnami 2.x.x, prometheus-community 1.42.*).
    ['2.x.x', '2.31.4', true],
    ['2.x.x', '3.0.0', false],
    ['2.x.x', '2.32.0-rc.1', false],
    ['1.42.*', '1.42.7', true],
    ['1.42.*', '1.43.0', false],
    ['*', '4.5.6', true],
    ['*', '1.2.3-alpha.1', false],
    ['*-0', '1.2.3-alpha.1', true],
    // A bare partial version is a range.
    ['2', '2.1.1', true],
    ['2', '3.4.5', false],
    ['2.1', '2.1.9', true],
    ['2.1', '2.2.0', false],
    ['1.2.3', '1.2.3', true],
    ['1.2.3', '1.2.4', false],
    ['v1.2.3', '1.2.3', true],
    // Tilde and caret, including the 0.x forms.
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.9.0', true],
    ['~6.43.0', '6.43.9', true],
    ['~>1.2', '1.2.5', true],
    ['~0.0.0', '7.0.0', true],
    ['^1.2.3', '1.9.9', true],
    ['^1.2.3', '2.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['^0', '0.9.0', true],
    // Comparisons with partial versions.
    ['>11', '11.1.0', false],
    ['>11.1', '11.1.1', false],
    ['>11.1', '11.2.0', true],
    ['<=1.1', '1.1.9', true],
    ['<=1.1', '1.2.0', false],
    ['<1.x', '1.1.1', false],
    ['<1.x', '0.9.0', true],
    ['!=4.1', '4.1.7', false],
    ['!=4.x', '5.0.0', true],
    // AND (space or comma), OR, hyphen ranges.
    ['>=1.1, <2, !=1.2.3', '1.2.3', false],
    ['>=1.1, <2, !=1.2.3', '1.2.4', true],
    ['>= 1.1 < 2 || >= 3', '3.0.0', true],
    ['>= 1.1 < 2 || >= 3', '2.5.0', false],
    ['1.1 - 2', '2.9.9', true],
    ['1.5.0 - 4.5', '4.5.9', true],
    ['1.5.0 - 4.5', '4.6.0', false],
    ['=> 1.2', '1.2.0', true],
    ['=< 1.2', '1.2.9', true],
    // Pre-releases only when the group names one.
    ['>=1.1', '4.1.0-beta', false],
    ['>= 1.0.0-0 <= 2.0.0', '1.0.1-beta', true],
  ];
  for (const [range, version, expected] of cases) {
    it(`${JSON.stringify(range)} ${expected ? 'accepts' : 'refuses'} ${version}`, () => {
      expect(satisfies(version, range)).toBe(expected);
    });
  }

  it('refuses improper ranges with Masterminds reason', () => {
    for (const bad of ['', 'foo', '>= bar', 'BAR >= 1.2.3', '12.3.4.1234', '1.2.3-01', 'latest']) {
      expect(() => parseConstraint(bad), bad).toThrow(ConstraintError);
    }
    expect(() => parseConstraint('latest')).toThrow('improper constraint: "latest"');
  });

  it('refuses a range longer than 1024 characters at once, before the patterns scan it', () => {
    // "~" and 50,000 digits took 8 s: the unanchored patterns backtrack from every position.
    expect(() => parseConstraint(`~${'1'.repeat(50_000)}`)).toThrow('a range of 50001 characters: this action reads ranges of up to 1024');
    // Up to the limit, ranges parse as before, the longest worst case included.
    const longest = `~${'1'.repeat(1023)}`;
    expect(() => parseConstraint(longest)).toThrow(ConstraintError);
    expect(parseConstraint(`>=1.0.0 ${'<2.0.0 '.repeat(140)}`).check(v('1.5.0'))).toBe(true);
  });

  // The differences from npm's semver that dependency resolution relies on (npm's answer in each
  // comment, semver 7.x): resolving with npm semver would pick other versions, or refuse ranges
  // charts use.
  it('differs from npm semver where Helm does', () => {
    // Comma as AND, and the => / =< operators (npm: invalid range).
    expect(satisfies('1.5.0', '>=1.0.0, <2.0.0')).toBe(true);
    expect(satisfies('1.3.0', '=> 1.2')).toBe(true);
    // Pre-releases are not confined to the same major.minor.patch tuple (npm: false, false).
    expect(satisfies('1.2.1-alpha.1', '^1.2.0-alpha.0')).toBe(true);
    expect(satisfies('1.2.4-beta.2', '~1.2.3-beta.2')).toBe(true);
    // Versions npm refuses are versions here (npm: invalid version).
    expect(satisfies('1.2', '^1.0.0')).toBe(true);
    // `!=` exists (npm: invalid range).
    expect(satisfies('1.2.4', '!=1.2.3')).toBe(true);
    // npm's coerce reads 1.2.3.4 as 1.2.3; Helm refuses it.
    expect(parseVersion('1.2.3.4')).toBeUndefined();
  });
});

describe('the same version, and the next one', () => {
  it('reads v1.2.3, 1.2.3, 01.2.3 and 1.2 vs 1.2.0 as the same version, not differing build metadata', () => {
    expect(sameVersion(v('v1.2.3'), v('1.2.3'))).toBe(true);
    expect(sameVersion(v('01.2.3'), v('1.2.3'))).toBe(true);
    expect(sameVersion(v('1.2'), v('1.2.0'))).toBe(true);
    expect(sameVersion(v('1.2.3+a'), v('1.2.3+b'))).toBe(false);
    expect(sameVersion(v('1.2.3-rc.1'), v('1.2.3'))).toBe(false);
  });

  it('suggests the next patch as Masterminds IncPatch does, keeping a v prefix', () => {
    expect(nextPatch(v('1.2.3'))).toBe('1.2.4');
    expect(nextPatch(v('v1.2'))).toBe('v1.2.1');
    expect(nextPatch(v('1.2.3-rc.1'))).toBe('1.2.3');
    expect(nextPatch(v('1.2.3+build.1'))).toBe('1.2.4');
  });
});
