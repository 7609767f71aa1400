import type { Dependency } from '../chart/metadata.js';
import { sha256Digest } from '../oci/digest.js';
import { displayUrl, RepositoryError, resolveReferenceUrl, type IndexEntry } from './chart-repository.js';
import type { Declaration } from './declaration.js';
import { MAX_ARCHIVE_BYTES, versionNotFound, type Resolution, type SourceServices } from './dependency-source.js';
import { constraintOf, sameVersion } from './dependency-versions.js';

/** `https://` (or http://) chart repositories: the version from index.yaml, the archive checked against its digest. */
export async function fromChartRepository(
  services: SourceServices,
  ctx: Declaration,
  dependency: Dependency,
  locked: string | undefined,
): Promise<Resolution> {
  const repositoryUrl = dependency.repository;
  const index = await services.repositories.index(repositoryUrl);
  const versions = index.entries.get(dependency.name);
  if (!versions || versions.length === 0) {
    throw new RepositoryError(
      `chart "${dependency.name}" not found in ${displayUrl(repositoryUrl)} (its index.yaml has no entry of that name)`,
    );
  }
  const usable = versions.filter((v) => v.urls.length > 0);
  let entry: IndexEntry | undefined;
  if (locked !== undefined) {
    entry = usable.find((v) => v.version.original === locked) ?? usable.find((v) => sameVersion(v.version, locked));
  } else {
    const range = constraintOf(dependency);
    entry = usable.find((v) => range.check(v.version));
  }
  if (!entry)
    throw versionNotFound(
      ctx,
      dependency,
      locked,
      repositoryUrl,
      usable.map((v) => v.version),
    );
  const url = resolveReferenceUrl(repositoryUrl, entry.urls[0] as string);
  const chart = await services.download(url, dependency.name, entry.version.original, async () => {
    const cached = entry.digest ? await services.cache.get(`sha256:${entry.digest}`) : undefined;
    const bytes = cached ?? (await services.repositories.download(url, repositoryUrl, MAX_ARCHIVE_BYTES));
    const digest = sha256Digest(bytes);
    if (entry.digest && digest !== `sha256:${entry.digest}`) {
      throw new RepositoryError(
        `${displayUrl(url)} does not match the digest sha256:${entry.digest} that the index.yaml of ${displayUrl(repositoryUrl)} gives for it (got ${digest}); ` +
          'the repository is inconsistent or the download was altered',
      );
    }
    if (!cached) await services.cache.put(digest, bytes);
    return { bytes, digest };
  });
  return { dependency, version: entry.version.original, added: chart };
}
