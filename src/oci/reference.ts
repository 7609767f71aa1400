import { DomainError } from '../shared/errors.js';

/**
 * A namespace under a registry: where repositories are created, e.g. `ghcr.io` + `acme/charts`.
 */
export interface RegistryNamespace {
  /** host[:port] */
  registry: string;
  /** The path under the registry, without leading or trailing slash; may be empty. */
  namespace: string;
}

/**
 * `parseOciNamespace`'s answer: the namespace, or the first thing wrong with the text, for the
 * caller to word (it knows which input or file the text came from).
 */
export type OciNamespaceParse =
  | ({ ok: true } & RegistryNamespace)
  | { ok: false; problem: 'scheme' }
  /** `user:password@` before the host: never repeat the text in a message. */
  | { ok: false; problem: 'credentials' }
  | { ok: false; problem: 'digest' }
  | { ok: false; problem: 'registry'; registry: string }
  /** `untagged` is the text as it should have been written: `oci://host/path` without `:tag`. */
  | { ok: false; problem: 'tag'; tag: string; untagged: string }
  | { ok: false; problem: 'namespace'; registry: string; namespace: string };

/** A reference, repository, tag or registry that does not follow the grammar. */
export class InvalidReferenceError extends DomainError {
  readonly reference: string;

  constructor(reference: string, message: string) {
    super(`Invalid reference "${reference}": ${message}`);
    this.reference = reference;
  }
}

// distribution/reference grammar as quoted in helm-oci.md 3.5 step 4: lowercase path components
// separated by `/`, each made of alphanumerics joined by `.`, `_`, `__` or runs of `-`.
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$/;
// helm-oci.md 3.5 step 4: tag = one word character, then up to 127 word characters, `.` or `-`.
const TAG = /^[\w][\w.-]{0,127}$/;
// A registry is what survives `url.ParseRequestURI("dummy://" + registry)` unchanged as the URL
// host (helm-oci.md 3.5 step 4): a DNS name, an IPv4 literal or a bracketed IPv6 literal, with an
// optional numeric port.
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]+\]$/;

export function isValidRepository(repository: string): boolean {
  return REPOSITORY.test(repository);
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isValidRegistry(registry: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(registry);
  if (!match) return false;
  const [, host = '', port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return HOST_NAME.test(host) || IPV6_LITERAL.test(host);
}

/** Throws InvalidReferenceError unless `repository` is a lowercase repository path. */
export function assertRepository(repository: string): void {
  if (!isValidRepository(repository)) {
    throw new InvalidReferenceError(
      repository,
      'invalid repository: expected lowercase path components of letters and digits separated by "/", ' +
        'joined inside a component by ".", "_", "__" or "-" (e.g. "acme/charts/demo")',
    );
  }
}

/** Throws InvalidReferenceError unless `tag` matches `^[\w][\w.-]{0,127}$`. */
export function assertTag(tag: string): void {
  if (!isValidTag(tag)) {
    throw new InvalidReferenceError(
      tag,
      'invalid tag: expected 1 to 128 characters of letters, digits, "_", "." or "-", not starting with "." or "-" ' +
        '(a "+" in a version must be written as "_")',
    );
  }
}

/** Throws InvalidReferenceError unless `registry` is host[:port]. */
export function assertRegistry(registry: string): void {
  if (!isValidRegistry(registry)) {
    throw new InvalidReferenceError(
      registry,
      'invalid registry: expected a host name or IP address with an optional port, without scheme or path ' +
        '(e.g. "ghcr.io" or "127.0.0.1:5000")',
    );
  }
}

/**
 * Parses `oci://host[:port][/namespace]`, the form Helm takes for a push target and a dependency
 * repository, to which `/<chart name>:<tag>` is appended (HIP-6; helm-oci.md §3.5). As Helm's
 * path.Join, empty path segments ("//", a trailing "/") are dropped. Refused: another scheme or
 * none, credentials, a digest, a tag on the last segment, an invalid or missing host, an invalid
 * namespace.
 */
export function parseOciNamespace(text: string): OciNamespaceParse {
  if (!text.startsWith('oci://')) return { ok: false, problem: 'scheme' };
  const [registry = '', ...path] = text.slice('oci://'.length).split('/');
  if (registry.includes('@')) return { ok: false, problem: 'credentials' };
  if (path.some((p) => p.includes('@'))) return { ok: false, problem: 'digest' };
  if (!isValidRegistry(registry)) return { ok: false, problem: 'registry', registry };
  const parts = path.filter((p) => p !== '');
  const last = parts.at(-1) ?? '';
  const colon = last.indexOf(':');
  if (colon >= 0) {
    const untagged = `oci://${[registry, ...parts.slice(0, -1), last.slice(0, colon)].filter((p) => p !== '').join('/')}`;
    return { ok: false, problem: 'tag', tag: last.slice(colon + 1), untagged };
  }
  const namespace = parts.join('/');
  if (namespace !== '' && !isValidRepository(namespace)) return { ok: false, problem: 'namespace', registry, namespace };
  return { ok: true, registry, namespace };
}

/** `oci://host[:port][/namespace]`, the text parseOciNamespace reads. */
export function ociNamespaceText(namespace: RegistryNamespace): string {
  return `oci://${[namespace.registry, namespace.namespace].filter(Boolean).join('/')}`;
}

/** `host[:port]/[namespace/]name`: the repository Helm uses for chart `name` under the namespace (HIP-6). */
export function repositoryUnder(namespace: RegistryNamespace, name: string): string {
  return [namespace.registry, namespace.namespace, name].filter(Boolean).join('/');
}

/**
 * The host the distribution API is served from: Docker Hub's name `docker.io` is contacted as
 * `registry-1.docker.io` (helm-oci.md 3.5 step 4).
 */
export function registryApiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}
