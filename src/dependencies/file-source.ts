import { realpath } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import type { Dependency } from '../chart/metadata.js';
import { parseVersion } from '../chart/go/version-constraints.js';
import { RepositoryError } from './chart-repository.js';
import { relativeTo, type Declaration } from './declaration.js';
import type { Resolution, SourceServices } from './dependency-source.js';
import { constraintOf, sameVersion } from './dependency-versions.js';

/** `file://<path>`: a chart directory inside the workspace, with its own dependencies built in turn. */
export async function fromDirectory(
  services: SourceServices,
  ctx: Declaration,
  dependency: Dependency,
  locked: string | undefined,
): Promise<Resolution> {
  const path = dependency.repository.slice('file://'.length);
  const target = isAbsolute(path) ? path : resolve(ctx.dir, path);
  const workspace = await realpath(services.workspace);
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw new RepositoryError(`directory ${relativeTo(services.workspace, target)} not found`);
  }
  if (real !== workspace && !real.startsWith(workspace + sep)) {
    throw new RepositoryError(
      `${dependency.repository} leads to ${real}, outside the workspace; a file:// dependency must be a chart directory in this repository`,
    );
  }
  if (ctx.stack.includes(real)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(workspace, d));
    throw new RepositoryError(`dependency cycle: ${chain.join(' → ')}; a chart cannot contain itself`);
  }
  const chart = await services.localChart(real, ctx.stack);
  const version = parseVersion(chart.metadata.version);
  const wanted = locked ?? dependency.version;
  const ok =
    locked !== undefined
      ? version !== undefined && sameVersion(version, locked)
      : version !== undefined && constraintOf(dependency).check(version);
  if (!ok) {
    throw new RepositoryError(
      `${relativeTo(workspace, real)} is version ${chart.metadata.version}, but ${locked !== undefined ? `${ctx.lockFile} locks ${wanted}` : `the range is "${wanted}"`}` +
        (locked !== undefined ? `; run "helm dependency update" and commit the lock file` : ''),
    );
  }
  services.logger.info(`${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/`);
  return { dependency, version: chart.metadata.version, added: chart };
}
