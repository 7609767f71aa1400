// The registry client's public surface; see each module for details.
export {
  createCredentialResolver,
  dockerConfigPath,
  helmRegistryConfigPath,
  noCredentials,
  sameRegistry,
  type Credential,
  type CredentialResolver,
  type CredentialResolverOptions,
} from './credentials.js';
export {
  assertDigest,
  digestOf,
  isDigest,
  matchesDigest,
  parseDigest,
  sha256Digest,
  type DigestAlgorithm,
  type ParsedDigest,
} from './digest.js';
export { BLOB_UPLOAD_CONTENT_TYPE, MANIFEST_MEDIA_TYPES, OCI_MANIFEST_MEDIA_TYPE, type Descriptor } from './media-types.js';
export {
  InvalidReferenceError,
  assertRegistry,
  assertRepository,
  assertTag,
  formatReference,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  parseOciNamespace,
  parseReference,
  registryApiHost,
  type OciNamespaceParse,
  type Reference,
  type RegistryNamespace,
} from './reference.js';
export {
  indexManifests,
  RegistryClient,
  Repository,
  type Manifest,
  type PushedManifest,
  type ReferrerDescriptor,
  type RegistryClientOptions,
  type RepositoryOptions,
} from './registry-client.js';
export { CredentialError, RegistryError, type RegistryErrorDetails } from './registry-error.js';
export { DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
export type { FetchLike, RequestEvent } from './transport.js';
