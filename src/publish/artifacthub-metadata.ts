import { posix } from 'node:path';
import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { decodeYaml, YamlSyntaxError, type YamlNode } from '../chart/go/yaml-decode.js';
import { sha256Digest } from '../oci/digest.js';
import { OCI_MANIFEST_MEDIA_TYPE, type Descriptor } from '../oci/media-types.js';
import type { RegistryClient, Repository } from '../oci/registry-client.js';
import { readCheckoutFile } from '../shared/checkout-file.js';
import { ChartError, describeError, DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Lookup, PreparedChart, PushResult, RunSteps } from './run.js';

/**
 * Artifact Hub repository metadata for a chart in an OCI registry (artifacthub/hub
 * docs/helm_charts_repositories.md, internal/repo/manager.go GetMetadata): every chart
 * repository is its own Artifact Hub repository, and Artifact Hub reads its `artifacthub-repo.yml`
 * (repository ID for the verified-publisher badge, owners for ownership claims, ignore list) from
 * the first layer of type `application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml`
 * of the manifest tagged `artifacthub.io` in that chart's repository. The artifact pushed here is
 * the one `oras push <repo>:artifacthub.io --config /dev/null:<config type> artifacthub-repo.yml:<layer type>`
 * makes, minus its creation-time annotation, so that the same file always gives the same digest.
 */

export const ARTIFACTHUB_TAG = 'artifacthub.io';
export const ARTIFACTHUB_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.artifacthub.config.v1+yaml';
export const ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE = 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml';
/** The default file name, relative to each chart (the name Artifact Hub's documentation uses). */
export const DEFAULT_METADATA_FILE = 'artifacthub-repo.yml';

export interface RepositoryMetadata {
  /** Workspace-relative path, for messages. */
  file: string;
  /** Path inside the chart when the file lives in the chart directory (left out of the package). */
  inChart: string | undefined;
  bytes: Buffer;
  repositoryID: string | undefined;
  owners: Array<{ name: string; email: string }>;
  /** Line of `repositoryID:`, for messages. */
  repositoryIdLine: number | undefined;
  /** Keys Artifact Hub does not read. */
  warnings: Array<{ message: string; line: number }>;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const KNOWN_KEYS = ['repositoryID', 'owners', 'ignore'];

/**
 * Reads and validates the metadata file of the chart in `chartDir` (workspace-relative, `/`).
 * `relative` is the input's path, relative to the chart. Undefined when there is no such file.
 * Throws ChartError, with the file and line, for metadata Artifact Hub would refuse or misread.
 */
export function readRepositoryMetadata(workspace: string, chartDir: string, relative: string): RepositoryMetadata | undefined {
  const path = posix.normalize(posix.join(chartDir, relative));
  // Whatever is in this file is pushed to the registry: like a chart file, it may not come from
  // outside the repository (a symbolic link to a runner file, a "../" path) or from its .git.
  const bytes = readCheckoutFile(path, { workspace, maxBytes: MAX_FILE_SIZE });
  if (!bytes) return undefined;
  const inside = posix.relative(chartDir, path);
  return parseRepositoryMetadata(bytes, path, inside.startsWith('..') ? undefined : inside);
}

export function parseRepositoryMetadata(bytes: Buffer, file: string, inChart: string | undefined): RepositoryMetadata {
  const fail = (message: string, line?: number): never => {
    throw new ChartError(message, { file, line });
  };
  let root: YamlNode | undefined;
  try {
    root = decodeYaml(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof YamlSyntaxError) fail(`not valid YAML: ${error.message}`, error.line);
    throw error;
  }
  if (root?.kind !== 'map') {
    return fail('expected a YAML map with repositoryID and owners (see https://artifacthub.io/docs/topics/repositories/)', root?.pos.line);
  }
  const metadata: RepositoryMetadata = {
    file,
    inChart,
    bytes,
    repositoryID: undefined,
    owners: [],
    repositoryIdLine: undefined,
    warnings: [],
  };
  for (const { key, value } of root.entries) {
    const name = key.kind === 'string' ? key.value : '';
    if (!KNOWN_KEYS.includes(name)) {
      const near = KNOWN_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
      metadata.warnings.push({
        line: key.pos.line,
        message: `${file}: Artifact Hub ignores "${name}"${near ? `: did you mean ${near}?` : ` (it reads ${KNOWN_KEYS.join(', ')})`}`,
      });
      continue;
    }
    if (name === 'repositoryID') {
      if (value.kind === 'null') continue;
      if (value.kind !== 'string' || !UUID.test(value.value)) {
        fail(
          `repositoryID must be the UUID Artifact Hub shows for the repository (e.g. 8e4b0c5f-1a2b-4c3d-9e8f-0a1b2c3d4e5f), found ${value.kind === 'string' ? `"${value.value}"` : `a ${value.kind}`}`,
          value.pos.line,
        );
      } else {
        metadata.repositoryID = value.value.toLowerCase();
        metadata.repositoryIdLine = key.pos.line;
      }
    } else if (name === 'owners') {
      if (value.kind === 'null') continue;
      if (value.kind !== 'seq') fail('owners must be a list of {name, email}', value.pos.line);
      else {
        for (const owner of value.items) {
          const fields = owner.kind === 'map' ? stringFields(owner) : undefined;
          if (!fields) fail('each owner must be a map with name and email', owner.pos.line);
          const email = fields?.get('email') ?? '';
          const ownerName = fields?.get('name') ?? '';
          if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
            fail(
              `an owner needs an email (the one of the owner's Artifact Hub account), found ${email ? `"${email}"` : 'none'}`,
              owner.pos.line,
            );
          }
          if (ownerName === '') fail('an owner needs a name', owner.pos.line);
          metadata.owners.push({ name: ownerName, email });
        }
      }
    } else if (name === 'ignore') {
      if (value.kind === 'null') continue;
      if (value.kind !== 'seq') fail('ignore must be a list of {name, version}', value.pos.line);
      else {
        for (const entry of value.items) {
          const fields = entry.kind === 'map' ? stringFields(entry) : undefined;
          if (!fields?.get('name'))
            fail('each ignore entry needs the name of a package (and optionally a version regular expression)', entry.pos.line);
        }
      }
    }
  }
  return metadata;
}

function stringFields(node: Extract<YamlNode, { kind: 'map' }>): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, value } of node.entries) {
    if (key.kind !== 'string') continue;
    if (value.kind === 'string') out.set(key.value, value.value);
    else if (value.kind === 'int' || value.kind === 'float' || value.kind === 'bool') out.set(key.value, String(value.value));
  }
  return out;
}

export interface MetadataArtifact {
  config: Descriptor & { bytes: Uint8Array };
  layer: Descriptor & { bytes: Uint8Array };
  manifest: { digest: string; bytes: Uint8Array };
}

/** The image manifest `oras push` makes for the file (an empty config, one titled layer). */
export function repositoryMetadataArtifact(metadata: Pick<RepositoryMetadata, 'bytes'>): MetadataArtifact {
  const empty = new Uint8Array(0);
  const config = { mediaType: ARTIFACTHUB_CONFIG_MEDIA_TYPE, digest: sha256Digest(empty), size: 0, bytes: empty };
  const layerBytes = new Uint8Array(metadata.bytes);
  const layer = {
    mediaType: ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE,
    digest: sha256Digest(layerBytes),
    size: layerBytes.byteLength,
    bytes: layerBytes,
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: [
      {
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
        // oras names the file in the title; `oras pull` writes it back under that name.
        annotations: { 'org.opencontainers.image.title': DEFAULT_METADATA_FILE },
      },
    ],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  return { config, layer, manifest: { digest: sha256Digest(bytes), bytes } };
}

export interface MetadataPushResult {
  status: 'pushed' | 'unchanged';
  digest: string;
}

/**
 * Looks the `artifacthub.io` tag up, reading only. Returns undefined when it already holds the
 * metadata (the same manifest, or one, e.g. pushed with oras, whose metadata layer has the same
 * bytes), else the upload to make.
 */
export async function lookupRepositoryMetadata(
  repository: Repository,
  metadata: RepositoryMetadata,
  logger: Logger,
): Promise<{ digest: string; upload?: () => Promise<void> }> {
  const artifact = repositoryMetadataArtifact(metadata);
  const existing = await repository.headManifest(ARTIFACTHUB_TAG);
  if (existing?.digest === artifact.manifest.digest) return { digest: existing.digest };
  if (existing) {
    const theirs = await repository.getManifest(existing.digest);
    if (metadataLayerDigest(theirs.bytes) === artifact.layer.digest) {
      logger.debug(`${repository.displayName}:${ARTIFACTHUB_TAG} already holds ${metadata.file} (${existing.digest})`);
      return { digest: existing.digest };
    }
  }
  return {
    digest: artifact.manifest.digest,
    upload: async () => {
      for (const blob of [artifact.config, artifact.layer]) {
        if (await repository.blobExists(blob.digest)) continue;
        await repository.pushBlob(blob, blob.bytes);
      }
      await repository.putManifest(ARTIFACTHUB_TAG, OCI_MANIFEST_MEDIA_TYPE, artifact.manifest.bytes);
    },
  };
}

/** The first metadata layer's digest, as Artifact Hub's PullLayer picks it. */
function metadataLayerDigest(manifest: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(manifest)) as { layers?: Array<{ mediaType?: string; digest?: string }> };
    return parsed.layers?.find((l) => l.mediaType === ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE)?.digest;
  } catch {
    return undefined;
  }
}

/**
 * Artifact Hub needs one repository per chart repository: a repository ID used by two charts of
 * the run would hand one Artifact Hub repository two OCI repositories. Returns an error for each
 * chart involved.
 */
export function sharedRepositoryIds<T>(
  charts: ReadonlyArray<{ key: T; path: string; metadata: RepositoryMetadata | undefined }>,
): Map<T, ChartError> {
  const byId = new Map<string, (typeof charts)[number][]>();
  for (const chart of charts) {
    const id = chart.metadata?.repositoryID;
    if (id) byId.set(id, [...(byId.get(id) ?? []), chart]);
  }
  const errors = new Map<T, ChartError>();
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const chart of group) {
      const others = group
        .filter((c) => c !== chart)
        .map((c) => c.metadata?.file)
        .join(', ');
      errors.set(
        chart.key,
        new ChartError(
          `repositoryID ${id} is also used by ${others}: each chart is its own Artifact Hub repository and needs its own ID (add one repository per chart in Artifact Hub)`,
          { file: chart.metadata?.file ?? chart.path, line: chart.metadata?.repositoryIdLine },
        ),
      );
    }
  }
  return errors;
}

/**
 * Wraps a run's look-up step (the plan against the registry, before anything is written): the
 * `artifacthub.io` tag is looked up along with the chart, and its upload, when one is needed,
 * joins the chart's push (or becomes the push of a chart found unchanged or left as it is).
 */
export function withRepositoryMetadataLookup(lookup: RunSteps['lookup'], client: RegistryClient, logger: Logger): RunSteps['lookup'] {
  if (!lookup) return lookup;
  return async (chart: PreparedChart): Promise<Lookup> => {
    const found = await lookup(chart);
    const metadata = chart.artifactHub;
    if (!metadata || ('result' in found && found.result.status === 'failed')) return found;
    const target = `${chart.reference.registry}/${chart.reference.repository}:${ARTIFACTHUB_TAG}`;
    const repository = client.repository(chart.reference.registry, chart.reference.repository, { push: true });
    const planned = await lookupRepositoryMetadata(repository, metadata, logger);
    const note = (status: MetadataPushResult['status']) => {
      const line = `${metadata.file} → ${target}: ${status} (${planned.digest})`;
      logger.info(line);
      chart.checks?.push(line);
    };
    const upload = planned.upload;
    if (!upload) {
      note('unchanged');
      return found;
    }
    const afterChart = async (result: PushResult): Promise<PushResult> => {
      if (result.status === 'failed') return result;
      try {
        await upload();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return {
          ...result,
          status: 'failed',
          reason: `the chart is ${result.status}, but its Artifact Hub metadata could not be pushed to ${target}: ${describeError(error)}`,
        };
      }
      note('pushed');
      return result;
    };
    if ('result' in found) return { push: () => afterChart(found.result) };
    return { push: async () => afterChart(await found.push()) };
  };
}
