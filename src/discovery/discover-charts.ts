import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutText } from '../shared/checkout-file.js';
import { parseChartYaml } from '../chart/metadata.js';
import { ChartError, DomainError, InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessRunner } from '../shared/process-runner.js';
import type { ChangeRequest, ChangedFile, CompareApi } from './change-request.js';
import {
  compareBranchPoint,
  compareFromMergeBase,
  compareRange,
  type BaseCommit,
  type ChangeContext,
  type Changes,
} from './changed-files.js';
import { readChartLayout, type ChartLayout } from './chart-layout.js';
import { ENCLOSED_WAY_OUT, enclosedCharts, enclosingChart, isSubchart, packageDirs, selectRoots } from './chart-roots.js';
import { coversDir, isHiddenFromChartsDir, parseChartsDir, type ChartsDir } from './charts-dir.js';
import { CommitHistory } from './commit-history.js';
import { readFileDependencies } from './file-dependencies.js';
import { excludeCharts, parseExclude } from './exclude-rules.js';
import { createGit, short, type Git } from './git-client.js';
import { linkedPaths } from './linked-paths.js';
import { PackageFilter } from './package-filter.js';
import { ancestorDirs, comparePaths, isWithin, joinPath, parentDir, relativeTo } from './repo-paths.js';
import { parseVersion, sameVersion } from '../chart/go/version-constraints.js';
import { chartNameOf, previousTag, splitTag } from './tag-pattern.js';

export interface DiscoverOptions {
  /** Absolute path of the checkout; charts-dir and all reported paths are relative to it. */
  workspace: string;
  /** The `charts-dir` entries (already split on newlines and commas). */
  chartsDir: readonly string[];
  request: ChangeRequest;
  runner: ProcessRunner;
  logger: Logger;
  /** The fallback when commits cannot be fetched (needs `github-token`). */
  compareApi?: CompareApi | undefined;
  /** The remote to fetch missing commits from; actions/checkout names it origin. */
  remote?: string;
  /** The `exclude` entries: chart folders removed from the selection, whatever selected them. */
  exclude?: readonly string[];
  /** The `version` input: a `<name>-<version>` tag must agree with it rather than with Chart.yaml. */
  versionOverride?: string | undefined;
}

/** Which charts a run publishes, and why. */
export interface Discovery {
  /** The selected charts, by workspace-relative folder ("." for the root), sorted. */
  charts: SelectedChart[];
  /** Charts under charts-dir whose Chart.yaml the change removed: reported, never published. */
  deleted: DeletedChart[];
  /** Every chart under charts-dir, sorted. */
  roots: string[];
  /** The commit the changes were computed from; absent when no comparison was made. */
  base: BaseCommit | undefined;
  /** How the selection was made, one line for the log and the job summary. */
  explanation: string;
}

export interface SelectedChart {
  dir: string;
  reasons: SelectionReason[];
}

export type SelectionReason =
  | { kind: 'changed'; files: string[] }
  /** Depends (file://) on chain[0], which depends on chain[1] …; the last one changed. */
  | { kind: 'dependency'; chain: string[] }
  | { kind: 'all'; why: string }
  | { kind: 'tag'; tag: string; version: string }
  | { kind: 'explicit' };

export interface DeletedChart {
  dir: string;
  /** Where its Chart.yaml went, when git saw a rename. */
  movedTo?: string;
}

/** Files listed per reason in log lines before "and N more". */
const LISTED_FILES = 5;

export async function discoverCharts(options: DiscoverOptions): Promise<Discovery> {
  const { workspace, request, logger } = options;
  const chartsDir = parseChartsDir(options.chartsDir, workspace);
  const exclude = parseExclude(options.exclude ?? [], workspace);
  const git = createGit(options.runner, workspace);
  const layout = await readChartLayout(workspace, git, logger, { untracked: request.kind === 'all' });
  const filter = new PackageFilter(workspace, layout.helmignores);
  const packages = packageDirs(layout);
  // Only a chart that charts-dir covers encloses others: with charts-dir "deploy", a chart at the
  // root leaves deploy/web a chart of its own.
  const enclosed = enclosedCharts(coveredDirs(packages, chartsDir), filter);
  for (const dir of enclosed.keys()) packages.delete(dir);
  if (enclosed.size > 0) {
    const where = [...enclosed].map(([dir, owner]) => `${dir} in ${owner}`);
    logger.info(
      `Skipped ${enclosed.size} chart${enclosed.size === 1 ? '' : 's'} inside other charts' folders (${listed(where)}): ` +
        `Helm packages ${enclosed.size === 1 ? 'it' : 'them'} as files of the enclosing chart; ${ENCLOSED_WAY_OUT}`,
    );
  }
  const roots = selectRoots(packages, chartsDir, layout, enclosed);
  logger.info(
    `charts-dir ${chartsDir.includes.map((p) => `"${p.raw}"`).join(', ')}: ${roots.length} chart${roots.length === 1 ? '' : 's'}`,
  );
  const hidden = [...packages].filter((dir) => isHiddenFromChartsDir(chartsDir, dir)).sort(comparePaths);
  if (hidden.length > 0) {
    logger.info(
      `Skipped ${hidden.length} chart${hidden.length === 1 ? '' : 's'} in hidden folders (${listed(hidden)}): ` +
        'a hidden folder is searched only when a charts-dir entry names it, e.g. ".github/fixtures"',
    );
  }
  const run: Run = { options, git, layout, chartsDir, packages, roots, filter };

  let discovery: Discovery;
  switch (request.kind) {
    case 'none':
      discovery = { charts: [], deleted: [], roots, base: undefined, explanation: request.reason };
      break;
    case 'all':
      discovery = selectAll(run, request.reason);
      break;
    case 'tag':
      discovery = await discoverTag(run, request.tag, request.head, request.reason);
      break;
    default:
      discovery = await fromChanges(run, await collectChanges(run, request), request.reason);
  }
  discovery = excludeCharts(discovery, exclude, logger);
  report(discovery, logger);
  return discovery;
}

interface Run {
  options: DiscoverOptions;
  git: Git;
  layout: ChartLayout;
  chartsDir: ChartsDir;
  packages: Set<string>;
  roots: string[];
  /** What each chart's package holds as far as its .helmignore decides, read once per chart. */
  filter: PackageFilter;
}

async function changeContext(run: Run): Promise<ChangeContext> {
  const prefix = await run.git.output(['rev-parse', '--show-prefix'], `finding the git repository of ${run.options.workspace}`);
  const history = new CommitHistory({
    git: run.git,
    logger: run.options.logger,
    ...(run.options.remote ? { remote: run.options.remote } : {}),
  });
  return { git: run.git, history, logger: run.options.logger, compareApi: run.options.compareApi, prefix: prefix.trim() };
}

async function collectChanges(
  run: Run,
  request: Extract<ChangeRequest, { kind: 'range' | 'merge-base' | 'branch-point' }>,
): Promise<Changes> {
  const ctx = await changeContext(run);
  switch (request.kind) {
    case 'range':
      return compareRange(ctx, request.base, request.head);
    case 'merge-base':
      return compareFromMergeBase(ctx, request.base, request.head);
    case 'branch-point':
      return compareBranchPoint(ctx, request.defaultBranch, request.head);
  }
}

function selectAll(run: Run, why: string): Discovery {
  return {
    charts: run.roots.map((dir) => ({ dir, reasons: [{ kind: 'all', why }] })),
    deleted: [],
    roots: run.roots,
    base: undefined,
    explanation: `all charts: ${why}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Tags

async function discoverTag(run: Run, tag: string, head: string, reason: string): Promise<Discovery> {
  const { logger, ...options } = run.options;
  const version = splitTag(tag);
  if (!version) return selectAll(run, `${reason}; tag ${tag} carries no version, so no earlier tag of its series can be found`);

  const name = chartNameOf(version);
  if (name !== undefined) {
    const named = chartsNamed(run, name);
    if (named.length > 1) {
      throw new DomainError(
        `Tag ${tag} names chart "${name}", but ${named.length} charts under charts-dir have that name: ${named.map((c) => c.dir).join(', ')}`,
      );
    }
    const chart = named[0];
    const override = options.versionOverride;
    if (chart) {
      if (override !== undefined) {
        // The version published is the input's (helm package --version), not Chart.yaml's.
        const overridden = parseVersion(override);
        if (!overridden || !sameVersion(overridden, version.parsed)) {
          throw new InputError(
            'version',
            `"${override}" disagrees with tag ${tag}, which releases ${name} ${version.version}: give ${version.version}, or leave version empty to publish the chart's own version`,
          );
        }
      } else {
        const written = parseVersion(chart.version);
        if (!written || !sameVersion(written, version.parsed)) {
          throw new ChartError(
            `tag ${tag} releases ${name} ${version.version}, but the chart's version is "${chart.version}": set version: ${version.version} in Chart.yaml, or tag ${name}-${chart.version}`,
            { file: chart.file, line: chart.versionLine },
          );
        }
      }
      logger.info(`Tag ${tag} names chart ${name} (${chart.dir}) at version ${version.version}: publishing it alone`);
      return {
        charts: [{ dir: chart.dir, reasons: [{ kind: 'tag', tag, version: version.version }] }],
        deleted: [],
        roots: run.roots,
        base: undefined,
        explanation: `tag ${tag} names chart ${chart.dir}`,
      };
    }
  }

  const ctx = await changeContext(run);
  const tags = await seriesTags(ctx, version.prefix);
  const previous = previousTag(version, tags);
  // The series holds `v1.2.3` and `1.2.3` alike; the label follows the tag pushed.
  const series = `${version.prefix}${version.version.startsWith('v') ? 'v' : ''}<version>`;
  if (!previous) return selectAll(run, `${reason}; ${tag} is the first tag of the series ${series}`);
  logger.info(`Previous tag of the series ${series}: ${previous.tag} (SemVer order, ${tags.size} tag(s) considered)`);
  // The bare name: git fetch and the compare API both resolve it to the tag.
  const changes = await compareRange(ctx, previous.tag, head);
  if (changes.kind === 'diff')
    changes.base.description = `previous tag ${previous.tag} (${short(changes.base.sha)}) of the series ${series}..${short(changes.base.head)}`;
  return fromChanges(run, changes, reason);
}

/**
 * The tags that could precede one with this prefix: the clone's and the remote's, listed without
 * a fetch, else the GitHub API's. A shallow clone holds at most the pushed tag, and one that is
 * not shallow can still lack tags (actions/checkout fetches with --no-tags, and a fetch that
 * deepens a shallow clone down to its first commit leaves it whole but without tags), so the
 * remote is asked either way.
 */
async function seriesTags(ctx: ChangeContext, prefix: string): Promise<Set<string>> {
  const { history, logger, compareApi } = ctx;
  const tags = new Set(await history.localTags());
  const remote = await history.remoteTags();
  if (remote) {
    for (const name of remote) tags.add(name);
  } else if (compareApi) {
    logger.info(`Listing tags ${prefix}* with the GitHub API, because ${history.fetchFailure}`);
    for (const name of await compareApi.tags(prefix)) tags.add(name);
  } else {
    const message = `Cannot list the remote's tags (${history.fetchFailure}); only the ${tags.size} tag(s) of the clone are considered`;
    if (await history.isShallow()) logger.warning(message);
    else logger.info(message);
  }
  return tags;
}

interface NamedChart {
  dir: string;
  file: string;
  version: string;
  versionLine: number | undefined;
}

/** The charts under charts-dir whose Chart.yaml `name` is `name`; only files that mention it are parsed. */
function chartsNamed(run: Run, name: string): NamedChart[] {
  const found: NamedChart[] = [];
  for (const dir of run.roots) {
    const file = joinPath(dir, 'Chart.yaml');
    const text = readCheckoutText(file, { workspace: run.options.workspace, maxBytes: MAX_FILE_SIZE });
    if (text === undefined || !text.includes(name)) continue;
    const { metadata, source } = parseChartYaml(text, file);
    if (metadata.name === name) found.push({ dir, file, version: metadata.version, versionLine: source.keyLines.get('version') });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Changed files → charts

async function fromChanges(run: Run, changes: Changes, reason: string): Promise<Discovery> {
  if (changes.kind === 'all') return selectAll(run, `${reason}; ${changes.why}`);
  const { options, layout, packages, roots, filter } = run;
  const { logger, workspace } = options;
  const { base, files } = changes;
  logger.info(`Base: ${base.description}; ${files.length} changed file${files.length === 1 ? '' : 's'}`);

  const dependencies = readFileDependencies(workspace, packages, layout, logger);
  // A chart's package holds its own files; a file:// dependency is packaged from its own folder.
  const owners = new Set([...packages, ...dependencies.dependents.keys()]);
  // A file a chart reaches through a symbolic link changes its package as much as its own files.
  const links = await linkedPaths(run.git, workspace, [...owners]);
  const changedOwners = new Map<string, Set<string>>();
  const unowned: string[] = [];
  const excluded: string[] = [];

  /** Marks path changed for every chart that packages it as `inChart`; false when none does. */
  const claim = (path: string, inChart: string): boolean => {
    let owned = false;
    for (const dir of ancestorDirs(inChart)) {
      if (!owners.has(dir)) continue;
      owned = true;
      const rule = filter.excludedBy(dir, relativeTo(inChart, dir));
      if (rule) {
        excluded.push(path);
        logger.debug(`${inChart}: not packaged in ${dir} (excluded by ${rule})`);
        continue;
      }
      const changed = changedOwners.get(dir);
      if (changed) changed.add(path);
      else changedOwners.set(dir, new Set([path]));
    }
    return owned;
  };
  for (const path of changedPaths(files)) {
    let owned = claim(path, path);
    for (const { link, target } of links) {
      if (!isWithin(path, target)) continue;
      logger.debug(`${path}: reached by the symbolic link ${link}`);
      if (claim(path, joinPath(link, relativeTo(path, target)))) owned = true;
    }
    if (!owned) unowned.push(path);
  }

  // Dependents, transitively; the chain says through which charts the change arrives.
  const chains = new Map<string, string[]>();
  const queue = [...changedOwners.keys()];
  while (queue.length > 0) {
    const dependency = queue.shift() as string;
    for (const dependent of dependencies.dependents.get(dependency) ?? []) {
      if (chains.has(dependent) || dependent === dependency) continue;
      chains.set(dependent, [dependency, ...(changedOwners.has(dependency) ? [] : (chains.get(dependency) ?? []))]);
      queue.push(dependent);
    }
  }

  const charts: SelectedChart[] = [];
  for (const dir of roots) {
    const reasons: SelectionReason[] = [];
    const own = changedOwners.get(dir);
    if (own) reasons.push({ kind: 'changed', files: [...own].sort(comparePaths) });
    const chain = chains.get(dir);
    if (chain) reasons.push({ kind: 'dependency', chain });
    if (reasons.length > 0) charts.push({ dir, reasons });
  }

  const deleted = deletedCharts(files, run);
  checkUnselected(run, { charts, deleted, unowned, excluded });
  return {
    charts,
    deleted,
    roots,
    base,
    explanation: `${reason}; compared with ${base.description}`,
  };
}

/** Every path a change touches: both sides of a rename (a copy leaves its source as it was). */
function changedPaths(files: readonly ChangedFile[]): string[] {
  const paths = new Set<string>();
  for (const file of files) {
    paths.add(file.path);
    if (file.status === 'R' && file.previousPath !== undefined) paths.add(file.previousPath);
  }
  return [...paths].sort(comparePaths);
}

/**
 * Chart folders under charts-dir whose Chart.yaml was removed (or moved) and that are gone now;
 * not one that was part of a chart that is still there (a removed test fixture changes that chart).
 */
function deletedCharts(files: readonly ChangedFile[], run: Run): DeletedChart[] {
  const { layout, chartsDir, packages, filter } = run;
  const removed = new Map<string, DeletedChart>();
  for (const file of files) {
    const gone = file.status === 'D' ? file.path : file.status === 'R' ? file.previousPath : undefined;
    if (gone === undefined || !isChartYaml(gone)) continue;
    const dir = parentDir(gone);
    if (layout.chartDirs.has(dir) || !coversDir(chartsDir, dir)) continue;
    removed.set(dir, file.status === 'R' && isChartYaml(file.path) ? { dir, movedTo: parentDir(file.path) } : { dir });
  }
  // A subchart removed with (or from) its parent is part of the parent's story, not its own.
  const all = new Set([...layout.chartDirs, ...removed.keys()]);
  // Charts then: a fixture removed with (or from) its chart is part of that chart's story too.
  const then = new Set([...coveredDirs(packages, chartsDir), ...removed.keys()]);
  const deleted: DeletedChart[] = [];
  for (const chart of removed.values()) {
    if (!isSubchart(chart.dir, all) && enclosingChart(chart.dir, then, filter) === undefined) deleted.push(chart);
  }
  return deleted.sort((a, b) => comparePaths(a.dir, b.dir));
}

function coveredDirs(dirs: Iterable<string>, chartsDir: ChartsDir): Set<string> {
  return new Set([...dirs].filter((dir) => coversDir(chartsDir, dir)));
}

function isChartYaml(path: string): boolean {
  return path === 'Chart.yaml' || path.endsWith('/Chart.yaml');
}

/**
 * Nothing selected although files under charts-dir changed. When a changed file looks like
 * chart content but belongs to no chart (a Chart.yml, a chart.yaml, a templates/ folder without
 * Chart.yaml), the layout or charts-dir is wrong: fail and say which files. Other files outside
 * every chart (a README beside the charts, workflow files under "."), or files that a
 * .helmignore excludes, are a normal reason for nothing to publish and are reported in the log.
 */
function checkUnselected(
  run: Run,
  found: { charts: SelectedChart[]; deleted: DeletedChart[]; unowned: string[]; excluded: string[] },
): void {
  const { logger } = run.options;
  const deletedDirs = found.deleted.map((d) => d.dir);
  const stray = found.unowned.filter(
    (path) => coversDir(run.chartsDir, parentDir(path)) && !deletedDirs.some((dir) => isWithin(path, dir)),
  );
  const chartLike = stray.filter(looksLikeChartContent);
  if (found.charts.length === 0 && found.deleted.length === 0 && chartLike.length > 0) {
    throw new InputError(
      'charts-dir',
      `files under charts-dir changed but no chart was selected: ${listed(chartLike)} ${chartLike.length === 1 ? 'is' : 'are'} chart content outside any chart ` +
        '(no folder above it has a Chart.yaml, spelled exactly so). Add or rename the Chart.yaml, or point charts-dir at the folders that hold the charts.',
    );
  }
  if (chartLike.length > 0) {
    logger.warning(
      `${listed(chartLike)} look${chartLike.length === 1 ? 's' : ''} like chart content but belong${chartLike.length === 1 ? 's' : ''} to no chart (no Chart.yaml above); not published`,
    );
  }
  if (found.charts.length === 0 && found.deleted.length === 0) {
    if (stray.length > 0) logger.info(`No chart selected: the changed files under charts-dir belong to no chart (${listed(stray)})`);
    if (found.excluded.length > 0)
      logger.info(
        `No chart selected: ${listed(found.excluded)} ${found.excluded.length === 1 ? 'is' : 'are'} excluded from packaging by .helmignore (see the debug log for the rules)`,
      );
    if (stray.length === 0 && found.excluded.length === 0) logger.info('No chart selected: no file under charts-dir changed');
  }
}

const CHART_FILE_NAMES = new Set([
  'Chart.yml',
  'chart.yaml',
  'chart.yml',
  'Chart.lock',
  'values.yaml',
  'values.yml',
  'values.schema.json',
  'requirements.yaml',
  'requirements.lock',
  '.helmignore',
]);

function looksLikeChartContent(path: string): boolean {
  const segments = path.split('/');
  const name = segments.at(-1) as string;
  return CHART_FILE_NAMES.has(name) || segments.slice(0, -1).some((s) => s === 'templates' || s === 'crds');
}

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, LISTED_FILES).join(', ');
  return paths.length > LISTED_FILES ? `${shown} and ${paths.length - LISTED_FILES} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Log

/** One reason in words, as the log and the job summary show it. */
export function describeReason(reason: SelectionReason): string {
  switch (reason.kind) {
    case 'changed':
      return `changed: ${listed(reason.files)}`;
    case 'dependency':
      return `depends (file://) on ${reason.chain.join(', which depends on ')}, which changed`;
    case 'all':
      return reason.why;
    case 'tag':
      return `tag ${reason.tag} releases version ${reason.version}`;
    case 'explicit':
      return 'listed in the "charts" input';
  }
}

function report(discovery: Discovery, logger: Logger): void {
  logger.info(`Selection: ${discovery.explanation}`);
  // "all charts" has one reason for every chart: say it once, list the charts in the debug log.
  const everyChart = discovery.charts.every((c) => c.reasons.length === 1 && c.reasons[0]?.kind === 'all');
  for (const chart of discovery.charts) {
    const line = `  ${chart.dir}: ${chart.reasons.map(describeReason).join('; ')}`;
    if (everyChart) logger.debug(line);
    else logger.info(line);
  }
  for (const chart of discovery.deleted) {
    logger.info(`  ${chart.dir}: deleted${chart.movedTo ? ` (moved to ${chart.movedTo})` : ''}; not published`);
  }
  logger.info(`${discovery.charts.length} of ${discovery.roots.length} chart${discovery.roots.length === 1 ? '' : 's'} selected`);
}
