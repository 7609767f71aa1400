import { relative, resolve, sep } from 'node:path';
import { loadChart, missingDependencies, type LoadedChart } from '../chart/chart-loader.js';
import { publishingProblems } from '../chart/metadata.js';
import { packageChart, type ChartPackage } from '../chart/packager.js';
import { resolveSourceDates } from '../chart/source-date.js';
import { mapLimit } from '../shared/concurrency.js';
import { ChartError, describeError, DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessRunner } from '../shared/process-runner.js';
import type { ChartOutcome, RunReport } from './report.js';
import { chartReference, type ChartReference, type RegistryNamespace } from './target.js';

/**
 * A run across the selected charts: plan, then act. Every chart is loaded, validated, packaged
 * (and signed) before anything is pushed; if any chart fails, nothing is pushed at all. Pushes
 * then run with bounded concurrency and a failure in one is reported for that chart while the
 * others complete.
 */

export type OnConflict = 'fail' | 'skip' | 'overwrite';

export interface RunOptions {
  workspace: string;
  target: RegistryNamespace;
  dryRun: boolean;
  outputDir: string;
  /** SOURCE_DATE_EPOCH from the environment, if set. */
  sourceDateEpoch: string | undefined;
  concurrency: number;
  /** Why these charts were selected, for the summary. */
  selection?: string;
  deleted?: string[];
}

/** A chart that validated and packaged, ready to push. */
export interface PreparedChart {
  /** Workspace-relative chart directory. */
  path: string;
  chart: LoadedChart;
  reference: ChartReference;
  package: ChartPackage;
  /** Unix seconds stamped on the archive entries (also the manifest's created time). */
  epoch: number;
  provenance?: { path: string; sha256: string; text: string };
}

/** What pushing (or checking, in a dry-run) one prepared chart came to. */
export interface PushResult {
  status: ChartOutcome['status'];
  digest?: string;
  reason?: string;
  /**
   * When the registry keeps another manifest than ours (an unchanged chart signed earlier, or
   * not at all): the provenance layer digest it has, or null for none. Absent: ours stands.
   */
  provenanceDigest?: string | null;
}

/** The steps a run delegates; each is optional so that a dry-run needs no registry at all. */
export interface RunSteps {
  logger: Logger;
  git: ProcessRunner;
  /** Fills charts/ from Chart.yaml/Chart.lock before a chart with missing dependencies is packaged. */
  buildDependencies?: (chart: LoadedChart, path: string) => Promise<LoadedChart>;
  /** Signs a package; returns the .prov. */
  sign?: (prepared: PreparedChart) => Promise<PreparedChart['provenance']>;
  /** Publishes a prepared chart (not called in a dry-run). */
  push?: (prepared: PreparedChart) => Promise<PushResult>;
  /** Read-only look at the registry in a dry-run. */
  check?: (prepared: PreparedChart) => Promise<PushResult>;
  /**
   * After a chart is published or found unchanged (in a dry-run: checked): Sigstore signatures
   * and attestations as referrers of its manifest. A failure fails the chart, not the others.
   */
  attach?: (prepared: PreparedChart, pushed: PushResult) => Promise<Pick<ChartOutcome, 'signature' | 'attestation'>>;
  /** Orders prepared charts so that dependencies are published before their dependents. */
  order?: (prepared: PreparedChart[]) => PreparedChart[][];
}

export async function publishCharts(chartDirs: readonly string[], options: RunOptions, steps: RunSteps): Promise<RunReport> {
  const { logger } = steps;
  const workspace = resolve(options.workspace);
  const paths = chartDirs.map((dir) => relativePath(workspace, dir));
  const dates = await resolveSourceDates(paths, {
    sourceDateEpoch: options.sourceDateEpoch,
    workspace,
    git: steps.git,
    logger,
  });

  // Plan: everything that can fail without touching the registry.
  const outcomes: ChartOutcome[] = [];
  const ready = new Map<PreparedChart, ChartOutcome>();
  for (const path of paths) {
    const outcome: ChartOutcome = { name: '', version: '', path, reference: '', tag: '', status: 'failed' };
    outcomes.push(outcome);
    await logger.group(`Chart ${path}`, async () => {
      try {
        const date = dates.get(path) ?? { epoch: 0, source: 'default' };
        const chart = await prepareChart(path, date.epoch, options, steps, outcome);
        logger.info(
          `Packaged ${chart.package.fileName}: ${chart.package.entries} entries, ${chart.package.size} bytes, sha256:${chart.package.sha256} (entries dated ${new Date(date.epoch * 1000).toISOString()}, ${date.source})`,
        );
        ready.set(chart, outcome);
        outcome.status = options.dryRun ? 'dry-run' : 'skipped';
      } catch (error) {
        fail(outcome, error, logger);
      }
    });
  }
  rejectDuplicates(ready, logger);

  const report: RunReport = {
    dryRun: options.dryRun,
    registry: `oci://${[options.target.registry, options.target.namespace].filter(Boolean).join('/')}`,
    charts: outcomes,
    deleted: options.deleted ?? [],
    ...(options.selection ? { selection: options.selection } : {}),
  };
  const failures = paths.length - ready.size;

  // Act.
  if (options.dryRun) {
    const { check, attach } = steps;
    if (!check && !attach) return report;
    await mapLimit([...ready], options.concurrency, async ([chart, outcome]) => {
      try {
        const result = check ? await check(chart) : { status: 'dry-run' as const };
        if (check) apply(outcome, result, logger, chart);
        if (attach && outcome.status === 'dry-run') Object.assign(outcome, await attach(chart, result));
      } catch (error) {
        fail(outcome, error, logger, chart);
      }
    });
    return report;
  }
  if (failures > 0) {
    for (const outcome of ready.values()) {
      outcome.reason = `not pushed: ${failures} selected chart(s) failed validation, and nothing is pushed unless every selected chart validates`;
    }
    return report;
  }
  if (!steps.push) throw new Error('publishing needs a registry client');
  const push = steps.push;
  let waves: PreparedChart[][];
  try {
    waves = steps.order ? steps.order([...ready.keys()]) : [[...ready.keys()]];
  } catch (error) {
    // A dependency cycle among the charts of this run: none of them can go first.
    for (const [chart, outcome] of ready) fail(outcome, error, logger, chart);
    return report;
  }
  for (const wave of waves) {
    await mapLimit(wave, options.concurrency, async (chart) => {
      const outcome = ready.get(chart) as ChartOutcome;
      try {
        const result = await push(chart);
        apply(outcome, result, logger, chart);
        if (steps.attach && result.digest && (result.status === 'published' || result.status === 'unchanged')) {
          Object.assign(outcome, await steps.attach(chart, result));
        }
      } catch (error) {
        fail(outcome, error, logger, chart);
      }
    });
  }
  return report;
}

async function prepareChart(
  path: string,
  epoch: number,
  options: RunOptions,
  steps: RunSteps,
  outcome: ChartOutcome,
): Promise<PreparedChart> {
  const { logger } = steps;
  let chart = await loadChart(path, { workspace: options.workspace, logger });
  outcome.name = chart.metadata.name;
  outcome.version = chart.metadata.version;
  for (const unknown of chart.source.unknownKeys) {
    logger.warning(`unknown key "${unknown.key}" in Chart.yaml is ignored by Helm and left out of the package`, {
      file: chart.source.file,
      line: unknown.line,
      title: 'Unknown Chart.yaml key',
    });
  }
  const problems = publishingProblems(chart.metadata, chart.source);
  for (const problem of problems.slice(1)) {
    logger.error(problem.message, { file: problem.file, line: problem.line, title: `${chart.metadata.name} cannot be published` });
  }
  if (problems[0]) throw problems[0];

  const reference = chartReference(options.target, chart.metadata.name, chart.metadata.version);
  outcome.reference = reference.text;
  outcome.tag = reference.tag;

  if (missingDependencies(chart).length > 0 && steps.buildDependencies) {
    chart = await steps.buildDependencies(chart, path);
  }
  const missing = missingDependencies(chart);
  if (missing.length > 0) {
    throw new ChartError(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, {
      file: chart.source.file,
      line: chart.source.keyLines.get('dependencies'),
    });
  }

  const pkg = await packageChart(chart, { outputDir: options.outputDir, mtime: epoch });
  outcome.package = pkg.path;
  outcome.chartDigest = `sha256:${pkg.sha256}`;
  outcome.size = pkg.size;
  const ready: PreparedChart = { path, chart, reference, package: pkg, epoch };
  if (steps.sign) {
    const provenance = await steps.sign(ready);
    if (provenance) {
      ready.provenance = provenance;
      outcome.provenanceDigest = `sha256:${provenance.sha256}`;
    }
  }
  return ready;
}

function apply(outcome: ChartOutcome, result: PushResult, logger: Logger, chart: PreparedChart): void {
  outcome.status = result.status;
  if (result.digest) outcome.digest = result.digest;
  if (result.reason) outcome.reason = result.reason;
  if (result.provenanceDigest === null) delete outcome.provenanceDigest;
  else if (result.provenanceDigest) outcome.provenanceDigest = result.provenanceDigest;
  const line = `${chart.reference.text}: ${result.status}${result.digest ? ` (${result.digest})` : ''}${result.reason ? ` — ${result.reason}` : ''}`;
  if (result.status === 'failed') logger.error(line, versionLine(chart));
  else if (result.status === 'skipped') logger.warning(line, versionLine(chart));
  else logger.info(line);
}

function fail(outcome: ChartOutcome, error: unknown, logger: Logger, chart?: PreparedChart): void {
  outcome.status = 'failed';
  outcome.reason = error instanceof DomainError ? describeError(error) : `unexpected error: ${describeError(error)}`;
  const title = `${outcome.name || outcome.path} cannot be published`;
  // Every problem is annotated somewhere: its own file and line, else the chart's Chart.yaml.
  const where =
    error instanceof ChartError
      ? { file: error.file, line: error.line, title }
      : chart
        ? versionLine(chart)
        : { file: outcome.path === '.' ? 'Chart.yaml' : `${outcome.path}/Chart.yaml`, title };
  logger.error(error instanceof ChartError ? error.message : outcome.reason, where);
}

/**
 * Two selected charts with the same name and version would write the same package and race
 * for the same tag: neither is published.
 */
function rejectDuplicates(ready: Map<PreparedChart, ChartOutcome>, logger: Logger): void {
  const byReference = new Map<string, PreparedChart[]>();
  for (const chart of ready.keys()) byReference.set(chart.reference.text, [...(byReference.get(chart.reference.text) ?? []), chart]);
  for (const [reference, charts] of byReference) {
    if (charts.length < 2) continue;
    const paths = charts.map((c) => c.path).join(' and ');
    for (const chart of charts) {
      const outcome = ready.get(chart) as ChartOutcome;
      ready.delete(chart);
      const error = new ChartError(`${paths} are both ${reference}: rename one chart or give it another version`, {
        file: chart.chart.source.file,
        line: chart.chart.source.keyLines.get('name'),
      });
      fail(outcome, error, logger);
    }
  }
}

/** Where registry problems are annotated: the chart's `version:` line (bump the version). */
export function versionLine(chart: PreparedChart): { file: string; line?: number; title: string } {
  return {
    file: chart.chart.source.file,
    line: chart.chart.source.keyLines.get('version'),
    title: `${chart.chart.metadata.name} ${chart.chart.metadata.version}`,
  };
}

function relativePath(workspace: string, dir: string): string {
  const rel = relative(workspace, resolve(workspace, dir)).split(sep).join('/');
  return rel === '' ? '.' : rel;
}
