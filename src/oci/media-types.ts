/**
 * Manifest media types a registry may answer with. Sent as the Accept list on every manifest
 * request, in the order and joining Helm's oras-go client uses (helm-oci.md 3.8 step 1).
 * Distribution 2.8 answers 404 MANIFEST_UNKNOWN for an OCI manifest unless its type is listed
 * here (registry-testbed.md §2), so the list is not optional.
 */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.artifact.manifest.v1+json',
] as const;

/** The OCI image manifest type (helm-oci.md 3.1): Content-Type of a chart manifest PUT. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** Blobs go up as opaque bytes; their media type only lives in descriptors (helm-oci.md 3.1). */
export const BLOB_UPLOAD_CONTENT_TYPE = 'application/octet-stream';

/** A content descriptor as in image-spec `descriptor.md`: enough to address and verify a blob. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}
