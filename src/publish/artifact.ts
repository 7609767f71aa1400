import { goJsonString } from '../chart/go/go-json.js';
import { metadataJson, type Metadata } from '../chart/metadata.js';
import { HELM_CHART_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE, HELM_PROVENANCE_MEDIA_TYPE } from '../chart/oci-media-types.js';
import { OCI_MANIFEST_MEDIA_TYPE } from '../oci/media-types.js';
import { compareBytewise } from '../shared/byte-order.js';
import { sha256Digest } from '../oci/digest.js';

/**
 * The OCI artifact `helm push` makes of a chart (../shared/spec/helm-oci.md §3): Helm's config
 * blob (the chart metadata as encoding/json), the chart layer and the optional provenance
 * layer sorted by digest, and the manifest as Go marshals image-spec's Manifest. Helm writes no
 * top-level `mediaType` in the manifest; neither do we, so that a chart pushed here and one
 * pushed by Helm with the same bytes and time have the same manifest digest, and Helm's golden
 * vectors hold. Every registry that takes `helm push` takes this manifest (Distribution
 * accepts it with the OCI Content-Type, registry-testbed.md §2).
 */

const TITLE = 'org.opencontainers.image.title';
const VERSION = 'org.opencontainers.image.version';
const CREATED = 'org.opencontainers.image.created';
const SOURCE = 'org.opencontainers.image.source';
const REVISION = 'org.opencontainers.image.revision';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Blob extends Descriptor {
  bytes: Buffer;
}

export interface HelmArtifact {
  config: Blob;
  /** Chart layer and, when signed, provenance layer, sorted by digest as Helm sorts them. */
  layers: Blob[];
  chartLayer: Blob;
  provenanceLayer?: Blob;
  manifest: Blob;
  annotations: Map<string, string>;
}

export interface ArtifactInput {
  metadata: Metadata;
  chart: Buffer;
  provenance?: Buffer;
  /** Unix seconds: the package's reproducible timestamp, written as `created` in UTC. */
  created: number;
  /** The commit the chart was built from. */
  revision?: string;
  /** The repository URL, used as image.source when Chart.yaml names none (GHCR links the package by it). */
  repositoryUrl?: string;
  /** The `annotations` input: merged last; title and version cannot be overridden. */
  extra?: ReadonlyMap<string, string>;
}

export function helmArtifact(input: ArtifactInput): HelmArtifact {
  const chartLayer = blob(HELM_CHART_MEDIA_TYPE, input.chart);
  const provenanceLayer = input.provenance ? blob(HELM_PROVENANCE_MEDIA_TYPE, input.provenance) : undefined;
  const { config, layers, manifest, annotations } = assemble(input, chartLayer, provenanceLayer);
  return { config, layers, chartLayer, ...(provenanceLayer ? { provenanceLayer } : {}), manifest, annotations };
}

/** The archive as the manifest names it: its digest and size, known once it is packaged. */
export interface ChartLayerDescriptor {
  digest: string;
  size: number;
}

/** What the manifest is made of: the archive itself, or its digest and size. */
type ManifestInput = Omit<ArtifactInput, 'chart'> & { chart: Buffer | ChartLayerDescriptor };

/**
 * The manifest helmArtifact would make, from the archive's digest and size rather than its
 * bytes: what the plan's size check needs, without reading and hashing every archive again.
 */
export function helmManifest(input: ManifestInput & { chart: ChartLayerDescriptor }): Pick<HelmArtifact, 'manifest' | 'annotations'> {
  const chartLayer = { mediaType: HELM_CHART_MEDIA_TYPE, ...input.chart };
  const provenanceLayer = input.provenance ? blob(HELM_PROVENANCE_MEDIA_TYPE, input.provenance) : undefined;
  const { manifest, annotations } = assemble(input, chartLayer, provenanceLayer);
  return { manifest, annotations };
}

function assemble<L extends Descriptor>(
  input: ManifestInput,
  chartLayer: L,
  provenanceLayer: L | undefined,
): { config: Blob; layers: L[]; manifest: Blob; annotations: Map<string, string> } {
  const config = blob(HELM_CONFIG_MEDIA_TYPE, Buffer.from(metadataJson(input.metadata), 'utf8'));
  // §3.3: "sort layers for determinism", by digest string.
  const layers = [chartLayer, ...(provenanceLayer ? [provenanceLayer] : [])].sort((a, b) =>
    a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0,
  );
  const annotations = manifestAnnotations(input);
  const manifest = blob(OCI_MANIFEST_MEDIA_TYPE, Buffer.from(manifestJson(config, layers, annotations), 'utf8'));
  return { config, layers, manifest, annotations };
}

/**
 * Helm's generateOCIAnnotations (§3.4) with a reproducible `created`, then ours: `revision` is
 * the commit this run built, which nothing in Chart.yaml can know better, so it is always
 * written; `source` is only a fallback, because a chart may live in one repository and name its
 * sources in another. The `annotations` input comes last (inputs.ts refuses title and version).
 */
export function manifestAnnotations(input: ManifestInput): Map<string, string> {
  const md = input.metadata;
  const out = new Map<string, string>();
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') out.set(key, value);
  };
  add('org.opencontainers.image.description', md.description);
  add(TITLE, md.name);
  add(VERSION, md.version);
  add('org.opencontainers.image.url', md.home);
  add(CREATED, rfc3339(input.created));
  if (md.sources && md.sources.length > 0) add(SOURCE, md.sources[0]);
  if (md.maintainers && md.maintainers.length > 0) {
    add('org.opencontainers.image.authors', md.maintainers.map((m) => `${m?.name ?? ''}${m?.email ? ` (${m.email})` : ''}`).join(', '));
  }
  for (const [key, value] of md.annotations ?? []) if (key !== TITLE && key !== VERSION) out.set(key, value);
  add(REVISION, input.revision);
  if (!out.has(SOURCE)) add(SOURCE, input.repositoryUrl);
  for (const [key, value] of input.extra ?? []) if (key !== TITLE && key !== VERSION) out.set(key, value);
  return out;
}

/** encoding/json of image-spec's Manifest: schemaVersion, config, layers, annotations. */
function manifestJson(config: Descriptor, layers: Descriptor[], annotations: Map<string, string>): string {
  const descriptor = (b: Descriptor) => `{"mediaType":${goJsonString(b.mediaType)},"digest":${goJsonString(b.digest)},"size":${b.size}}`;
  const keys = [...annotations.keys()].sort(compareBytewise);
  const annotationJson = keys.map((k) => `${goJsonString(k)}:${goJsonString(annotations.get(k) ?? '')}`).join(',');
  return (
    `{"schemaVersion":2,"config":${descriptor(config)},"layers":[${layers.map(descriptor).join(',')}]` +
    (keys.length > 0 ? `,"annotations":{${annotationJson}}` : '') +
    '}'
  );
}

function blob(mediaType: string, bytes: Buffer): Blob {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length, bytes };
}

/** RFC 3339 in UTC with whole seconds, as Go's time.RFC3339 writes it. */
export function rfc3339(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
