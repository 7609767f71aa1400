/**
 * Versions and version ranges the way Helm reads them: Masterminds/semver v3 (v3.5.0 in Helm's
 * go.mod; ../shared/spec/helm-oci.md §0 and §1.6.3), not npm's semver. Part of the chart format:
 * a chart's own version and its dependencies' versions and ranges. Versions are parsed in
 * Masterminds' coercing mode (`1`, `1.2`, `v1.2.3` are versions). Ranges follow Masterminds'
 * grammar and its check rules, which differ from npm's in ways charts rely on:
 * `>= 1.0, < 2.0` (comma AND), `=>`/`=<`, `!=`, `2.x.x`/`1.42.*` wildcards, and pre-release
 * ranges that are not confined to one `major.minor.patch` as npm confines them.
 */

export interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  /** Pre-release identifiers without the `-`; empty for a release. */
  prerelease: string;
  /** Build metadata without the `+`; ignored by comparisons. */
  metadata: string;
  /** The text as written; Helm uses it verbatim (file names, tags, Chart.lock). */
  original: string;
}

export class ConstraintError extends Error {}

const UINT64_MAX = (1n << 64n) - 1n;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const NUMERIC = /^[0-9]+$/;

// Masterminds' loose version pattern (CoerceNewVersion, which Helm never turns off).
const LOOSE_VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/**
 * Masterminds `NewVersion` (coerceNewVersion): undefined exactly when Helm would not read `text` as
 * a version (§1.6.3): an optional `v`, one to three numeric parts (leading zeros allowed, each at
 * most 2^64-1), a pre-release of non-empty `[0-9A-Za-z-]` identifiers without leading zeros in
 * numeric ones, build metadata of non-empty `[0-9A-Za-z-]` identifiers; nothing else, no spaces.
 */
export function parseVersion(text: string): Version | undefined {
  const m = LOOSE_VERSION.exec(text);
  if (!m) return undefined;
  const part = (s: string | undefined) => (s ? BigInt(s.replace(/^\./, '')) : 0n);
  const [major, minor, patch] = [part(m[1]), part(m[2]), part(m[3])];
  if (major > UINT64_MAX || minor > UINT64_MAX || patch > UINT64_MAX) return undefined;
  const prerelease = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (prerelease && !validPrerelease(prerelease)) return undefined;
  if (metadata && !metadata.split('.').every((id) => IDENTIFIER.test(id))) return undefined;
  return { major, minor, patch, prerelease, metadata, original: text };
}

function validPrerelease(pre: string): boolean {
  return pre.split('.').every((id) => IDENTIFIER.test(id) && !(NUMERIC.test(id) && id.length > 1 && id.startsWith('0')));
}

/** Masterminds `StrictNewVersion`: exactly MAJOR.MINOR.PATCH, no `v`, no leading zeros. */
export function parseStrictVersion(text: string): Version | undefined {
  const parts = text.split('.');
  if (parts.length < 3) return undefined;
  const rest = parts.slice(2).join('.');
  const plus = rest.indexOf('+');
  const beforeBuild = plus < 0 ? rest : rest.slice(0, plus);
  const metadata = plus < 0 ? '' : rest.slice(plus + 1);
  const dash = beforeBuild.indexOf('-');
  const patch = dash < 0 ? beforeBuild : beforeBuild.slice(0, dash);
  const prerelease = dash < 0 ? '' : beforeBuild.slice(dash + 1);
  if (plus >= 0 && !metadata.split('.').every((id) => IDENTIFIER.test(id))) return undefined;
  if (dash >= 0 && !validPrerelease(prerelease)) return undefined;
  const numbers = [parts[0] ?? '', parts[1] ?? '', patch];
  if (!numbers.every((n) => NUMERIC.test(n) && !(n.length > 1 && n.startsWith('0')))) return undefined;
  const [major, minor, patchNumber] = numbers.map((n) => BigInt(n)) as [bigint, bigint, bigint];
  if (major > UINT64_MAX || minor > UINT64_MAX || patchNumber > UINT64_MAX) return undefined;
  return { major, minor, patch: patchNumber, prerelease, metadata, original: text };
}

/**
 * Whether two texts are the same version once read as Helm reads them (`v1.2.3`, `1.2.3` and
 * `01.2.3` are; `1.2.3+a` and `1.2.3+b` are not: their tags differ).
 */
export function sameVersion(a: Version, b: Version): boolean {
  return compareVersions(a, b) === 0 && a.metadata === b.metadata;
}

/**
 * The smallest release above `version`, written the way it is (a `v` prefix kept): the patch
 * incremented, or for a pre-release the release it leads to (Masterminds `IncPatch`).
 */
export function nextPatch(version: Version): string {
  const patch = version.prerelease !== '' ? version.patch : version.patch + 1n;
  return `${version.original.startsWith('v') ? 'v' : ''}${version.major}.${version.minor}.${patch}`;
}

/** Precedence as Masterminds computes it: build metadata ignored. */
export function compareVersions(a: Version, b: Version): number {
  for (const [x, y] of [
    [a.major, b.major],
    [a.minor, b.minor],
    [a.patch, b.patch],
  ] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

function comparePrerelease(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = comparePrereleasePart(as[i] ?? '', bs[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function comparePrereleasePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sn = asUint64(s);
  const on = asUint64(o);
  if (sn === undefined && on === undefined) return s > o ? 1 : -1;
  if (on === undefined) return -1;
  if (sn === undefined) return 1;
  return sn > on ? 1 : -1;
}

function asUint64(s: string): bigint | undefined {
  if (!NUMERIC.test(s)) return undefined;
  const n = BigInt(s);
  return n > UINT64_MAX ? undefined : n;
}

/** Newest first, as Helm sorts index entries and tags. */
export function newestFirst(a: Version, b: Version): number {
  return compareVersions(b, a);
}

// ---------------------------------------------------------------------------------------------
// Ranges (Masterminds constraints.go). Go's RE2 and JavaScript both pick the leftmost-first
// alternative, so the same patterns split the same way; only `\s` is spelled out, as RE2's.

const S = '[\\t\\n\\f\\r ]';
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const ONE = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const HYPHEN_RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
const VALID_GROUP = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Comparison {
  op: Operator;
  version: Version;
  /** The major part was a wildcard (or missing): `*`, `x`. */
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

/** A parsed range: OR of AND groups. */
export interface Constraint {
  readonly text: string;
  /** True when `version` satisfies the range (Masterminds `Constraints.Check`). */
  check(version: Version): boolean;
}

/**
 * Longer ranges are refused. Go's RE2 scans in linear time; JavaScript's backtracking engine
 * tries the unanchored patterns above from every position, each time to the end of a run of
 * digits: a "~" and 50,000 digits took 8 s, and a Chart.yaml may be 5 MiB. A real range is a few
 * dozen characters.
 */
const MAX_CONSTRAINT_LENGTH = 1024;

/** Masterminds `NewConstraint`; throws ConstraintError with Masterminds' reason. */
export function parseConstraint(text: string): Constraint {
  if (text.length > MAX_CONSTRAINT_LENGTH) {
    throw new ConstraintError(`a range of ${text.length} characters: this action reads ranges of up to ${MAX_CONSTRAINT_LENGTH}`);
  }
  const rewritten = rewriteHyphenRanges(text);
  const groups: Array<{ comparisons: Comparison[]; includePrerelease: boolean }> = [];
  for (const group of rewritten.split('||')) {
    if (!VALID_GROUP.test(group)) throw new ConstraintError(`improper constraint: ${JSON.stringify(group)}`);
    const found = [...group.matchAll(FIND)].map((m) => m[0]);
    const comparisons = (found.length > 0 ? found : [group]).map(parseComparison);
    groups.push({ comparisons, includePrerelease: comparisons.some((c) => c.version.prerelease !== '') });
  }
  return {
    text,
    check(version) {
      // A pre-release only matches a group that names a pre-release itself.
      return groups.some((g) => g.comparisons.every((c) => checkComparison(version, c, g.includePrerelease)));
    },
  };
}

function rewriteHyphenRanges(text: string): string {
  let out = text;
  for (const m of text.matchAll(HYPHEN_RANGE)) {
    const replacement = `>= ${m[1]}, <= ${m[11]} `;
    out = out.replace(m[0], () => replacement);
  }
  return out;
}

function isWildcard(s: string): boolean {
  return s === 'x' || s === 'X' || s === '*';
}

function parseComparison(text: string): Comparison {
  const m = ONE.exec(text);
  if (!m) throw new ConstraintError(`improper constraint: ${JSON.stringify(text)}`);
  const op = (m[1] ?? '') as Operator;
  const whole = m[2] ?? '';
  const major = m[3] ?? '';
  const minor = m[4] ?? '';
  const patch = m[5] ?? '';
  const pre = m[6] ?? '';
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  let text2 = whole;
  if (isWildcard(major) || major === '') {
    dirty = true;
    text2 = `0.0.0${pre}`;
  } else if (isWildcard(minor.replace(/^\./, '')) || minor === '') {
    dirty = minorDirty = true;
    text2 = `${major}.0.0${pre}`;
  } else if (isWildcard(patch.replace(/^\./, '')) || patch === '') {
    dirty = patchDirty = true;
    text2 = `${major}${minor}.0${pre}`;
  }
  const version = parseVersion(text2);
  if (!version) throw new ConstraintError(`improper constraint: ${JSON.stringify(text)} (${JSON.stringify(whole)} is not a version)`);
  return { op, version, dirty, minorDirty, patchDirty };
}

function checkComparison(v: Version, c: Comparison, includePrerelease: boolean): boolean {
  if (v.prerelease !== '' && !includePrerelease) return false;
  const con = c.version;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compareVersions(v, con) === 0;
    case '!=':
      return notEqual(v, c);
    case '>':
      if (!c.dirty) return compareVersions(v, con) > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareVersions(v, con) > 0;
    case '<':
      return compareVersions(v, con) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareVersions(v, con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
  }
}

function tilde(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (compareVersions(v, con) < 0) return false;
  // ~0.0.0 accepts everything.
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return v.minor === con.minor || c.minorDirty;
}

function caret(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (compareVersions(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}

function notEqual(v: Version, c: Comparison): boolean {
  const con = c.version;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.prerelease !== '' || con.prerelease !== '') return comparePrerelease(v.prerelease, con.prerelease) !== 0;
      return false;
    }
  }
  return compareVersions(v, con) !== 0;
}
