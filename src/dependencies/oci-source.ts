import { ociTag } from '../chart/metadata.js';
import { readHelmManifest, type HelmManifest } from '../chart/helm-manifest.js';
import { HELM_CHART_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from '../chart/oci-media-types.js';
import { newestFirst, parseStrictVersion, type Version } from '../chart/version-constraints.js';
import { parseDigest } from '../oci/digest.js';
import { isValidRepository, parseOciNamespace, type OciNamespaceParse } from '../oci/reference.js';
import type { Repository } from '../oci/registry-client.js';
import { RepositoryError } from './chart-repository.js';

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
      `the manifest of ${repository.displayName}:${tag} gives its chart layer the digest ${JSON.stringify(layer.digest.slice(0, 150))}, ` +
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
