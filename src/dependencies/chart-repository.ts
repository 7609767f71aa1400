import { newestFirst, parseVersion, type Version } from '../chart/go/version-constraints.js';
import { decodeYaml, yamlProblem, yamlText, yamlToPlain, YamlSyntaxError } from '../chart/go/yaml-decode.js';
import { parseDigest } from '../oci/digest.js';
import { describeUrl, networkAdvice, TransportError } from '../oci/transport-error.js';
import type { RetryPolicy } from '../oci/retry-policy.js';
import { createTransport, type FetchLike, type HttpResponse, type Transport } from '../oci/transport.js';
import { DeadlineError, noDeadline, type Deadline } from '../shared/deadline.js';
import { DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { credentialFor, type RepositoryCredential } from './repository-credentials.js';
import { jsonSyntaxErrorPosition } from '../shared/json-syntax.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * A classic Helm chart repository over http(s): `index.yaml` at the repository URL, archives at
 * the URLs its entries list, relative to the repository or absolute (pkg/repo/v1 chartrepo.go
 * and index.go @H4). No `helm repo add`: the URL in Chart.yaml is all we need. Credentials come
 * from `dependency-credentials` by URL prefix and, like Helm's getter, go only to the
 * repository's own scheme and host; redirects to another origin drop them (oci/transport.ts).
 */

/** A repository answered with something we cannot use; `status` when it was an HTTP answer. */
export class RepositoryError extends DomainError {
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

export interface IndexEntry {
  name: string;
  version: Version;
  urls: string[];
  /** The archive's sha256 (hex) as the index states it, when it does. */
  digest: string | undefined;
}

export interface RepositoryIndex {
  /** The repository URL as written in Chart.yaml. */
  url: string;
  /** Versions per chart name, newest first; entries Helm would skip are left out. */
  entries: Map<string, IndexEntry[]>;
}

export interface ChartRepositoryClientOptions {
  logger: Logger;
  credentials: readonly RepositoryCredential[];
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  userAgent?: string;
  deadline?: Deadline;
}

/**
 * The largest index.yaml read. Popular repositories publish indexes of some ten megabytes (every
 * version ever released); decoding YAML the way go-yaml does takes about 45 times the file in
 * memory and a second or more per megabyte, synchronously, so a 200 MB index crashed the run out
 * of memory and a 100 MB one held it minutes past its deadline.
 */
export const MAX_INDEX_BYTES = 32 * 1024 * 1024;

export class ChartRepositoryClient {
  private readonly transport: Transport;
  private readonly indexes = new Map<string, Promise<RepositoryIndex>>();

  constructor(private readonly options: ChartRepositoryClientOptions) {
    this.transport = createTransport({
      fetch: options.fetch,
      logger: options.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      userAgent: options.userAgent ?? 'oci-chart-publish',
      deadline: options.deadline,
    });
  }

  /** The repository's index.yaml, fetched once per client. */
  index(repositoryUrl: string): Promise<RepositoryIndex> {
    const key = trimTrailing(repositoryUrl, '/');
    let index = this.indexes.get(key);
    if (!index) {
      index = this.fetchIndex(repositoryUrl);
      this.indexes.set(key, index);
    }
    return index;
  }

  /** An archive's bytes; `url` is absolute (see resolveReferenceUrl). */
  async download(url: string, repositoryUrl: string, maxBytes: number): Promise<Uint8Array> {
    const response = await this.get(url, repositoryUrl, maxBytes);
    if (response.status !== 200) throw this.failure(`cannot download ${displayUrl(url)}`, response, url, repositoryUrl);
    return response.body;
  }

  private async fetchIndex(repositoryUrl: string): Promise<RepositoryIndex> {
    const url = resolveReferenceUrl(repositoryUrl, 'index.yaml');
    const response = await this.get(url, repositoryUrl, MAX_INDEX_BYTES);
    if (response.status === 404) {
      throw new RepositoryError(
        `${displayUrl(repositoryUrl)} is not a Helm chart repository: ${displayUrl(url)} answered 404 Not Found (an https:// repository needs an index.yaml; ` +
          'for an OCI registry write oci://)',
        404,
      );
    }
    if (response.status !== 200) throw this.failure(`cannot read ${displayUrl(url)}`, response, url, repositoryUrl);
    this.options.logger.debug(`${displayUrl(url)}: ${response.body.byteLength} bytes`);
    return parseIndex(response.body, repositoryUrl, this.options.logger, this.deadline);
  }

  /** The deadline of the client's requests; decoding an index it fetched heeds it too (decodeIndex). */
  get deadline(): Deadline {
    return this.options.deadline ?? noDeadline;
  }

  private async get(url: string, repositoryUrl: string, maxBytes: number): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    const credential = this.credentialFor(url, repositoryUrl);
    if (credential) {
      this.options.logger.mask(credential.password);
      headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    try {
      return await this.transport.send({
        method: 'GET',
        url: new URL(url),
        headers,
        maxResponseBytes: maxBytes,
        timeoutMs: timeoutFor(maxBytes, this.options.timeoutMs),
      });
    } catch (error) {
      if (error instanceof TransportError) {
        const advice = networkAdvice(error.network, 'repository', {
          plainHttp: 'if it is served over plain http, write its URL with http://',
          https: 'write its URL with https://',
        });
        // A response that arrived but is too large is not a reachability problem.
        const what = error.status === undefined ? 'cannot reach the chart repository' : 'cannot read from the chart repository';
        throw new RepositoryError(`${what} ${displayUrl(repositoryUrl)}: ${error.message}${advice ? `. ${advice}` : ''}`, error.status, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * The dependency-credentials line covering `url`; else the repository's own line when `url` is
   * on the repository's scheme and host (Helm sends a repository's credentials to its host only).
   */
  private credentialFor(url: string, repositoryUrl: string): RepositoryCredential | undefined {
    const own = credentialFor(url, this.options.credentials);
    if (own) return own.password ? own : undefined;
    const repository = credentialFor(repositoryUrl, this.options.credentials);
    if (!repository?.password) return undefined;
    const a = new URL(url);
    const b = new URL(repositoryUrl);
    return a.protocol === b.protocol && a.host === b.host ? repository : undefined;
  }

  private failure(what: string, response: HttpResponse, url: string, repositoryUrl: string): RepositoryError {
    const status = `${response.status}${response.status === 401 ? ' Unauthorized' : response.status === 403 ? ' Forbidden' : response.status === 404 ? ' Not Found' : ''}`;
    const sent = response.leftOrigin ? undefined : this.credentialFor(url, repositoryUrl);
    let hint = '';
    if (response.status === 401 || response.status === 403) {
      hint = sent
        ? `: the repository refused the credentials of the dependency-credentials line for ${sent.prefix}`
        : `: the repository needs credentials; add a line "${displayUrl(repositoryUrl)} <username>:<password>" to the dependency-credentials input`;
    }
    return new RepositoryError(`${what}: HTTP ${status}${hint}`, response.status);
  }
}

/**
 * A repository or archive URL for messages and logs. Repository URLs may carry an access token in
 * the query, which Helm copies onto archive URLs (resolveReferenceUrl), or in userinfo: http(s)
 * and oci:// URLs are shown without query, fragment and userinfo (describeUrl). A URL with none
 * of them, and any other source, is shown as written, as Chart.yaml has it.
 */
export function displayUrl(url: string): string {
  if (!/^(?:https?|oci):\/\//i.test(url) || !/[?#@]/.test(url)) return url;
  try {
    return describeUrl(url);
  } catch {
    // Not a URL fetch would take; still nothing after "?" or "#", nor before "@".
    return url.replace(/[?#].*$/s, '').replace(/^([a-z]+:\/\/)[^/]*@/i, '$1');
  }
}

/** Per-attempt timeout: the transport's default, plus time for large bodies at 1 MB/s. */
function timeoutFor(maxBytes: number, base = 60_000): number {
  return base + Math.min(maxBytes, 128 * 1024 * 1024) / 1000;
}

/**
 * Helm's `repo.ResolveReferenceURL`: an absolute URL stays as it is; a relative one is resolved
 * against the repository URL taken as a directory, and the repository URL's query (often an
 * access token) is carried over.
 */
export function resolveReferenceUrl(base: string, ref: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref)) return ref;
  const baseUrl = new URL(base);
  baseUrl.pathname = `${trimTrailing(baseUrl.pathname, '/')}/`;
  const resolved = new URL(ref, baseUrl);
  resolved.search = baseUrl.search;
  return resolved.href;
}

interface RawIndex {
  apiVersion?: unknown;
  entries?: unknown;
}

/**
 * The parser's complaint without the server's text: JSON.parse quotes a few characters around
 * the error, which may be a piece of a secret the server echoed (too short to be redacted).
 */
function indexSyntaxProblem(error: unknown, text: string | undefined): string {
  if (error instanceof YamlSyntaxError) return `${yamlProblem(error)} (line ${error.line}): ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SyntaxError) {
    // Never JSON.parse's own words: they quote the text, which a hostile server may fill with what it was sent.
    const at = text === undefined ? undefined : jsonSyntaxErrorPosition(text);
    return `is not valid JSON${at ? ` (syntax error at line ${at.line}, column ${at.column})` : ''}`;
  }
  return `is not valid YAML: ${message.split('\n')[0] ?? message}`;
}

/**
 * A chart repository's index (index.yaml, or JSON, which is YAML too) decoded to plain values,
 * as Helm's loadIndex reads it through sigs.k8s.io/yaml: the one decoding of an index, for
 * dependencies and migration alike. The same decoder as for every other YAML file, which refuses
 * what go-yaml refuses (alias bombs, invalid UTF-8); JSON, which large repositories often serve,
 * is checked for the same bytes and then parsed by JSON.parse, some ten times faster. YAML
 * decoding is synchronous (a minute for a 30 MB index): it stops at the deadline, saying which
 * file it was decoding and for how long. `where` names the file in messages.
 */
export function decodeIndex(body: string | Uint8Array, where: string, deadline: Deadline = noDeadline): unknown {
  let text: string | undefined;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const check = () => deadline.throwIfExpired(() => `decoding ${where} (${size} bytes, for ${seconds()} s)`);
  try {
    text = yamlText(body);
    return text.trimStart().startsWith('{') ? JSON.parse(text) : yamlToPlain(decodeYaml(text, { check }));
  } catch (error) {
    if (error instanceof DeadlineError) {
      throw new RepositoryError(`decoding ${where} (${size} bytes) was stopped after ${seconds()} s: ${error.message}`, undefined, {
        cause: error,
      });
    }
    throw new RepositoryError(`${where} ${indexSyntaxProblem(error, text)}`, undefined, { cause: error });
  }
}

/** Parses index.yaml (YAML or JSON) the way Helm's loadIndex does. */
export function parseIndex(body: string | Uint8Array, repositoryUrl: string, logger: Logger, deadline?: Deadline): RepositoryIndex {
  const raw = decodeIndex(body, `the index.yaml of ${displayUrl(repositoryUrl)}`, deadline) as RawIndex | null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new RepositoryError(`the index.yaml of ${displayUrl(repositoryUrl)} is empty or not a mapping`);
  }
  if (!raw.apiVersion)
    throw new RepositoryError(`the index.yaml of ${displayUrl(repositoryUrl)} has no apiVersion: it is not a Helm repository index`);
  const entries = new Map<string, IndexEntry[]>();
  const rawEntries = raw.entries && typeof raw.entries === 'object' ? (raw.entries as Record<string, unknown>) : {};
  for (const [name, list] of Object.entries(rawEntries)) {
    const versions: IndexEntry[] = [];
    for (const item of Array.isArray(list) ? list : []) {
      if (item === null || typeof item !== 'object') continue;
      const record = item as Record<string, unknown>;
      const text = typeof record.version === 'string' || typeof record.version === 'number' ? String(record.version) : '';
      const version = parseVersion(text);
      if (!version) {
        logger.debug(`${displayUrl(repositoryUrl)}: skipping ${name} "${text}": not a version Helm reads`);
        continue;
      }
      const urls = Array.isArray(record.urls) ? record.urls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
      // index.yaml gives the archive's sha256 as bare hex.
      const digest = typeof record.digest === 'string' && parseDigest(`sha256:${record.digest}`) ? record.digest : undefined;
      versions.push({ name, version, urls, digest });
    }
    versions.sort((a, b) => newestFirst(a.version, b.version));
    entries.set(name, versions);
  }
  return { url: repositoryUrl, entries };
}
