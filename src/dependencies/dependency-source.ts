import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency } from '../chart/metadata.js';
import type { Version } from '../chart/go/version-constraints.js';
import type { RegistryClient } from '../oci/registry-client.js';
import type { Logger } from '../shared/logger.js';
import type { ArchiveCache } from './archive-cache.js';
import { displayUrl, RepositoryError, type ChartRepositoryClient } from './chart-repository.js';
import type { Declaration } from './declaration.js';
import type { RunTarget } from './run-target.js';

/**
 * What every dependency source (file-source, repository-source, oci-source, vendored-source)
 * gets from the builder: the clients, the cache, the run's target, and the two loaders that
 * keep one copy per chart (a workspace directory built once, an archive checked once).
 */
export interface SourceServices {
  workspace: string;
  logger: Logger;
  cache: ArchiveCache;
  repositories: ChartRepositoryClient;
  target: RunTarget;
  registry(host: string): RegistryClient;
  /** A chart directory of the workspace with its own dependencies built; once per directory. */
  localChart(real: string, stack: string[]): Promise<LoadedChart>;
  /** A downloaded archive, checked (well-formed, Helm's limits, name and version) and loaded once per source. */
  download(
    source: string,
    name: string,
    version: string,
    fetchBytes: () => Promise<{ bytes: Uint8Array; digest: string }>,
  ): Promise<LoadedChart>;
}

/** Above Helm's 100 MiB decompressed-chart limit (§1.14): no valid chart archive is larger. */
export const MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;

/** How one declared dependency was satisfied. */
export interface Resolution {
  dependency: Dependency;
  /** The version for the lock. */
  version: string;
  /** A subchart to add; undefined when one already in charts/ was used. */
  added?: LoadedChart;
  /** The subchart from charts/ that was used. */
  kept?: LoadedChart;
}

export function versionNotFound(
  ctx: Declaration,
  dependency: Dependency,
  locked: string | undefined,
  url: string,
  available: Version[],
): RepositoryError {
  const list = available.slice(0, 8).map((v) => v.original);
  const offered = list.length ? `available: ${list.join(', ')}${available.length > list.length ? ', …' : ''}` : 'it offers no versions';
  return new RepositoryError(
    locked !== undefined
      ? `version ${locked} (locked in ${ctx.lockFile}) not found in ${displayUrl(url)} (${offered}); it may have been removed: run "helm dependency update" and commit the lock file`
      : `no version matching "${dependency.version}" in ${displayUrl(url)} (${offered})`,
  );
}
