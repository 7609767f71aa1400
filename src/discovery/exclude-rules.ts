import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { compileDirGlob, normaliseDirEntry } from './charts-dir.js';
import type { Discovery } from './discover-charts.js';
import { ROOT, ancestorDirs } from './repo-paths.js';

/**
 * The `exclude` input: folders or globs (the syntax of charts-dir: `*`, `?`, `**`, classes; a
 * folder covers everything below it) naming chart folders that are never published, whatever
 * selected them: a change, a dependency, a tag, `discover: all`, or the `charts` input (the
 * exclusion wins there too, so that one list of exceptions holds for every workflow that shares
 * it). Each excluded chart is logged with the rule that excluded it.
 */
export interface ExcludeRule {
  /** The entry as the user wrote it, for messages. */
  raw: string;
  matches(dir: string): boolean;
}

const INPUT = 'exclude';

export function parseExclude(entries: readonly string[], workspace: string): ExcludeRule[] {
  return entries
    .map((entry) => entry.trim())
    .filter((raw) => raw !== '')
    .map((raw) => {
      if (raw.startsWith('!')) {
        throw new InputError(INPUT, `"${raw}": exclude has no "!" entries; to search fewer folders, narrow charts-dir instead`);
      }
      const pattern = normaliseDirEntry(raw, raw, workspace, INPUT);
      const matches = compileDirGlob(pattern);
      return { raw, matches: (dir: string) => [dir, ...(dir === ROOT ? [] : ancestorDirs(dir))].some((d) => matches(d)) };
    });
}

/** The rule that excludes a chart folder, if any (the first one, in the order given). */
export function excludedBy(rules: readonly ExcludeRule[], dir: string): ExcludeRule | undefined {
  return rules.find((rule) => rule.matches(dir));
}

/** The discovery without the excluded charts; says which rule excluded which chart. */
export function excludeCharts(discovery: Discovery, rules: readonly ExcludeRule[], logger: Logger): Discovery {
  if (rules.length === 0) return discovery;
  const charts = discovery.charts.filter((chart) => {
    const rule = excludedBy(rules, chart.dir);
    if (rule) logger.info(`  ${chart.dir}: excluded by the exclude rule "${rule.raw}"; not published`);
    return rule === undefined;
  });
  const removed = discovery.charts.length - charts.length;
  if (removed === 0) logger.debug(`exclude ${rules.map((r) => `"${r.raw}"`).join(', ')}: no selected chart matches`);
  return removed === 0 ? discovery : { ...discovery, charts };
}
