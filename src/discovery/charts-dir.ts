import { isAbsolute, posix, relative, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import { ROOT, ancestorDirs } from './repo-paths.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * The `charts-dir` input: folders or globs under which charts are looked for, at any depth.
 * Globs follow what workflow authors know from actions/glob and `on.push.paths`: `*` and `?`
 * stay within one path segment, `**` spans any number of segments, `[abc]`/`[!abc]` are
 * classes, and a leading `!` excludes. A folder covers itself and everything below it, so
 * `charts` finds `charts/a` and `charts/team/b` alike (chart-releaser-action only looked one
 * level down, and silently found nothing in other layouts). Hidden folders (a segment starting
 * with `.`) hold test fixtures and tooling (`.github/fixtures`): they are covered only by an
 * entry that spells the hidden segment itself (`.github/fixtures`, `.ci/*`, `.*`), never by a
 * parent folder or a plain wildcard, so that `charts-dir: .` does not publish them.
 */
export interface ChartsDir {
  includes: DirPattern[];
  excludes: DirPattern[];
}

export interface DirPattern {
  /** The entry as the user wrote it, for messages. */
  raw: string;
  /** Normalised, workspace-relative, "." for the workspace itself. */
  pattern: string;
  matches(dir: string): boolean;
}

const INPUT = 'charts-dir';

export function parseChartsDir(entries: readonly string[], workspace: string): ChartsDir {
  const includes: DirPattern[] = [];
  const excludes: DirPattern[] = [];
  for (const entry of entries) {
    const raw = entry.trim();
    if (raw === '') continue;
    const exclude = raw.startsWith('!');
    const pattern = normaliseDirEntry(exclude ? raw.slice(1).trim() : raw, raw, workspace, INPUT);
    (exclude ? excludes : includes).push({ raw, pattern, matches: compileDirGlob(pattern) });
  }
  if (includes.length === 0) {
    throw new InputError(INPUT, 'names no folder; give one or more folders or globs, e.g. "charts" or "." for the repository root');
  }
  return { includes, excludes };
}

/** Whether a directory is under charts-dir: an include covers it (or a parent) and no exclude does. */
export function coversDir(chartsDir: ChartsDir, dir: string): boolean {
  return firstInclude(chartsDir, dir) !== undefined;
}

/** The include entry that covers dir, if dir is not excluded. */
export function firstInclude(chartsDir: ChartsDir, dir: string): DirPattern | undefined {
  return coveringIncludes(chartsDir, dir).find((p) => namesHiddenSegments(p, dir));
}

/** A directory that an include would cover but for a hidden folder on its path, which no entry names. */
export function isHiddenFromChartsDir(chartsDir: ChartsDir, dir: string): boolean {
  return firstInclude(chartsDir, dir) === undefined && coveringIncludes(chartsDir, dir).length > 0;
}

function coveringIncludes(chartsDir: ChartsDir, dir: string): DirPattern[] {
  const chain = [dir, ...(dir === ROOT ? [] : ancestorDirs(dir))];
  if (chartsDir.excludes.some((p) => chain.some((d) => p.matches(d)))) return [];
  return chartsDir.includes.filter((p) => chain.some((d) => p.matches(d)));
}

/** Every hidden segment of dir is spelled by a segment of the pattern that starts with "." too. */
function namesHiddenSegments(pattern: DirPattern, dir: string): boolean {
  if (dir === ROOT) return true;
  const hidden = dir.split('/').filter((s) => s.startsWith('.'));
  if (hidden.length === 0) return true;
  const named = pattern.pattern
    .split('/')
    .filter((s) => s.startsWith('.') && s !== '.')
    .map((s) => new RegExp(`^${segmentSource(s)}$`));
  return hidden.every((segment) => named.some((r) => r.test(segment)));
}

/**
 * A folder or glob entry of a path-list input (charts-dir, exclude), workspace-relative and
 * normalised; "." for the workspace itself. Errors name the input.
 */
export function normaliseDirEntry(value: string, raw: string, workspace: string, input: string): string {
  let path = value;
  if (isAbsolute(path)) {
    const rel = relative(resolve(workspace), resolve(path));
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new InputError(input, `"${raw}" is outside the workspace ${workspace}; give a path relative to the repository`);
    }
    path = rel.split('\\').join('/');
  }
  const normalised = trimTrailing(posix.normalize(path), '/');
  if (normalised === '..' || normalised.startsWith('../')) {
    throw new InputError(input, `"${raw}" leads outside the workspace; give a path relative to the repository`);
  }
  // "Chart.yaml" at the end names the chart folder; accept it rather than match nothing.
  const folder = normalised.replace(/(^|\/)Chart\.yaml$/, '');
  return folder === '' ? ROOT : folder;
}

/** Compiles a `/`-separated glob into a matcher of workspace-relative directories ("." = root). */
export function compileDirGlob(pattern: string): (dir: string) => boolean {
  if (pattern === ROOT) return (dir) => dir === ROOT;
  if (!/[*?[\\]/.test(pattern)) return (dir) => dir === pattern;
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let source = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const afterGlobstar = i > 0 && segments[i - 1] === '**';
    if (segment === '**') {
      if (i === 0 && last) source += '(?:[^/]+(?:/[^/]+)*)?';
      else if (last) source += '(?:/[^/]+)*';
      else source += `${i > 0 ? '/' : ''}(?:[^/]+/)*`;
      return;
    }
    if (i > 0 && !afterGlobstar) source += '/';
    source += segmentSource(segment);
  });
  const regex = new RegExp(`^${source}$`);
  // The root directory is "." to callers; only a pattern of "**" alone covers it (zero folders):
  // "*" names every top-level folder, not the repository itself.
  const coversRoot = segments.every((segment) => segment === '**');
  return (dir) => (dir === ROOT ? coversRoot : regex.test(dir));
}

function segmentSource(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < segment.length) out += escapeRegex(segment[++i] as string);
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += escapeRegex(c);
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
