import { systemClock, type Clock } from '../shared/clock.js';
import type { Deadline } from '../shared/deadline.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { RegistryAuth } from './auth.js';
import { noCredentials, type CredentialResolver } from './credentials.js';
import { assertDigest, isDigest, matchesDigest, parseDigest, sha256Digest } from './digest.js';
import { BLOB_UPLOAD_CONTENT_TYPE, MANIFEST_MEDIA_TYPES, type Descriptor } from './media-types.js';
import { assertRegistry, assertRepository, assertTag, registryApiHost } from './reference.js';
import { RegistryError, responseError } from './registry-error.js';
import { describeUrl } from './transport-error.js';
import type { RetryPolicy } from './retry-policy.js';
import { repositoryScope } from './scope.js';
import { createTransport, type FetchLike, type HttpRequest, type HttpResponse, type RequestEvent } from './transport.js';

export interface RegistryClientOptions {
  /** Talk http:// instead of https:// (Helm's `--plain-http`, helm-oci.md 3.10). */
  plainHttp?: boolean | undefined;
  /** Where credentials come from; anonymous when absent. */
  credentials?: CredentialResolver | undefined;
  /**
   * A fetch to send the requests through (unit tests); Node's http and https otherwise, which over
   * https trust Node's CA bundle plus NODE_EXTRA_CA_CERTS, read when the process starts.
   */
  fetch?: FetchLike | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** The action's version, for `User-Agent: oci-chart-publish/<version>`. */
  version?: string | undefined;
  /** Per-attempt timeout for small requests; uploads and downloads get more per megabyte. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  random?: (() => number) | undefined;
  /** Called after every HTTP exchange (retries and token requests included): count them here. */
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /** The run's deadline: bounds every request on top of its own limits. */
  deadline?: Deadline | undefined;
}

export interface RepositoryOptions {
  /**
   * Declares that this repository will be written to. Bearer tokens are then requested with
   * `pull,push` from the first request on, as Helm 4.2.4 does (helm-oci.md 3.9), so one token
   * serves the whole push instead of a pull token followed by a second challenge at the upload.
   */
  push?: boolean;
}

export interface Manifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/** A pushed manifest; `subject` is the registry's `OCI-Subject` answer (it indexes referrers itself). */
export interface PushedManifest extends Descriptor {
  subject?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// oras-go reads at most 4 MiB of a manifest (`defaultMaxMetadataBytes`, registry/remote/utils.go), and
// distribution-spec "Pushing Manifests" lets registries refuse bigger ones; so do we.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
// Above Helm's 100 MiB decompressed-chart limit (helm-oci.md 1.14): no chart blob is larger.
const DEFAULT_MAX_BLOB_BYTES = 128 * 1024 * 1024;
// Pages of a tag or referrers list followed at most (a server could link pages forever).
const MAX_LIST_PAGES = 1000;
/**
 * Bytes of all the pages of one list together: a registry linking 4 MiB pages of distinct tags
 * one to the next would otherwise fill the memory (1,000 pages) before the run's deadline.
 * Some 500,000 tags of 64-character names.
 */
const MAX_LIST_BYTES = 64 * 1024 * 1024;
// Added to the timeout per byte of a transfer: at least 1 MB/s is expected of a registry link.
const TRANSFER_MS_PER_BYTE = 1 / 1000;

/**
 * A client of the OCI distribution API (distribution-spec v1.1, as Helm uses it: helm-oci.md 3.8).
 * It holds the authentication state (challenges, token cache) of every registry it talks to,
 * so one client should serve a whole run. It knows nothing of Helm.
 */
export class RegistryClient {
  private readonly auth: RegistryAuth;
  private readonly scheme: 'http' | 'https';
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(options: RegistryClientOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.scheme = options.plainHttp ? 'http' : 'https';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const transport = createTransport({
      fetch: options.fetch,
      clock: options.clock,
      logger: this.logger,
      random: options.random,
      retry: options.retry,
      timeoutMs: this.timeoutMs,
      userAgent: `oci-chart-publish/${options.version ?? 'dev'}`,
      onRequest: options.onRequest,
      deadline: options.deadline,
    });
    this.auth = new RegistryAuth({
      transport,
      credentials: options.credentials ?? noCredentials,
      logger: this.logger,
      clock: options.clock ?? systemClock,
    });
  }

  /** The repository `name` on `registry` (host[:port]); throws InvalidReferenceError for bad names. */
  repository(registry: string, name: string, options: RepositoryOptions = {}): Repository {
    assertRegistry(registry);
    assertRepository(name);
    const base = new URL(`${this.scheme}://${registryApiHost(registry)}/v2/${name}/`);
    return new Repository({
      auth: this.auth,
      logger: this.logger,
      base,
      name,
      push: options.push ?? false,
      timeoutMs: this.timeoutMs,
    });
  }
}

interface RepositoryContext {
  auth: RegistryAuth;
  logger: Logger;
  base: URL;
  name: string;
  push: boolean;
  timeoutMs: number;
}

/** A request as the repository makes it; the transport adds nothing it needs here. */
type Call = Omit<HttpRequest, 'signal'>;

/** One repository of a registry; obtained from `RegistryClient.repository`. */
export class Repository {
  private readonly context: RepositoryContext;

  constructor(context: RepositoryContext) {
    this.context = context;
  }

  /** `registry/name`, for messages. */
  get displayName(): string {
    return `${this.context.base.host}/${this.context.name}`;
  }

  /**
   * HEAD a manifest by tag or digest. Returns its descriptor, or undefined when the registry
   * answers 404. Costs one request unless the registry omits Docker-Content-Digest on HEAD,
   * in which case the manifest is fetched to compute it.
   */
  async headManifest(reference: string): Promise<Descriptor | undefined> {
    assertTagOrDigest(reference);
    const response = await this.call({
      method: 'HEAD',
      url: this.url(`manifests/${reference}`),
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
    });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.fail(`Cannot check manifest ${this.displayName}:${reference}`, 'HEAD', response);
    const headerDigest = response.headers.get('docker-content-digest') ?? undefined;
    const size = Number(response.headers.get('content-length') ?? Number.NaN);
    const mediaType = contentType(response);
    if (isDigest(reference) && headerDigest !== undefined && headerDigest !== reference) {
      throw this.fail(`The registry answered for ${headerDigest} when asked for ${reference}`, 'HEAD', response);
    }
    const digest = headerDigest ?? (isDigest(reference) ? reference : undefined);
    if (digest === undefined || !parseDigest(digest) || !Number.isSafeInteger(size) || mediaType === undefined) {
      this.context.logger.debug(`HEAD ${this.displayName}:${reference} gave no usable descriptor; fetching the manifest`);
      return (await this.getManifest(reference)).descriptor;
    }
    return { mediaType, digest, size };
  }

  /**
   * Throws when the token service is known to have refused this repository's push (its token
   * grants pull only): checked after a read, so that a run stops before its first upload
   * rather than at it. Costs no request; says nothing when it cannot be told.
   */
  assertPushGranted(): void {
    const scope = repositoryScope(this.context.name, ['pull', 'push']);
    const refused = this.context.auth.refusedActions(this.context.base, scope);
    if (!refused.includes('push')) return;
    const source = this.context.auth.credentialSource(this.context.base);
    throw new RegistryError(
      `The token service did not grant "push" on ${this.displayName} to ${source ? `the credentials from ${source}` : 'anonymous access'}: ` +
        'the token it gave allows reading only',
      {
        diagnosis:
          this.context.base.hostname === 'ghcr.io'
            ? 'On ghcr.io the workflow needs "permissions: packages: write" and the package must be linked to this repository'
            : `Grant the account push on repository ${this.context.name}`,
      },
    );
  }

  /** GET a manifest by tag or digest; its bytes are checked against the digest asked for or announced. */
  async getManifest(reference: string): Promise<Manifest> {
    assertTagOrDigest(reference);
    const response = await this.call({
      method: 'GET',
      url: this.url(`manifests/${reference}`),
      headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') },
      maxResponseBytes: MAX_MANIFEST_BYTES,
    });
    if (response.status !== 200) throw this.fail(`Cannot get manifest ${this.displayName}:${reference}`, 'GET', response);
    const bytes = response.body;
    const announced = response.headers.get('docker-content-digest') ?? undefined;
    for (const expected of [isDigest(reference) ? reference : undefined, announced]) {
      if (expected !== undefined && parseDigest(expected) && !matchesDigest(bytes, expected)) {
        throw new RegistryError(`The manifest ${this.displayName}:${reference} does not match its digest ${expected}`, {
          method: 'GET',
          url: describeUrl(response.url),
          status: response.status,
          diagnosis: 'The registry returned different content than it announced; it may be corrupt or tampered with',
        });
      }
    }
    const digest = isDigest(reference) ? reference : sha256Digest(bytes);
    const mediaType = contentType(response) ?? mediaTypeField(bytes) ?? 'application/octet-stream';
    return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
  }

  /**
   * PUT a manifest under a tag or its digest. The bytes go up unchanged (the digest is of these
   * bytes); `mediaType` is the Content-Type and must equal the manifest's own `mediaType` field
   * when it has one (registry-testbed.md §2). Returns the manifest's descriptor.
   */
  async putManifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<PushedManifest> {
    assertTagOrDigest(reference);
    const digest = sha256Digest(bytes);
    if (isDigest(reference) && !matchesDigest(bytes, reference)) {
      throw new TypeError(`putManifest: the manifest bytes do not match the digest ${reference} they are pushed under`);
    }
    const response = await this.call({
      method: 'PUT',
      url: this.url(`manifests/${reference}`),
      headers: { 'content-type': mediaType },
      body: bytes,
      maxResponseBytes: MAX_MANIFEST_BYTES,
    });
    if (response.status < 200 || response.status > 299) {
      throw this.fail(`Cannot push manifest ${this.displayName}:${reference}`, 'PUT', response);
    }
    this.checkAnnouncedDigest(response, digest, 'PUT');
    const subject = response.headers.get('oci-subject') ?? undefined;
    return { mediaType, digest, size: bytes.byteLength, ...(subject ? { subject } : {}) };
  }

  /**
   * The referrers of a manifest through the referrers API (distribution-spec v1.1 "Listing
   * Referrers"), following `Link` pages. Undefined when the registry has no such API (404, as
   * Distribution 2.8 answers): the caller then reads the `sha256-<hex>` tag-schema index.
   */
  async listReferrers(digest: string): Promise<ReferrerDescriptor[] | undefined> {
    assertDigest(digest);
    const what = `The referrers list of ${this.displayName}@${digest}`;
    const referrers: ReferrerDescriptor[] = [];
    for await (const { page, response } of this.listPages(this.url(`referrers/${digest}`), what, MAX_MANIFEST_BYTES)) {
      if (response.status === 404 && page === 0) return undefined;
      if (response.status !== 200) throw this.fail(`Cannot list the referrers of ${this.displayName}@${digest}`, 'GET', response);
      // A registry answering some other document (an HTML page, an error body) has no referrers API.
      if (page === 0 && contentType(response) !== 'application/vnd.oci.image.index.v1+json') return undefined;
      for (const descriptor of indexManifests(response.body, what)) referrers.push(descriptor);
    }
    return referrers;
  }

  /** HEAD a blob: true when the repository has it. */
  async blobExists(digest: string): Promise<boolean> {
    assertDigest(digest);
    const response = await this.call({ method: 'HEAD', url: this.url(`blobs/${digest}`) });
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.fail(`Cannot check blob ${digest} in ${this.displayName}`, 'HEAD', response);
  }

  /**
   * Uploads a blob: POST an upload session, then PUT the whole body to its Location with the
   * digest (helm-oci.md 3.8 step 3). Never a single POST with `?digest=`: Distribution answers
   * it with 202 and drops the body (registry-testbed.md §2). Two requests per blob.
   */
  async pushBlob(descriptor: Descriptor, bytes: Uint8Array): Promise<void> {
    assertDigest(descriptor.digest, 'blob digest');
    if (bytes.byteLength !== descriptor.size || !matchesDigest(bytes, descriptor.digest)) {
      throw new TypeError(`pushBlob: the bytes do not match the descriptor (${descriptor.digest}, ${descriptor.size} bytes)`);
    }
    // A second session only when the first one vanished (see below); more would hide a real fault.
    for (let session = 1; session <= 2; session++) {
      const start = await this.call({
        method: 'POST',
        url: this.url('blobs/uploads/'),
        headers: { 'content-length': '0' },
      });
      // distribution-spec "Pushing Blobs": a POST without `digest` or `mount` opens a session (202).
      // A 201 instead completes nothing we sent; it stands for our blob only when it names it,
      // or when the registry holds the blob anyway.
      if (start.status === 201) {
        if (start.headers.get('docker-content-digest') === descriptor.digest) return;
        if (await this.blobExists(descriptor.digest)) {
          this.context.logger.debug(`POST for ${descriptor.digest} answered 201 without naming it; the blob is there`);
          return;
        }
        throw new RegistryError(`Cannot start uploading blob ${descriptor.digest} to ${this.displayName}`, {
          method: 'POST',
          url: describeUrl(start.url),
          status: start.status,
          diagnosis:
            'The registry answered 201 Created instead of 202 Accepted with an upload Location, and does not have the blob; ' +
            'it does not follow the distribution spec for blob uploads',
        });
      }
      if (start.status !== 202) throw this.fail(`Cannot start uploading blob ${descriptor.digest} to ${this.displayName}`, 'POST', start);
      const location = this.uploadLocation(start);
      location.search = `${location.search ? `${location.search}&` : '?'}digest=${encodeURIComponent(descriptor.digest)}`;
      const finish = await this.call({
        method: 'PUT',
        url: location,
        headers: { 'content-type': BLOB_UPLOAD_CONTENT_TYPE },
        body: bytes,
        timeoutMs: this.context.timeoutMs + bytes.byteLength * TRANSFER_MS_PER_BYTE,
      });
      if (finish.status === 201 || finish.status === 204) {
        this.checkAnnouncedDigest(finish, descriptor.digest, 'PUT');
        return;
      }
      // 404 BLOB_UPLOAD_UNKNOWN: the session is gone. Either an earlier attempt of this PUT was
      // committed and only its answer was lost (then the blob is there), or the session expired.
      if (finish.status === 404 && session === 1) {
        if (await this.blobExists(descriptor.digest)) return;
        this.context.logger.debug(`upload session for ${descriptor.digest} vanished; starting a new one`);
        continue;
      }
      throw this.fail(`Cannot upload blob ${descriptor.digest} to ${this.displayName}`, 'PUT', finish);
    }
  }

  /**
   * GET a blob and check it against its digest. Redirects to storage are followed without
   * credentials. `maxBytes` (default 128 MiB) bounds what is read.
   */
  async fetchBlob(digest: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    assertDigest(digest);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
    const response = await this.call({
      method: 'GET',
      url: this.url(`blobs/${digest}`),
      maxResponseBytes: maxBytes,
      timeoutMs: this.context.timeoutMs + maxBytes * TRANSFER_MS_PER_BYTE,
    });
    if (response.status !== 200) throw this.fail(`Cannot download blob ${digest} from ${this.displayName}`, 'GET', response);
    if (!matchesDigest(response.body, digest)) {
      throw new RegistryError(`The blob ${digest} from ${this.displayName} does not match its digest`, {
        method: 'GET',
        url: describeUrl(response.url),
        status: response.status,
        diagnosis: 'The stored blob is corrupt or was replaced',
      });
    }
    return response.body;
  }

  /** All tags of the repository, following `Link: <…>; rel="next"` pages (distribution-spec "Listing Tags"). */
  async listTags(): Promise<string[]> {
    const tags: string[] = [];
    for await (const { url, response } of this.listPages(this.url('tags/list'), `The tag list of ${this.displayName}`)) {
      if (response.status !== 200) throw this.fail(`Cannot list the tags of ${this.displayName}`, 'GET', response);
      let parsed: { tags?: unknown };
      try {
        parsed = JSON.parse(new TextDecoder().decode(response.body)) as { tags?: unknown };
      } catch (error) {
        throw new RegistryError(
          `The tag list of ${this.displayName} is not JSON`,
          { method: 'GET', url: describeUrl(url) },
          { cause: error },
        );
      }
      // One by one: the list is the server's, and a spread of a long one into push() overflows the stack.
      if (Array.isArray(parsed.tags)) for (const tag of parsed.tags as unknown[]) if (typeof tag === 'string') tags.push(tag);
    }
    return tags;
  }

  /**
   * The pages of a list, following `Link: <…>; rel="next"` (distribution-spec "Listing Tags",
   * "Listing Referrers"): at most MAX_LIST_PAGES, each URL once, and never to another origin,
   * which the registry's token must not reach: such a link fails the listing rather than
   * leaving it silently short.
   */
  private async *listPages(
    first: URL,
    what: string,
    maxResponseBytes?: number,
  ): AsyncGenerator<{ page: number; url: URL; response: HttpResponse }> {
    const seen = new Set<string>();
    let url: URL | undefined = first;
    let bytes = 0;
    for (let page = 0; url && page < MAX_LIST_PAGES; page++) {
      seen.add(url.href);
      const response: HttpResponse = await this.call({ method: 'GET', url, ...(maxResponseBytes ? { maxResponseBytes } : {}) });
      bytes += response.body.length;
      if (bytes > MAX_LIST_BYTES) {
        throw new RegistryError(`${what} is longer than ${MAX_LIST_BYTES / 1024 / 1024} MiB (${page + 1} pages); it is not read further`, {
          method: 'GET',
          url: describeUrl(url),
        });
      }
      yield { page, url, response };
      const next = nextLink(response.headers.get('link'), url);
      if (next && next.origin !== this.context.base.origin) {
        throw new RegistryError(`${what} points to another origin (${next.origin})`, { method: 'GET', url: describeUrl(url) });
      }
      url = next && !seen.has(next.href) ? next : undefined;
    }
  }

  private url(path: string): URL {
    return new URL(path, this.context.base);
  }

  private scopes(method: string): string[] {
    const actions = this.context.push || (method !== 'GET' && method !== 'HEAD') ? ['pull', 'push'] : ['pull'];
    return [repositoryScope(this.context.name, actions)];
  }

  private call(call: Call): Promise<HttpResponse> {
    return this.context.auth.send(call, this.scopes(call.method));
  }

  /**
   * The upload URL from a POST's Location: absolute or relative, but on the registry's own origin,
   * so that the PUT (which carries our credentials) cannot be steered elsewhere or to plain http
   * (the hardening of oras GHSA-jxpm-75mh-9fp7, helm-oci.md 3.8 step 3).
   */
  private uploadLocation(response: HttpResponse): URL {
    const location = response.headers.get('location');
    if (!location) throw this.fail('The registry opened an upload session without a Location', 'POST', response);
    let url: URL;
    try {
      url = new URL(location, response.url);
    } catch {
      throw this.fail(`The upload Location "${location}" is not a URL`, 'POST', response);
    }
    if (url.origin !== this.context.base.origin) {
      throw this.fail(
        `Refusing the upload Location on another origin (${url.origin}, registry ${this.context.base.origin})`,
        'POST',
        response,
      );
    }
    return url;
  }

  private checkAnnouncedDigest(response: HttpResponse, digest: string, method: string): void {
    const announced = response.headers.get('docker-content-digest');
    if (announced && announced !== digest) {
      throw new RegistryError(`The registry stored ${announced} where ${digest} was sent`, {
        method,
        url: describeUrl(response.url),
        status: response.status,
      });
    }
  }

  private fail(summary: string, method: string, response: HttpResponse): RegistryError {
    return responseError(summary, method, response, {
      repository: this.context.name,
      credentialSource: this.context.auth.credentialSource(this.context.base),
    });
  }
}

function assertTagOrDigest(reference: string): void {
  if (reference.includes(':')) assertDigest(reference);
  else assertTag(reference);
}

/** A descriptor in an image index, as referrers are listed (image-spec `image-index.md`). */
export interface ReferrerDescriptor extends Descriptor {
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * The `manifests` of an image index; entries without a digest are dropped. A document that is
 * no image index is an error, not an empty list: the `sha256-<hex>` index is read, added to and
 * written back, and reading garbage as "no referrers" would erase every referrer listed there.
 */
export function indexManifests(bytes: Uint8Array, what: string): ReferrerDescriptor[] {
  let parsed: { manifests?: unknown } | null;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes)) as { manifests?: unknown } | null;
  } catch (error) {
    throw new RegistryError(`${what} is not JSON`, {}, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.manifests)) {
    throw new RegistryError(`${what} is not an image index (no "manifests" list)`);
  }
  return parsed.manifests.filter(
    (m): m is ReferrerDescriptor =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Descriptor).digest === 'string' &&
      parseDigest((m as Descriptor).digest) !== undefined,
  );
}

function contentType(response: HttpResponse): string | undefined {
  const value = response.headers.get('content-type');
  return value ? (value.split(';')[0] ?? '').trim() || undefined : undefined;
}

function mediaTypeField(bytes: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}

/** The `rel="next"` target of a Link header (RFC 8288), resolved against the request URL. */
function nextLink(header: string | null, base: URL): URL | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const params = match[2] ?? '';
    if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(params)) return new URL(match[1] ?? '', base);
  }
  return undefined;
}
