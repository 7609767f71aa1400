import type { SerializedBundle } from '@sigstore/bundle';
import { sha256Digest } from '../oci/digest.js';
import { OCI_MANIFEST_MEDIA_TYPE, type Descriptor } from '../oci/media-types.js';
import { indexManifests, type ReferrerDescriptor, type Repository } from '../oci/registry-client.js';
import type { Logger } from '../shared/logger.js';
import { SigstoreError } from './sigstore-error.js';

/**
 * A Sigstore bundle stored as an OCI 1.1 referrer of the chart manifest, the way cosign v3
 * stores it (`ociremote.WriteAttestationNewBundleFormat`): an image manifest whose artifactType
 * and only layer are the bundle, with the empty config, the chart manifest as `subject`, and the
 * annotations Artifact Hub and cosign read. A registry without the referrers API (Distribution
 * 2.8, GHCR) is told through the tag schema: the image index tagged `sha256-<hex>` lists the
 * referrers (distribution-spec v1.1 "Referrers Tag Schema").
 */

export const SIGSTORE_BUNDLE_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const BUNDLE_CONTENT_ANNOTATION = 'dev.sigstore.bundle.content';
export const BUNDLE_PREDICATE_TYPE_ANNOTATION = 'dev.sigstore.bundle.predicateType';
const CREATED_ANNOTATION = 'org.opencontainers.image.created';
const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** image-spec `manifest.md` "Guidance for an Empty Descriptor": the two bytes `{}`. */
const EMPTY_CONFIG = new TextEncoder().encode('{}');
const EMPTY_CONFIG_DESCRIPTOR: Descriptor = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: sha256Digest(EMPTY_CONFIG),
  size: EMPTY_CONFIG.byteLength,
};

/** The referrers tag of a digest: `sha256:<hex>` → `sha256-<hex>`. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

export interface Referrers {
  referrers: ReferrerDescriptor[];
  /** Whether the registry answered through the referrers API (else the tag schema was read). */
  api: boolean;
}

/** The referrers of `digest`: through the API when the registry has one, else the fallback index. */
export async function findReferrers(repository: Repository, digest: string): Promise<Referrers> {
  const listed = await repository.listReferrers(digest);
  if (listed) return { referrers: listed, api: true };
  return { referrers: await fallbackIndex(repository, digest), api: false };
}

/** The descriptors the `sha256-<hex>` tag-schema index of `subject` lists; none when there is no such tag. */
async function fallbackIndex(repository: Repository, subject: string): Promise<ReferrerDescriptor[]> {
  const tag = referrersTag(subject);
  if (!(await repository.headManifest(tag))) return [];
  return indexManifests((await repository.getManifest(tag)).bytes, `${repository.displayName}:${tag}`);
}

/** Sigstore bundles among the referrers, with the given predicate type. */
export function bundleReferrers(referrers: readonly ReferrerDescriptor[], predicateType: string): ReferrerDescriptor[] {
  return referrers.filter(
    (r) => r.artifactType === SIGSTORE_BUNDLE_ARTIFACT_TYPE && r.annotations?.[BUNDLE_PREDICATE_TYPE_ANNOTATION] === predicateType,
  );
}

/** Reads the bundle a referrer manifest holds. */
export async function readBundle(repository: Repository, referrer: Descriptor): Promise<SerializedBundle | undefined> {
  const manifest = JSON.parse(Buffer.from((await repository.getManifest(referrer.digest)).bytes).toString('utf8')) as {
    layers?: Array<Partial<Descriptor>>;
  };
  const layer = manifest.layers?.find((l) => l.mediaType === SIGSTORE_BUNDLE_ARTIFACT_TYPE && typeof l.digest === 'string');
  if (!layer?.digest) return undefined;
  try {
    return JSON.parse(
      Buffer.from(await repository.fetchBlob(layer.digest, { maxBytes: 4 * 1024 * 1024 })).toString('utf8'),
    ) as SerializedBundle;
  } catch {
    return undefined;
  }
}

export interface PushedReferrer {
  digest: string;
  /** How the referrer can be found: the registry's referrers API, or the `sha256-<hex>` index. */
  via: 'api' | 'tag';
  /** The referrer as the subject's referrers list it from now on. */
  descriptor: ReferrerDescriptor;
}

/** The referrer manifest of a bundle: built here so that a dry-run can show it without pushing. */
export function bundleManifest(
  subject: Descriptor,
  bundle: SerializedBundle,
  predicateType: string,
  created: Date,
): {
  bytes: Uint8Array;
  layer: Uint8Array;
  descriptor: ReferrerDescriptor;
} {
  const layer = new TextEncoder().encode(JSON.stringify(bundle));
  const annotations = {
    [BUNDLE_CONTENT_ANNOTATION]: 'dsse-envelope',
    [BUNDLE_PREDICATE_TYPE_ANNOTATION]: predicateType,
    [CREATED_ANNOTATION]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
    config: EMPTY_CONFIG_DESCRIPTOR,
    layers: [{ mediaType: SIGSTORE_BUNDLE_ARTIFACT_TYPE, digest: sha256Digest(layer), size: layer.byteLength }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  return {
    bytes,
    layer,
    descriptor: {
      mediaType: OCI_MANIFEST_MEDIA_TYPE,
      digest: sha256Digest(bytes),
      size: bytes.byteLength,
      artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
      annotations,
    },
  };
}

/**
 * Pushes the bundle as a referrer of `subject`: blobs, then the manifest by digest; then, unless
 * the registry said `OCI-Subject` (it indexes referrers itself), the fallback index is updated.
 * `listed` is what findReferrers found for this subject in this run: when that was the fallback
 * index, it is not read again before the referrer is added to it.
 */
export async function pushBundleReferrer(
  repository: Repository,
  subject: Descriptor,
  bundle: SerializedBundle,
  predicateType: string,
  options: { created: Date; logger: Logger; listed?: Referrers | undefined },
): Promise<PushedReferrer> {
  const { bytes, layer, descriptor } = bundleManifest(subject, bundle, predicateType, options.created);
  if (!(await repository.blobExists(EMPTY_CONFIG_DESCRIPTOR.digest))) await repository.pushBlob(EMPTY_CONFIG_DESCRIPTOR, EMPTY_CONFIG);
  await repository.pushBlob({ mediaType: SIGSTORE_BUNDLE_ARTIFACT_TYPE, digest: sha256Digest(layer), size: layer.byteLength }, layer);
  const pushed = await repository.putManifest(descriptor.digest, OCI_MANIFEST_MEDIA_TYPE, bytes);
  if (pushed.subject !== undefined) {
    if (pushed.subject !== subject.digest) {
      throw new SigstoreError(`the registry indexed ${descriptor.digest} as a referrer of ${pushed.subject}, not of ${subject.digest}`);
    }
    options.logger.debug(`${repository.displayName} indexes referrers itself (OCI-Subject): no ${referrersTag(subject.digest)} tag`);
    return { digest: descriptor.digest, via: 'api', descriptor };
  }
  const known = options.listed?.api === false ? options.listed.referrers : undefined;
  await addToFallbackIndex(repository, subject.digest, descriptor, options.logger, known);
  return { digest: descriptor.digest, via: 'tag', descriptor };
}

/**
 * Adds a descriptor to the `sha256-<hex>` index. Read (unless this run read it already), add,
 * write: the index is keyed by the chart manifest, and one run handles each chart once, so no
 * two writers of this run race.
 */
async function addToFallbackIndex(
  repository: Repository,
  subject: string,
  referrer: ReferrerDescriptor,
  logger: Logger,
  known: readonly ReferrerDescriptor[] | undefined,
): Promise<void> {
  const tag = referrersTag(subject);
  const existing = known ?? (await fallbackIndex(repository, subject));
  if (existing.some((m) => m.digest === referrer.digest)) return;
  const index = { schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [...existing, referrer] };
  await repository.putManifest(tag, OCI_INDEX_MEDIA_TYPE, new TextEncoder().encode(JSON.stringify(index)));
  logger.debug(`${repository.displayName}:${tag} lists ${existing.length + 1} referrer(s) of ${subject}`);
}
