import type { Repository } from '../oci/registry-client.js';
import { ociNamespaceText } from '../oci/reference.js';
import { checkChart, lookupChart } from '../publish/push-chart.js';
import type { ChartOutcome, RunReport } from '../publish/report.js';
import type { OnConflict, PreparedChart, PushResult } from '../publish/run.js';
import { notStopped } from '../shared/deadline.js';
import { mapLimit } from '../shared/concurrency.js';
import { describeError, DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ExistingPackage } from './existing-packages.js';
import { label, planMigration, type PlanOptions, type PlannedVersion } from './migration-plan.js';

/**
 * A migration: existing chart packages (from a chart repository's index.yaml or from workspace
 * files) pushed byte for byte, with the guarantees of a publish. Plan, then act: every selected
 * version is downloaded and checked first. Under `on-invalid: fail` nothing is pushed when any
 * selected version cannot be migrated; under `skip` the others are. Each push goes through the
 * immutability guard (push-chart.ts): a version already migrated is `unchanged` and nothing is
 * uploaded, so an interrupted migration is simply run again.
 */

/** Where the URL a chart was migrated from is recorded in its manifest. */
export const MIGRATED_FROM_ANNOTATION = 'io.github.oci-chart-publish.migrated-from';

export interface MigrationOptions extends Omit<PlanOptions, 'logger'> {
  dryRun: boolean;
  onInvalid: 'fail' | 'skip';
  onConflict: OnConflict;
  /** The repository URL, `org.opencontainers.image.source` when Chart.yaml names no source. */
  repositoryUrl?: string;
  /** The `annotations` input. */
  annotations: ReadonlyMap<string, string>;
  /** Where the packages come from, for the summary. */
  from: string;
}

export interface MigrationSteps {
  logger: Logger;
  /** Opens the chart's repository in the registry. */
  repository: (chart: PreparedChart, push: boolean) => Repository;
  /** In a dry-run, whether the registry can be read (credentials exist for it). */
  canCheck: boolean;
}

/** A version that was downloaded and checked, ready to be looked up and pushed. */
type ReadyVersion = PlannedVersion & { prepared: PreparedChart };

export async function migrateCharts(
  packages: readonly ExistingPackage[],
  options: MigrationOptions,
  steps: MigrationSteps,
): Promise<RunReport> {
  const { logger } = steps;
  const planned = await logger.group(`Downloading and checking ${packages.length} package(s) from ${options.from}`, () =>
    planMigration(packages, { ...options, logger }),
  );
  const ready = planned.filter((p): p is ReadyVersion => p.prepared !== undefined);
  const invalid = planned.length - ready.length;
  const deprecated = planned.filter((p) => p.package.deprecated).length;
  const report: RunReport = {
    dryRun: options.dryRun,
    registry: ociNamespaceText(options.target),
    charts: planned.map((p) => p.outcome),
    deleted: [],
    onInvalid: options.onInvalid,
    selection:
      `migration of ${planned.length} version(s) of ${new Set(planned.map((p) => p.outcome.name || p.outcome.path)).size} chart(s) ` +
      `from ${options.from}` +
      (deprecated > 0 ? `, ${deprecated} of them deprecated` : '') +
      (invalid > 0 ? `; ${invalid} cannot be migrated` : ''),
  };

  const contextFor = (item: PlannedVersion, push: boolean) => ({
    repository: (chart: PreparedChart) => steps.repository(chart, push),
    onConflict: options.onConflict,
    conflictAdvice: 'compare the two, then set on-conflict to skip (keep the registry version) or overwrite (take the migrated one)',
    logger,
    ...(options.repositoryUrl ? { repositoryUrl: options.repositoryUrl } : {}),
    annotations: new Map([
      ...options.annotations,
      ...(item.package.downloadUrl ? ([[MIGRATED_FROM_ANNOTATION, item.package.downloadUrl]] as const) : []),
    ]),
  });

  if (options.dryRun) {
    for (const item of ready) {
      item.outcome.status = 'dry-run';
      item.outcome.reason = 'would be pushed as it is';
    }
    if (steps.canCheck) {
      await logger.group('Checking the registry (dry-run)', () =>
        mapLimit(ready, options.concurrency, async (item) => {
          try {
            notStopped(options.signal);
            apply(item.outcome, await checkChart(item.prepared, contextFor(item, false)), logger);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            // Stopped by the deadline: the version is not finished, as a publish reports it.
            if (options.signal?.aborted) {
              failed(item, error, logger);
              return;
            }
            logger.warning(`${item.prepared.reference.text}: the registry could not be checked (${describeError(error)})`);
            item.outcome.reason = `registry not checked: ${describeError(error)}`;
          }
        }),
      );
    }
    if (invalid > 0 && options.onInvalid === 'fail') {
      for (const item of ready) {
        item.outcome.reason = `${item.outcome.reason ?? ''}; but nothing would be pushed: ${invalid} selected version(s) cannot be migrated (on-invalid: fail)`;
      }
    }
    return report;
  }
  if (invalid > 0 && options.onInvalid === 'fail') {
    for (const item of ready) {
      item.outcome.reason =
        `not pushed: ${invalid} selected version(s) cannot be migrated, and on-invalid: fail pushes nothing ` +
        'unless every selected version can be (on-invalid: skip pushes the others)';
    }
    logger.error(`${invalid} of ${planned.length} selected version(s) cannot be migrated: nothing is pushed (on-invalid: fail)`);
    report.blocked = `${invalid} of ${planned.length} selected version(s) cannot be migrated, and on-invalid: fail pushes nothing`;
    return report;
  }

  // The plan against the registry, as a run makes it: every version is looked up before the
  // first write, so that a conflict under on-conflict: fail, or a look-up the registry refuses,
  // stops the migration before anything is pushed (on-invalid: skip pushes the others).
  const pushes = new Map<ReadyVersion, () => Promise<PushResult>>();
  await logger.group(`Looking up ${ready.length} version(s) in ${report.registry}`, () =>
    mapLimit(ready, options.concurrency, async (item) => {
      try {
        notStopped(options.signal);
        const found = await lookupChart(item.prepared, contextFor(item, true));
        if ('result' in found) apply(item.outcome, found.result, logger);
        else pushes.set(item, found.push);
      } catch (error) {
        failed(item, error, logger);
      }
    }),
  );
  const refused = ready.filter((item) => item.outcome.status === 'failed').length;
  if (refused > 0 && options.onInvalid === 'fail') {
    const why = `${refused} of ${ready.length} version(s) failed against the registry (a conflict, or a look-up it refused), and on-invalid: fail pushes nothing`;
    for (const item of pushes.keys()) {
      item.outcome.reason = `not pushed: ${why} unless every selected version can be (on-invalid: skip pushes the others)`;
    }
    logger.error(`${why}: nothing is pushed`);
    report.blocked = why;
    return report;
  }

  const total = pushes.size;
  let done = 0;
  let bytes = 0;
  await logger.group(`Pushing ${total} version(s) to ${report.registry}`, () =>
    mapLimit([...pushes], options.concurrency, async ([item, push]) => {
      try {
        notStopped(options.signal);
        const result = await push();
        apply(item.outcome, result, logger);
        if (result.status === 'published') bytes += item.prepared.package.size;
      } catch (error) {
        failed(item, error, logger);
      }
      done++;
      logger.info(`[${done}/${total}] ${label(item.outcome)}: ${item.outcome.status} (${bytes} bytes uploaded so far)`);
    }),
  );
  return report;
}

function failed(item: ReadyVersion, error: unknown, logger: Logger): void {
  item.outcome.status = 'failed';
  item.outcome.reason = error instanceof DomainError ? describeError(error) : `unexpected error: ${describeError(error)}`;
  logger.error(`${item.prepared.reference.text}: failed — ${item.outcome.reason}`);
}

function apply(outcome: ChartOutcome, result: PushResult, logger: Logger): void {
  outcome.status = result.status;
  if (result.digest) outcome.digest = result.digest;
  if (result.reason) outcome.reason = result.reason;
  else delete outcome.reason;
  if (result.wouldBe) outcome.wouldBe = result.wouldBe;
  if (result.provenanceDigest === null) delete outcome.provenanceDigest;
  else if (result.provenanceDigest) outcome.provenanceDigest = result.provenanceDigest;
  const line = `${outcome.reference}: ${result.status}${result.digest ? ` (${result.digest})` : ''}${result.reason ? ` — ${result.reason}` : ''}`;
  if (result.status === 'failed') logger.error(line);
  else if (result.status === 'skipped') logger.warning(line);
  else logger.info(line);
}
