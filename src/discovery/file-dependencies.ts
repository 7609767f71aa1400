import { isAbsolute, posix, relative } from 'node:path';
import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutText } from '../shared/checkout-file.js';
import { mergeRequirements, parseChartYaml } from '../chart/metadata.js';
import { ChartError, describeError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ChartLayout } from './chart-layout.js';
import { ROOT, joinPath } from './repo-paths.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * `file://` dependencies between charts: Helm's resolver reads `file://<path>` relative to the
 * depending chart's folder (or as an absolute path) and packages that folder as the dependency
 * (helm dependency build/update). So a change there changes every chart that depends on it.
 */
export interface FileDependencies {
  /** Dependency folder → the chart folders that declare it. */
  dependents: Map<string, string[]>;
}

const FILE_SCHEME = 'file://';

/**
 * Reads the dependencies of the given charts. Only files that mention `file://` are parsed, so
 * a thousand charts cost a thousand small reads and little YAML parsing. A chart whose Chart.yaml
 * cannot be read is reported as a warning and left out: its own problems belong to the step
 * that packages it, not to the selection of others.
 */
export function readFileDependencies(workspace: string, charts: Iterable<string>, layout: ChartLayout, logger: Logger): FileDependencies {
  const dependents = new Map<string, string[]>();
  for (const chart of charts) {
    for (const target of fileTargets(workspace, chart, layout, logger)) {
      const list = dependents.get(target);
      if (list) list.push(chart);
      else dependents.set(target, [chart]);
    }
  }
  for (const list of dependents.values()) list.sort();
  return { dependents };
}

function fileTargets(workspace: string, chart: string, layout: ChartLayout, logger: Logger): string[] {
  const chartFile = joinPath(chart, 'Chart.yaml');
  const requirementsFile = joinPath(chart, 'requirements.yaml');
  const chartText = readText(workspace, chartFile);
  const requirementsText = layout.requirements.has(chart) ? readText(workspace, requirementsFile) : undefined;
  if (!chartText?.includes(FILE_SCHEME) && !requirementsText?.includes(FILE_SCHEME)) return [];
  let repositories: string[];
  try {
    const { metadata } = parseChartYaml(chartText ?? '', chartFile);
    if (requirementsText !== undefined) mergeRequirements(metadata, requirementsText, requirementsFile);
    repositories = (metadata.dependencies ?? []).flatMap((d) => (d ? [d.repository] : []));
  } catch (error) {
    const where =
      error instanceof ChartError ? { file: error.file, ...(error.line === undefined ? {} : { line: error.line }) } : { file: chartFile };
    logger.warning(
      `Cannot read the dependencies of ${chart}, so changes in its file:// dependencies do not select it: ${describeError(error)}`,
      where,
    );
    return [];
  }
  const targets: string[] = [];
  for (const repository of repositories) {
    if (!repository.startsWith(FILE_SCHEME)) continue;
    const target = resolveTarget(workspace, chart, repository.slice(FILE_SCHEME.length));
    if (target === undefined) {
      logger.debug(`${chart}: file:// dependency "${repository}" is outside the workspace; its changes are not tracked`);
    } else if (!layout.chartDirs.has(target)) {
      logger.debug(`${chart}: file:// dependency "${repository}" (${target}) has no Chart.yaml; its changes are not tracked`);
    } else if (target !== chart) targets.push(target);
  }
  return targets;
}

function resolveTarget(workspace: string, chart: string, path: string): string | undefined {
  let rel: string;
  if (isAbsolute(path)) {
    rel = relative(workspace, path).split('\\').join('/');
  } else {
    rel = posix.normalize(posix.join(chart === ROOT ? '' : chart, path));
  }
  rel = trimTrailing(rel, '/');
  if (rel === '' || rel === '.') return ROOT;
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return undefined;
  return rel;
}

function readText(workspace: string, file: string): string | undefined {
  return readCheckoutText(file, { workspace, maxBytes: MAX_FILE_SIZE });
}
