import { InputError } from '../shared/errors.js';
import type { ChartLayout } from './chart-layout.js';
import { firstInclude, isHiddenFromChartsDir, type ChartsDir, type DirPattern } from './charts-dir.js';
import type { PackageFilter } from './package-filter.js';
import { ROOT, ancestorDirs, comparePaths, joinPath, relativeTo } from './repo-paths.js';

/**
 * Whether a chart directory is a subchart: it lies inside another chart's `charts/` folder,
 * so Helm packages it as part of that chart and it is never published on its own.
 */
export function isSubchart(dir: string, chartDirs: ReadonlySet<string>): boolean {
  if (dir === ROOT) return false;
  const segments = dir.split('/');
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] !== 'charts') continue;
    const owner = i === 0 ? ROOT : segments.slice(0, i).join('/');
    if (chartDirs.has(owner)) return true;
  }
  return false;
}

/** Chart directories that Helm would package on their own (all but subcharts), anywhere in the workspace. */
export function packageDirs(layout: ChartLayout): Set<string> {
  return new Set([...layout.chartDirs].filter((dir) => !isSubchart(dir, layout.chartDirs)));
}

/** What publishes a chart that another chart encloses, said wherever one is skipped. */
export const ENCLOSED_WAY_OUT =
  "to publish one on its own, leave its folder out in the enclosing chart's .helmignore, or name it in the charts input";

/**
 * Chart folders inside another chart's folder (a test fixture, an example) that the enclosing
 * chart's package holds: Helm packages them as files of that chart, so they are not published on
 * their own. Each is mapped to the nearest chart that packages it. A folder the enclosing chart's
 * .helmignore leaves out is a chart of its own. .helmignore files are read only where charts nest.
 */
export function enclosedCharts(packages: ReadonlySet<string>, filter: PackageFilter): Map<string, string> {
  const enclosed = new Map<string, string>();
  for (const dir of [...packages].sort(comparePaths)) {
    const owner = enclosingChart(dir, packages, filter);
    if (owner !== undefined) enclosed.set(dir, owner);
  }
  return enclosed;
}

/** The nearest of packages whose package holds the chart folder dir (its Chart.yaml), if any. */
export function enclosingChart(dir: string, packages: ReadonlySet<string>, filter: PackageFilter): string | undefined {
  for (const owner of ancestorDirs(dir)) {
    if (!packages.has(owner)) continue;
    // Every folder on the way down is tested too: an ignored folder hides all below it.
    if (filter.excludedBy(owner, relativeTo(joinPath(dir, 'Chart.yaml'), owner)) === undefined) return owner;
  }
  return undefined;
}

/**
 * The chart roots under charts-dir, sorted. Every include entry must find at least one chart:
 * an entry that finds none is a typo or a wrong layout, and failing here is what keeps a run
 * from reporting "nothing to do" for months.
 */
export function selectRoots(
  packages: ReadonlySet<string>,
  chartsDir: ChartsDir,
  layout: ChartLayout,
  enclosed: ReadonlyMap<string, string> = new Map(),
): string[] {
  const roots: string[] = [];
  const used = new Set<DirPattern>();
  for (const dir of packages) {
    const include = firstInclude(chartsDir, dir);
    if (!include) continue;
    roots.push(dir);
    used.add(include);
  }
  // An entry can be shadowed by an earlier one covering the same charts; count it as used too.
  for (const pattern of chartsDir.includes) {
    if (!used.has(pattern) && roots.some((dir) => firstIncludeOf(pattern, chartsDir, dir))) used.add(pattern);
  }
  const unused = chartsDir.includes.filter((p) => !used.has(p));
  if (unused.length > 0) throw noChartError(unused, chartsDir, packages, layout, enclosed);
  return roots.sort(comparePaths);
}

function firstIncludeOf(pattern: DirPattern, chartsDir: ChartsDir, dir: string): boolean {
  return firstInclude({ includes: [pattern], excludes: chartsDir.excludes }, dir) !== undefined;
}

function noChartError(
  unused: DirPattern[],
  chartsDir: ChartsDir,
  packages: ReadonlySet<string>,
  layout: ChartLayout,
  enclosed: ReadonlyMap<string, string>,
): InputError {
  const entries = unused.map((p) => `"${p.raw}"`).join(', ');
  const elsewhere = [...packages].sort(comparePaths);
  const subcharts = [...layout.chartDirs].filter((d) => !packages.has(d));
  const unusedDir: ChartsDir = { includes: unused, excludes: chartsDir.excludes };
  const hidden = elsewhere.filter((dir) => isHiddenFromChartsDir(unusedDir, dir));
  const inside = [...enclosed].filter(([dir]) => firstInclude(unusedDir, dir) !== undefined);
  let hint: string;
  if (inside.length > 0) {
    const shown = inside.slice(0, 3).map(([dir, owner]) => `${dir} in ${owner}`);
    hint =
      `the charts it covers are inside other charts, which package them as files (${shown.join(', ')}${inside.length > 3 ? `, … (${inside.length} in all)` : ''}): ` +
      ENCLOSED_WAY_OUT;
  } else if (hidden.length > 0) {
    const shown = hidden.slice(0, 3).join(', ') + (hidden.length > 3 ? `, … (${hidden.length} in all)` : '');
    hint = `the charts it covers are in hidden folders (${shown}), which are searched only when an entry names the hidden folder, e.g. "${hiddenFolder(hidden[0] as string)}"`;
  } else if (elsewhere.length > 0) {
    const shown = elsewhere.slice(0, 5).join(', ') + (elsewhere.length > 5 ? `, … (${elsewhere.length} in all)` : '');
    hint = `charts in this workspace: ${shown}`;
  } else if (subcharts.length > 0) {
    hint = `the only Chart.yaml files found are inside other charts, which package them (${subcharts.slice(0, 3).join(', ')})`;
  } else {
    hint = `no Chart.yaml was found anywhere in the workspace (looked ${layout.source === 'git' ? 'at the files git knows' : 'on disk'}); is the repository checked out?`;
  }
  return new InputError(
    'charts-dir',
    `${entries} ${unused.length === 1 ? 'matches' : 'match'} no chart (a folder with a Chart.yaml, at any depth, outside the folders of other charts); ${hint}`,
  );
}

/** The path up to and including the first hidden segment: what charts-dir must name. */
function hiddenFolder(dir: string): string {
  const segments = dir.split('/');
  return segments.slice(0, segments.findIndex((s) => s.startsWith('.')) + 1).join('/');
}
