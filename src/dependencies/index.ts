// The dependency builder's public surface; see each module for details.
export {
  ChartRepositoryClient,
  RepositoryError,
  parseIndex,
  resolveReferenceUrl,
  type IndexEntry,
  type RepositoryIndex,
} from './chart-repository.js';
export { createDependencyBuilder, type DependencyBuilder, type DependencyBuilderOptions } from './dependency-builder.js';
export { legacyLockDigest, lockDigest } from './lock-digest.js';
export { credentialFor, prefixCovers, withRepositoryCredentials, type RepositoryCredential } from './repository-credentials.js';
