import { realpath } from 'node:fs/promises';
import { ociTag, type Dependency } from '../chart/metadata.js';
import { readHelmManifest, type HelmManifest } from '../chart/helm-manifest.js';
import { HELM_CHART_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from '../chart/oci-media-types.js';
import { compareVersions, newestFirst, parseStrictVersion, parseVersion, type Version } from '../chart/go/version-constraints.js';
import { parseDigest } from '../oci/digest.js';
import { isValidRepository, isValidTag, parseOciNamespace, type OciNamespaceParse } from '../oci/reference.js';
import type { Repository } from '../oci/registry-client.js';
import { RegistryError } from '../oci/registry-error.js';
import { shortenRedacted } from '../shared/secret-redactor.js';
import { RepositoryError } from './chart-repository.js';
import { relativeTo, type Declaration } from './declaration.js';
import { MAX_ARCHIVE_BYTES, versionNotFound, type Resolution, type SourceServices } from './dependency-source.js';
import { constraintOf, sameVersionText } from './dependency-versions.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * Charts as dependencies from an OCI registry, the way Helm pulls them: the repository URL
 * `oci://host[:port]/path` plus `/<name>:<version>` (pkg/downloader/manager.go findChartURL,
 * ../shared/spec/helm-oci.md §3.5), `+` in the version written `_` in the tag; without an exact
 * version, the tags that read as strict SemVer (with `_` read as `+`) are the candidates
 * (registry.Client.Tags, §3.6); the chart layer of the manifest is the archive (§3.6, the last
 * matching layer wins).
 */

export interface OciLocation {
  registry: string;
  /** `<path>/<chart name>` */
  repository: string;
  /** The repository URL as written in Chart.yaml. */
  url: string;
}

/** Where Helm looks for chart `name` under the dependency repository `url` (`oci://…`). */
export function ociLocation(url: string, name: string): OciLocation {
  const parsed = parseOciNamespace(url);
  if (!parsed.ok) throw new RepositoryError(namespaceProblem(url, name, parsed));
  const repository = [parsed.namespace, name].filter((p) => p !== '').join('/');
  if (!isValidRepository(repository)) throw new RepositoryError(invalidRepository(parsed.registry, repository));
  return { registry: parsed.registry, repository, url };
}

/** A chart in a registry at one tag: an `oci://` archive URL of a chart repository's index. */
export interface OciArchive {
  registry: string;
  repository: string;
  tag: string;
}

/**
 * An archive URL of index.yaml that points into a registry, `oci://host[:port]/path/name:tag`:
 * Helm's downloader pulls it with its OCI getter, the text after the last ":" being the tag
 * (pkg/downloader/manager.go parseOCIRef). Returns the location, or what is wrong with it.
 */
export function ociArchive(url: string): OciArchive | { problem: string } {
  const parsed = parseOciNamespace(url);
  if (parsed.ok) return { problem: 'it names no tag (expected oci://host[:port]/path/name:tag)' };
  if (parsed.problem !== 'tag') {
    const why: Record<Exclude<OciNamespaceParse, { ok: true }>['problem'], string> = {
      scheme: 'it is not an oci:// URL',
      credentials: 'it contains credentials (user:password@)',
      digest: 'a digest cannot be pulled from an index entry (expected oci://host[:port]/path/name:tag)',
      registry: 'its host is not a registry host',
      tag: '',
      namespace: 'it is not a valid OCI repository name (lowercase letters, digits and "._-" separators only)',
    };
    return { problem: why[parsed.problem] };
  }
  const untagged = parseOciNamespace(parsed.untagged);
  if (!untagged.ok || untagged.namespace === '') {
    return { problem: 'it is not a valid OCI repository name (lowercase letters, digits and "._-" separators only)' };
  }
  if (!isValidTag(parsed.tag)) return { problem: `"${shortenRedacted(parsed.tag, 150)}" is not a valid tag` };
  return { registry: untagged.registry, repository: untagged.namespace, tag: parsed.tag };
}

function namespaceProblem(url: string, name: string, parse: Exclude<OciNamespaceParse, { ok: true }>): string {
  switch (parse.problem) {
    case 'scheme':
      return `${url} is not an oci:// URL`;
    case 'credentials':
      // Never repeated: the text holds a password.
      return 'the repository URL must not contain credentials (user:password@): give them in the dependency-credentials input';
    case 'digest':
      return `${url} must not contain a digest: write the registry namespace, e.g. oci://ghcr.io/acme/charts`;
    case 'registry':
      return `${url}: "${parse.registry}" is not a registry host (expected oci://host[:port]/namespace)`;
    case 'tag':
      return `${url} must not contain a tag (":${parse.tag}"): the dependency's version selects the tag; write ${parse.untagged}`;
    case 'namespace':
      return invalidRepository(parse.registry, `${parse.namespace}/${name}`);
  }
}

function invalidRepository(registry: string, repository: string): string {
  return `${registry}/${repository} is not a valid OCI repository name (lowercase letters, digits and "._-" separators only)`;
}

/** The repository URL ends with the chart's own name: Helm would look under `<name>/<name>`. */
export function repeatsChartName(location: OciLocation): boolean {
  const parts = location.repository.split('/');
  return parts.length >= 2 && parts.at(-1) === parts.at(-2);
}

/** The versions a repository's tags offer, newest first (strict SemVer only, `_` read as `+`). */
export async function ociVersions(repository: Repository): Promise<Version[]> {
  const tags = await repository.listTags();
  const versions: Version[] = [];
  for (const tag of tags) {
    const version = parseStrictVersion(tag.replaceAll('_', '+'));
    if (version) versions.push(version);
  }
  return versions.sort(newestFirst);
}

export interface PulledChart {
  bytes: Uint8Array;
  /** The chart layer's digest. */
  digest: string;
  manifestDigest: string;
}

/**
 * The chart layer of `<repository>:<version>`. `cached` may return the bytes of a layer whose
 * digest is already known, to skip the download.
 */
export async function pullChart(
  repository: Repository,
  version: string,
  maxBytes: number,
  cached: (digest: string) => Promise<Uint8Array | undefined>,
): Promise<PulledChart> {
  const tag = ociTag(version);
  const manifest = await repository.getManifest(tag);
  let parsed: HelmManifest;
  try {
    parsed = readHelmManifest(manifest.bytes);
  } catch (error) {
    throw new RepositoryError(`the manifest of ${repository.displayName}:${tag} is not JSON`, undefined, { cause: error });
  }
  const configType = parsed.configMediaType;
  if (configType !== HELM_CONFIG_MEDIA_TYPE) {
    throw new RepositoryError(
      `${repository.displayName}:${tag} is not a Helm chart: its config media type is ${JSON.stringify(configType ?? null)}, ` +
        `not ${HELM_CONFIG_MEDIA_TYPE}`,
    );
  }
  const layer = parsed.chart;
  if (layer?.digest === undefined || layer.size === undefined) {
    throw new RepositoryError(
      `the manifest of ${repository.displayName}:${tag} does not contain a layer with media type ${HELM_CHART_MEDIA_TYPE}`,
    );
  }
  // Checked here so that a bad manifest is the registry's fault in the message, not a TypeError
  // from the client's own argument check.
  if (!parseDigest(layer.digest)) {
    throw new RepositoryError(
      `the manifest of ${repository.displayName}:${tag} gives its chart layer the digest ${JSON.stringify(shortenRedacted(layer.digest, 150))}, ` +
        'which is not "sha256:" or "sha512:" followed by lowercase hex; the artifact is malformed',
    );
  }
  if (layer.size > maxBytes) {
    throw new RepositoryError(
      `the chart layer of ${repository.displayName}:${tag} is ${layer.size} bytes, more than a chart archive can be (${maxBytes})`,
    );
  }
  const { digest, size } = layer;
  const bytes = (await cached(digest)) ?? (await repository.fetchBlob(digest, { maxBytes: size }));
  return { bytes, digest, manifestDigest: manifest.descriptor.digest };
}

/** `oci://`: the chart from a registry, or from this run's charts when the run publishes it there. */
export async function fromRegistry(
  services: SourceServices,
  ctx: Declaration,
  dependency: Dependency,
  locked: string | undefined,
): Promise<Resolution> {
  const location = ociLocation(dependency.repository, dependency.name);
  const repository = services.registry(location.registry).repository(location.registry, location.repository);
  const siblings = services.target.provides(location, dependency.name);

  let version: string | undefined = locked;
  // Helm takes a version that parses as one as the tag itself; only a range lists tags.
  if (version === undefined && parseVersion(dependency.version)) version = dependency.version;
  if (version === undefined) {
    const range = constraintOf(dependency);
    let tags: Version[] = [];
    try {
      tags = await ociVersions(repository);
    } catch (error) {
      if (!(isNotFound(error) && siblings.length > 0)) throw registryFailure(error, location, dependency);
    }
    const candidates = [...tags, ...siblings.flatMap((s) => parseVersion(s.version) ?? [])].sort((a, b) => compareVersions(b, a));
    const chosen = candidates.find((v) => range.check(v));
    if (!chosen) throw versionNotFound(ctx, dependency, undefined, dependency.repository, candidates);
    version = chosen.original;
  }
  const wanted = version;
  const sibling = siblings.find((s) => s.version === wanted) ?? siblings.find((s) => sameVersionText(s.version, wanted));
  if (sibling) {
    const real = await realpath(sibling.dir);
    if (ctx.stack.includes(real)) {
      const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(services.workspace, d));
      throw new RepositoryError(`dependency cycle among the charts of this run: ${chain.join(' → ')}`);
    }
    const chart = await services.localChart(real, ctx.stack);
    services.logger.info(
      `${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/, which this run publishes to ${dependency.repository}`,
    );
    return { dependency, version: chart.metadata.version, added: chart };
  }
  const tag = ociTag(wanted);
  const label = `oci://${location.registry}/${location.repository}:${tag}`;
  const chart = await services.download(label, dependency.name, wanted, async () => {
    try {
      const pulled = await pullChart(repository, wanted, MAX_ARCHIVE_BYTES, (digest) => services.cache.get(digest));
      await services.cache.put(pulled.digest, pulled.bytes);
      return { bytes: pulled.bytes, digest: pulled.digest };
    } catch (error) {
      if (isNotFound(error)) throw missingTag(location, dependency, wanted, locked, error);
      throw registryFailure(error, location, dependency);
    }
  });
  return { dependency, version: wanted, added: chart };
}

function missingTag(
  location: OciLocation,
  dependency: Dependency,
  version: string,
  locked: string | undefined,
  cause: unknown,
): RepositoryError {
  if (repeatsChartName(location)) {
    const namespace = trimTrailing(dependency.repository, '/');
    return new RepositoryError(
      `${namespace} already ends with the chart name "${dependency.name}": Helm appends /<name>:<version>, so it looks in ` +
        `${location.registry}/${location.repository}, which does not exist; write repository: ${namespace.slice(0, namespace.lastIndexOf('/'))}`,
      404,
      { cause },
    );
  }
  return new RepositoryError(
    `version ${version}${locked !== undefined ? ' (locked)' : ''} not found: ${location.registry}/${location.repository} has no tag ${ociTag(version)}`,
    404,
    { cause },
  );
}

function registryFailure(error: unknown, location: OciLocation, dependency: Dependency): unknown {
  if (isNotFound(error) && repeatsChartName(location)) return missingTag(location, dependency, dependency.version, undefined, error);
  if (isNotFound(error)) {
    return new RepositoryError(`${location.registry}/${location.repository} does not exist (${(error as Error).message})`, 404, {
      cause: error,
    });
  }
  return error;
}

function isNotFound(error: unknown): boolean {
  return error instanceof RegistryError && error.status === 404;
}
