import { posix } from 'node:path';
import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutText } from '../shared/checkout-file.js';
import { hasArtifactHubAnnotations, hasValuesSchema, type LoadedChart } from '../chart/chart-loader.js';
import type { RemoteRefs } from '../chart/values-schema.js';
import { ChartError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { DEFAULT_METADATA_FILE, readRepositoryMetadata, type RepositoryMetadata } from './artifacthub-metadata.js';

/**
 * The pre-publish checks of the plan that Helm itself never makes, each about what breaks for
 * users after publishing: the values.schema.json gate, the Artifact Hub annotations lint and the
 * Artifact Hub repository metadata file. Problems are annotated where they are; the first error
 * is thrown (the chart then fails in the plan, and nothing is pushed).
 */

export interface ChartCheckOptions {
  /** Input `check-schema`. */
  schema: boolean;
  /** Input `schema-remote-refs`: `error` (default) or `allow` (a warning). */
  schemaRemoteRefs: RemoteRefs;
  /** Input `artifacthub-metadata`: the file relative to each chart, or false when turned off. */
  artifactHubMetadata: string | false;
}

export const DEFAULT_CHART_CHECKS: ChartCheckOptions = {
  schema: true,
  schemaRemoteRefs: 'error',
  artifactHubMetadata: DEFAULT_METADATA_FILE,
};

export interface ChartCheckResult {
  /** What the checks found, one line each, for the summary. */
  notes: string[];
  metadata: RepositoryMetadata | undefined;
}

export async function runChartChecks(
  chart: LoadedChart,
  path: string,
  context: { workspace: string; dryRun: boolean; logger: Logger; options?: Partial<ChartCheckOptions> | undefined },
): Promise<ChartCheckResult> {
  const options = { ...DEFAULT_CHART_CHECKS, ...context.options };
  const { logger } = context;
  const name = chart.metadata.name;
  const notes: string[] = [];
  const errors: ChartError[] = [];

  if (options.schema && hasValuesSchema(chart)) {
    // The JSON-schema validator is a chunk of its own, loaded only for charts that have a schema.
    const { checkValuesSchemas } = await import('../chart/values-schema.js');
    const report = await checkValuesSchemas(chart, { remoteRefs: options.schemaRemoteRefs });
    for (const finding of report.findings) {
      const where = { file: finding.file, line: finding.line, column: finding.column };
      if (finding.severity === 'error') errors.push(new ChartError(finding.message, where));
      else
        logger.warning(finding.message, {
          file: finding.file,
          ...(finding.line ? { line: finding.line } : {}),
          title: `${name}: values.schema.json`,
        });
    }
    notes.push(...report.notes);
  } else if (!options.schema && hasValuesSchema(chart)) {
    logger.debug(`${path}: values.schema.json not checked (check-schema: false)`);
  }

  // Chart.yaml is read again only for its annotations' lines, and only when there are any to lint;
  // the lint (with the SPDX license list) is a chunk of its own, loaded only for such a chart.
  const lint = hasArtifactHubAnnotations(chart)
    ? (await import('../chart/artifacthub-annotations.js')).lintArtifactHubAnnotations(
        readCheckoutText(posix.join(path, 'Chart.yaml'), { workspace: context.workspace, maxBytes: MAX_FILE_SIZE }) ?? '',
        chart.metadata.annotations,
      )
    : { checked: 0, problems: [] };
  for (const problem of lint.problems) {
    const where = { file: chart.source.file, line: problem.line };
    // In a pull request a malformed annotation fails the check; on publish it is a warning, as
    // the chart itself installs fine (Artifact Hub only skips the version).
    const message = problem.unknown
      ? problem.message
      : `${problem.message} (Artifact Hub does not list a chart version whose annotations do not parse)`;
    if (context.dryRun && !problem.unknown) errors.push(new ChartError(message, where));
    else logger.warning(message, { ...where, title: `${name}: Artifact Hub annotation` });
  }
  if (lint.checked > 0) {
    const bad = lint.problems.length;
    notes.push(`Artifact Hub annotations: ${lint.checked} checked, ${bad === 0 ? 'all parse' : `${bad} problem(s)`}`);
  }

  let metadata: RepositoryMetadata | undefined;
  if (options.artifactHubMetadata !== false) {
    try {
      metadata = readRepositoryMetadata(context.workspace, path, options.artifactHubMetadata);
    } catch (error) {
      if (!(error instanceof ChartError)) throw error;
      errors.push(error);
    }
    if (metadata) {
      for (const warning of metadata.warnings)
        logger.warning(warning.message, { file: metadata.file, line: warning.line, title: `${name}: Artifact Hub metadata` });
      notes.push(
        `${metadata.file}: valid (${metadata.repositoryID ? `repository ID ${metadata.repositoryID}` : 'no repository ID'}, ${metadata.owners.length} owner(s))` +
          (context.dryRun ? '; not pushed in a dry-run' : ''),
      );
    }
  }

  for (const error of errors.slice(1))
    logger.error(error.message, { file: error.file, line: error.line, title: `${name} cannot be published` });
  if (errors[0]) throw errors[0];
  return { notes, metadata };
}
