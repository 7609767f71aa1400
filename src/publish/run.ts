import { relative, resolve, sep } from 'node:path';
import { loadChart, missingDependencies, type LoadedChart } from '../chart/chart-loader.js';
import { lintOnlyProblems, nonStrictVersionProblem, publishingProblems } from '../chart/metadata.js';
import { applyOverrides, type VersionOverrides } from '../chart/overrides.js';
import { packageChart, type ChartPackage } from '../chart/packager.js';
import { resolveSourceDates } from '../chart/source-date.js';
import { mapLimit } from '../shared/concurrency.js';
import { notStopped } from '../shared/deadline.js';
import { ChartError, describeError, DomainError } from '../shared/errors.js';
import { sharedRepositoryIds, type RepositoryMetadata } from './artifacthub-metadata.js';
import { runChartChecks, type ChartCheckOptions } from './chart-checks.js';
import type { Logger } from '../shared/logger.js';
import type { ProcessRunner } from '../shared/process-runner.js';
import { heldBack } from './held-back.js';
import { versionLine } from './version-line.js';
import { checkOutputDirOutsideCharts } from './output-dir.js';
import { checkManifestSize, checkReferenceLimits, type ManifestBuilder } from './push-limits.js';
import type { ChartOutcome, RunReport } from './report.js';
import { chartReference, type ChartReference, type RegistryNamespace } from './target.js';
import { ociNamespaceText } from '../oci/reference.js';

/**
 * A run across the selected charts: plan, then act. Every chart is loaded, validated, packaged
 * (and signed), then looked up in the registry, before anything is pushed; if any chart fails,
 * nothing is pushed at all (`on-invalid: skip` publishes the others, except the charts that
 * contain a failed one). Pushes then run with bounded concurrency and a failure in one is
 * reported for that chart while the others complete.
 */

export type OnConflict = 'fail' | 'skip' | 'overwrite';
/** `fail`: nothing is pushed unless every chart passes the plan; `skip`: the others are published. */
export type OnInvalid = 'fail' | 'skip';

export interface RunOptions {
  workspace: string;
  target: RegistryNamespace;
  dryRun: boolean;
  outputDir: string;
  /** SOURCE_DATE_EPOCH from the environment, if set. */
  sourceDateEpoch: string | undefined;
  concurrency: number;
  /** What a chart that fails the plan does to the others; `fail` when absent. */
  onInvalid?: OnInvalid;
  /** Why these charts were selected, for the summary. */
  selection?: string;
  deleted?: string[];
  /** The schema gate and Artifact Hub checks (inputs check-schema, schema-remote-refs, artifacthub-metadata); all on by default. */
  checks?: Partial<ChartCheckOptions>;
  /** The `version` and `app-version` inputs, applied to every chart (`helm package --version`). */
  overrides?: VersionOverrides;
  /** A version that is not strict SemVer 2 fails the chart instead of a warning. */
  strictVersions?: boolean;
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
  /** Artifact Hub repository metadata, pushed to the `artifacthub.io` tag after the chart. */
  artifactHub?: RepositoryMetadata;
  /** What the pre-publish checks found (shared with the chart's outcome, for the summary). */
  checks?: string[];
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
  /** In a dry-run: what a release would do with the chart, when the registry told. */
  wouldBe?: ChartOutcome['wouldBe'];
}

/** One chart as the registry has it, looked up before anything of the run is written. */
export type Lookup =
  /** Nothing to push: unchanged, left as it is (on-conflict: skip), or a conflict. */
  | { result: PushResult }
  /** The push to make once every chart of the run has been looked up. */
  | { push: () => Promise<PushResult> };

/** The steps a run delegates; each is optional so that a dry-run needs no registry at all. */
export interface RunSteps {
  logger: Logger;
  git: ProcessRunner;
  /** Fills charts/ from Chart.yaml/Chart.lock before a chart with missing dependencies is packaged. */
  buildDependencies?: ((chart: LoadedChart, path: string) => Promise<LoadedChart>) | undefined;
  /** For a chart that needs no build: checks what charts/ holds against the lock (warnings only). */
  checkVendored?: ((chart: LoadedChart, path: string) => Promise<void>) | undefined;
  /** Signs a package; returns the .prov. */
  sign?: ((prepared: PreparedChart) => Promise<PreparedChart['provenance']>) | undefined;
  /**
   * Looks a prepared chart up in the registry, reading only; every chart is looked up before
   * the first push, so that a conflict, a refused permission or an unreachable registry stops
   * the run before anything is written. Preferred over `push` when both are given.
   */
  lookup?: ((prepared: PreparedChart) => Promise<Lookup>) | undefined;
  /** Publishes a prepared chart without a look-up first (not called in a dry-run). */
  push?: ((prepared: PreparedChart) => Promise<PushResult>) | undefined;
  /** Read-only look at the registry in a dry-run. */
  check?: ((prepared: PreparedChart) => Promise<PushResult>) | undefined;
  /**
   * After a chart is published or found unchanged (in a dry-run: checked): Sigstore signatures
   * and attestations as referrers of its manifest. A failure fails the chart, not the others.
   */
  attach?: ((prepared: PreparedChart, outcome: ChartOutcome) => Promise<Pick<ChartOutcome, 'signature' | 'attestation'>>) | undefined;
  /** Orders prepared charts so that dependencies are published before their dependents. */
  order?: ((prepared: PreparedChart[]) => PreparedChart[][]) | undefined;
  /** Builds the manifest as the push will, for the plan's size check (push-limits.ts). */
  manifest?: ManifestBuilder | undefined;
  /** The run's deadline: once it fires, no chart is started (each says why). */
  signal?: AbortSignal | undefined;
}

export async function publishCharts(chartDirs: readonly string[], options: RunOptions, steps: RunSteps): Promise<RunReport> {
  const { logger } = steps;
  const workspace = resolve(options.workspace);
  const paths = chartDirs.map((dir) => relativePath(workspace, dir));
  await checkOutputDirOutsideCharts(workspace, options.outputDir, paths);
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
        notStopped(steps.signal);
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
  const charts = [...ready.keys()].map((chart) => ({ key: chart, path: chart.path, metadata: chart.artifactHub }));
  for (const [chart, error] of sharedRepositoryIds(charts)) {
    fail(ready.get(chart) as ChartOutcome, error, logger);
    ready.delete(chart);
  }
  const onInvalid = options.onInvalid ?? 'fail';
  if (onInvalid === 'skip') holdBack(ready, outcomes, logger, options.dryRun);

  const report: RunReport = {
    dryRun: options.dryRun,
    registry: ociNamespaceText(options.target),
    charts: outcomes,
    deleted: options.deleted ?? [],
    ...(options.selection ? { selection: options.selection } : {}),
    onInvalid,
  };
  const failedNow = () => outcomes.filter((o) => o.status === 'failed').length;
  const blocking = (registry = false) =>
    `${failedNow()} of ${outcomes.length} selected chart(s) failed, and nothing is pushed unless every selected chart validates` +
    `${registry ? ' and the registry can take it' : ''} (on-invalid: fail)`;

  // Act.
  if (options.dryRun) {
    const check = steps.check;
    if (check) {
      await mapLimit([...ready], options.concurrency, async ([chart, outcome]) => {
        try {
          notStopped(steps.signal);
          apply(outcome, await check(chart), logger, chart);
        } catch (error) {
          fail(outcome, error, logger, chart);
        }
      });
    }
    await attachAll(ready, ['dry-run'], options, steps);
    if (onInvalid === 'fail' && failedNow() > 0) {
      report.blocked = `a real run would push nothing: ${blocking(check !== undefined)}`;
      for (const outcome of ready.values()) {
        if (outcome.status === 'dry-run') outcome.reason = `${outcome.reason ? `${outcome.reason}; ` : ''}not while other charts fail`;
      }
    } else if (onInvalid === 'skip') holdBack(ready, outcomes, logger, true);
    return report;
  }
  if (onInvalid === 'fail' && failedNow() > 0) return notPushed(report, ready, blocking());
  const lookup = steps.lookup;
  if (!lookup && !steps.push) throw new Error('publishing needs a registry client');
  let waves: PreparedChart[][];
  try {
    waves = steps.order ? steps.order([...ready.keys()]) : [[...ready.keys()]];
  } catch (error) {
    // A dependency cycle among the charts of this run: none of them can go first.
    for (const [chart, outcome] of ready) fail(outcome, error, logger, chart);
    return report;
  }

  // The plan against the registry: every chart is looked up before the first write.
  const pushes = new Map<PreparedChart, () => Promise<PushResult>>();
  if (lookup) {
    await mapLimit([...ready], options.concurrency, async ([chart, outcome]) => {
      try {
        notStopped(steps.signal);
        const found = await lookup(chart);
        if ('result' in found) apply(outcome, found.result, logger, chart);
        else pushes.set(chart, found.push);
      } catch (error) {
        fail(outcome, error, logger, chart);
      }
    });
    if (failedNow() > 0) {
      if (onInvalid === 'fail') return notPushed(report, ready, blocking(true));
      holdBack(ready, outcomes, logger, false);
    }
  } else {
    const push = steps.push as NonNullable<RunSteps['push']>;
    for (const chart of ready.keys()) pushes.set(chart, () => push(chart));
  }
  for (const wave of waves) {
    await mapLimit(
      wave.filter((chart) => ready.has(chart) && pushes.has(chart)),
      options.concurrency,
      async (chart) => {
        const outcome = ready.get(chart) as ChartOutcome;
        try {
          notStopped(steps.signal);
          apply(outcome, await (pushes.get(chart) as () => Promise<PushResult>)(), logger, chart);
        } catch (error) {
          fail(outcome, error, logger, chart);
        }
      },
    );
  }
  await attachAll(ready, ['published', 'unchanged'], options, steps);
  return report;
}

/**
 * Signatures and attestations (RunSteps.attach), once the charts they are about are in the
 * registry, pushed now or found unchanged (in a dry-run: checked). A failure fails that chart.
 */
async function attachAll(
  ready: Map<PreparedChart, ChartOutcome>,
  statuses: readonly ChartOutcome['status'][],
  options: RunOptions,
  steps: RunSteps,
): Promise<void> {
  const attach = steps.attach;
  if (!attach) return;
  const due = [...ready].filter(([, outcome]) => statuses.includes(outcome.status) && (outcome.digest !== undefined || options.dryRun));
  await mapLimit(due, options.concurrency, async ([chart, outcome]) => {
    try {
      notStopped(steps.signal);
      Object.assign(outcome, await attach(chart, outcome));
    } catch (error) {
      fail(outcome, error, steps.logger, chart);
    }
  });
}

/** Nothing is pushed: every chart that passed says why it was not. */
function notPushed(report: RunReport, ready: Map<PreparedChart, ChartOutcome>, why: string): RunReport {
  report.blocked = `nothing was pushed: ${why}`;
  for (const outcome of ready.values()) {
    if (outcome.status === 'skipped' && outcome.reason === undefined) outcome.reason = `not pushed: ${why}`;
  }
  return report;
}

/** Under on-invalid: skip, the charts that contain a failed chart of this run are not published. */
function holdBack(ready: Map<PreparedChart, ChartOutcome>, outcomes: readonly ChartOutcome[], logger: Logger, dryRun: boolean): void {
  const failed = outcomes.filter((o) => o.status === 'failed');
  for (const [chart, cause] of heldBack([...ready.keys()], failed)) {
    const outcome = ready.get(chart) as ChartOutcome;
    ready.delete(chart);
    outcome.status = 'skipped';
    outcome.reason = `${dryRun ? 'would not be published' : 'not published'}: it contains ${cause}, which failed`;
    logger.warning(`${chart.reference.text}: ${outcome.reason}`, versionLine(chart));
  }
}

async function prepareChart(
  path: string,
  epoch: number,
  options: RunOptions,
  steps: RunSteps,
  outcome: ChartOutcome,
): Promise<PreparedChart> {
  const { logger } = steps;
  let chart = applyOverrides(await loadChart(path, { workspace: options.workspace, logger }), options.overrides);
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
  for (const { problem, version } of lintOnlyProblems(chart.metadata, chart.source)) {
    if (version && options.strictVersions) problems.push(new ChartError(`${problem.message} (strict-versions is true)`, problem));
    else logger.warning(problem.message, { file: problem.file, line: problem.line, title: 'Helm lint error in Chart.yaml' });
  }
  const nonStrict = nonStrictVersionProblem(
    chart.metadata,
    chart.source,
    options.overrides?.version !== undefined ? 'the "version" input' : undefined,
  );
  if (nonStrict && options.strictVersions) problems.push(new ChartError(`${nonStrict.message} (strict-versions is true)`, nonStrict));
  else if (nonStrict)
    logger.warning(nonStrict.message, { file: nonStrict.file, line: nonStrict.line, title: 'Version not strict SemVer 2' });
  for (const problem of problems.slice(1)) {
    logger.error(problem.message, { file: problem.file, line: problem.line, title: `${chart.metadata.name} cannot be published` });
  }
  if (problems[0]) throw problems[0];

  const reference = chartReference(options.target, chart.metadata.name, chart.metadata.version);
  outcome.reference = reference.text;
  outcome.tag = reference.tag;
  checkReferenceLimits(reference, chart.source);

  if (missingDependencies(chart).length > 0 && steps.buildDependencies) {
    chart = await steps.buildDependencies(chart, path);
  } else {
    await steps.checkVendored?.(chart, path);
  }
  const missing = missingDependencies(chart);
  if (missing.length > 0) {
    throw new ChartError(`found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, {
      file: chart.source.file,
      line: chart.source.keyLines.get('dependencies'),
    });
  }

  const checked = await runChartChecks(chart, path, {
    workspace: options.workspace,
    dryRun: options.dryRun,
    logger,
    options: options.checks,
  });
  outcome.checks = checked.notes;
  // The Artifact Hub metadata file is the registry's, not the chart's: it stays out of the package.
  const metadataFile = checked.metadata?.inChart;
  if (metadataFile) chart = { ...chart, files: chart.files.filter((f) => f.name !== metadataFile) };

  const pkg = await packageChart(chart, { outputDir: options.outputDir, mtime: epoch });
  outcome.package = pkg.path;
  outcome.chartDigest = `sha256:${pkg.sha256}`;
  outcome.size = pkg.size;
  const ready: PreparedChart = { path, chart, reference, package: pkg, epoch, checks: checked.notes };
  if (checked.metadata) ready.artifactHub = checked.metadata;
  if (steps.sign) {
    const provenance = await steps.sign(ready);
    if (provenance) {
      ready.provenance = provenance;
      outcome.provenanceDigest = `sha256:${provenance.sha256}`;
    }
  }
  checkManifestSize(ready, steps.manifest);
  return ready;
}

function apply(outcome: ChartOutcome, result: PushResult, logger: Logger, chart: PreparedChart): void {
  outcome.status = result.status;
  if (result.digest) outcome.digest = result.digest;
  if (result.reason) outcome.reason = result.reason;
  if (result.wouldBe) outcome.wouldBe = result.wouldBe;
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
    const names = charts.map((c) => c.path);
    const paths =
      names.length === 2 ? `${names.join(' and ')} are both` : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''} are all`;
    for (const chart of charts) {
      const outcome = ready.get(chart) as ChartOutcome;
      ready.delete(chart);
      const error = new ChartError(`${paths} ${reference}: rename one chart or give it another version`, {
        file: chart.chart.source.file,
        line: chart.chart.source.keyLines.get('name'),
      });
      fail(outcome, error, logger);
    }
  }
}

function relativePath(workspace: string, dir: string): string {
  const rel = relative(workspace, resolve(workspace, dir)).split(sep).join('/');
  return rel === '' ? '.' : rel;
}
