import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency } from '../chart/metadata.js';
import { sha256Digest } from '../oci/digest.js';
import { displayUrl, RepositoryError, resolveReferenceUrl, type IndexEntry } from './chart-repository.js';
import type { Declaration } from './declaration.js';
import { MAX_ARCHIVE_BYTES, versionNotFound, type Resolution, type SourceServices } from './dependency-source.js';
import { constraintOf, sameVersion } from './dependency-versions.js';
import { ociArchive, pullChart } from './oci-source.js';

/**
 * `https://` (or http://) chart repositories: the version from index.yaml, the archive checked
 * against its digest. The archive URL may point into a registry (`oci://`); any other scheme is
 * refused, as Helm refuses it.
 */
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
  const listed = `the index.yaml of ${displayUrl(repositoryUrl)} lists ${dependency.name} ${entry.version.original} at ${displayUrl(url)}`;
  if (!URL.canParse(url)) throw new RepositoryError(`${listed}, which is not a URL`);
  const scheme = new URL(url).protocol.slice(0, -1);
  if (scheme === 'oci') {
    return { dependency, version: entry.version.original, added: await fromIndexedRegistry(services, entry, url, listed) };
  }
  if (scheme !== 'http' && scheme !== 'https') {
    // Helm's getters take http(s) and oci:// only ("scheme not supported"); the transport would refuse it too.
    throw new RepositoryError(
      `${listed}: the scheme "${scheme}" is not supported; Helm downloads chart archives over http(s) or from an oci:// registry`,
    );
  }
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

/**
 * An index entry whose archive URL is `oci://…/name:tag`: pulled through the registry client, as
 * Helm's OCI getter pulls it, with the credentials for that registry (never the chart
 * repository's own), and checked against the digest the index gives.
 */
async function fromIndexedRegistry(services: SourceServices, entry: IndexEntry, url: string, listed: string): Promise<LoadedChart> {
  const location = ociArchive(url);
  if ('problem' in location) throw new RepositoryError(`${listed}, which cannot be pulled: ${location.problem}`);
  const repository = services.registry(location.registry).repository(location.registry, location.repository);
  return services.download(url, entry.name, entry.version.original, async () => {
    const pulled = await pullChart(repository, location.tag, MAX_ARCHIVE_BYTES, (digest) => services.cache.get(digest));
    if (entry.digest && pulled.digest !== `sha256:${entry.digest}`) {
      throw new RepositoryError(
        `${listed}, whose chart layer is ${pulled.digest}, not the digest sha256:${entry.digest} the index gives; ` +
          'the repository is inconsistent or the registry serves another chart',
      );
    }
    await services.cache.put(pulled.digest, pulled.bytes);
    return { bytes: pulled.bytes, digest: pulled.digest };
  });
}
