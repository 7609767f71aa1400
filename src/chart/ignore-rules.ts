import { checkGlob, GlobSyntaxError, goMatchBytes, isLiteralGlob, longestLiteral } from './go/go-glob.js';
import { goTrimSpace } from './go/go-text.js';

/**
 * `.helmignore` exactly as Helm evaluates it (../shared/spec/helm-oci.md §1.3), quirks included:
 * the first decisive rule wins, a `!pattern` rule ignores everything that reaches it and does not
 * match, a rule with a slash is matched against the whole relative path, a rule without one
 * against the base name only, and a trailing `/` restricts a rule to directories.
 */

export const HELMIGNORE = '.helmignore';

/** Helm appends this rule after the user's rules: dotfiles directly under templates/. */
const DEFAULT_RULE = 'templates/.?*';

interface Rule {
  /** The rule as written (after trimming), for messages. */
  raw: string;
  line: number;
  negate: boolean;
  mustDir: boolean;
  /** Match the full relative path (rule has a slash, or a leading one) rather than the base name. */
  fullPath: boolean;
  /** The pattern's UTF-8 bytes, as Go matches them. */
  bytes: Buffer;
  /** No wildcard: the rule matches by equality. */
  literal: boolean;
  /** Bytes every name the rule matches holds (longestLiteral). */
  needle: Buffer;
}

/**
 * Wildcard matches one rule set may make, past the cheap test that the name holds the rule's
 * literal bytes. Every rule is tried on every file until one decides, so the work is rules ×
 * files: 1,000 wildcard rules against 20,000 files took 104 s. Past this (some 10 s) the rules
 * are refused (Helm has no limit); a real chart makes a few thousand.
 */
const MAX_WILDCARD_MATCHES = 2_000_000;

export class IgnoreRuleError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'IgnoreRuleError';
    this.line = line;
  }
}

export class IgnoreRules {
  private readonly rules: Rule[];
  private wildcardMatches = 0;

  private constructor(rules: Rule[]) {
    this.rules = rules;
  }

  /** Parses .helmignore text; throws IgnoreRuleError naming the line for `**` or a bad glob. */
  static parse(text: string | Buffer): IgnoreRules {
    let source = typeof text === 'string' ? text : text.toString('utf8');
    // Helm strips a BOM on the first line only; bufio.Scanner drops the CR of CRLF lines.
    if (source.startsWith('\uFEFF')) source = source.slice(1);
    const rules: Rule[] = [];
    source.split('\n').forEach((rawLine, index) => {
      const rule = parseRule(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine, index + 1);
      if (rule) rules.push(rule);
    });
    return new IgnoreRules(rules);
  }

  /** Rules for a chart without a .helmignore. */
  static empty(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /** A copy with Helm's default rule appended, as the directory loader does. */
  withDefaults(): IgnoreRules {
    const rule = parseRule(DEFAULT_RULE, 0);
    return new IgnoreRules(rule ? [...this.rules, rule] : [...this.rules]);
  }

  /**
   * Whether the `/`-separated path relative to the chart root is ignored. isDir is the kind of
   * the entry (for a symlink: of its target, as Helm stats through links).
   */
  ignores(path: string, isDir: boolean): boolean {
    return this.decidingRule(path, isDir) !== undefined;
  }

  /** The rule that leaves the path out (undefined when it is kept), for log lines that explain why. */
  explain(path: string, isDir: boolean): string | undefined {
    const rule = this.decidingRule(path, isDir);
    return rule && `"${rule.raw}" (${rule.line === 0 ? 'default rule' : `line ${rule.line}`})`;
  }

  private decidingRule(path: string, isDir: boolean): Rule | undefined {
    // Helm never ignores the chart root itself (helm/helm#1776).
    if (path === '' || path === '.' || path === './') return undefined;
    const names = { path: Buffer.from(path, 'utf8'), base: Buffer.from(goBase(path), 'utf8') };
    for (const rule of this.rules) {
      if (rule.negate) {
        if ((rule.mustDir && !isDir) || !this.matches(rule, names)) return rule;
        continue;
      }
      if (rule.mustDir && !isDir) continue;
      if (this.matches(rule, names)) return rule;
    }
    return undefined;
  }

  private matches(rule: Rule, names: { path: Buffer; base: Buffer }): boolean {
    const name = rule.fullPath ? names.path : names.base;
    if (rule.literal) return rule.bytes.equals(name);
    if (!name.includes(rule.needle)) return false;
    if (++this.wildcardMatches > MAX_WILDCARD_MATCHES) {
      const wildcards = this.rules.filter((r) => !r.literal).length;
      throw new IgnoreRuleError(
        `its ${wildcards} wildcard rules, tried on each file of the chart, need more than ${MAX_WILDCARD_MATCHES} matches, ` +
          'where this action stops (Helm has no limit): leave whole folders out with one rule each, or use fewer wildcard rules',
        0,
      );
    }
    try {
      return goMatchBytes(rule.bytes, name);
    } catch {
      // Helm logs a compile failure and treats it as "no match"; parse already rejected bad globs.
      return false;
    }
  }
}

function parseRule(line: string, lineNumber: number): Rule | undefined {
  const raw = goTrimSpace(line);
  if (raw === '' || raw.startsWith('#')) return undefined;
  if (raw.includes('**')) {
    throw new IgnoreRuleError(
      `double-star (**) syntax is not supported in rule "${raw}": .helmignore rules use Go's filepath.Match, where * never crosses "/"`,
      lineNumber,
    );
  }
  try {
    checkGlob(raw);
  } catch (error) {
    if (error instanceof GlobSyntaxError) {
      throw new IgnoreRuleError(`syntax error in pattern "${raw}"`, lineNumber);
    }
    throw error;
  }
  let pattern = raw;
  const negate = pattern.startsWith('!');
  if (negate) pattern = pattern.slice(1);
  const mustDir = pattern.endsWith('/');
  if (mustDir) pattern = pattern.slice(0, -1);
  let fullPath = pattern.includes('/');
  if (pattern.startsWith('/')) {
    pattern = pattern.slice(1);
    fullPath = true;
  }
  const bytes = Buffer.from(pattern, 'utf8');
  return { raw, line: lineNumber, negate, mustDir, fullPath, bytes, literal: isLiteralGlob(pattern), needle: longestLiteral(bytes) };
}

/** Go's filepath.Base for `/`-separated paths. */
function goBase(path: string): string {
  if (path === '') return '.';
  let p = path;
  while (p.length > 0 && p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') return '/';
  const slash = p.lastIndexOf('/');
  return slash >= 0 ? p.slice(slash + 1) : p;
}
