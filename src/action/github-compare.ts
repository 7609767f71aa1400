import type { ChangedFile, CompareApi, CompareResult } from '../discovery/change-request.js';
import { noDeadline, type Deadline } from '../shared/deadline.js';
import { DomainError } from '../shared/errors.js';
import { shortenRedacted } from '../shared/secret-redactor.js';

export interface GithubCompareOptions {
  /** The `github-token` input. */
  token: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL (GitHub Enterprise Server: `https://HOST/api/v3`); https://api.github.com otherwise. */
  apiUrl?: string | undefined;
  /** Per request, connection to last byte; 30 s unless given. */
  timeoutMs?: number | undefined;
  /** The run's deadline: ends every API request when it fires (and lists it as in flight). */
  deadline?: Deadline | undefined;
  /** Another signal that stops a request in flight. */
  signal?: AbortSignal | undefined;
  /** Tests inject another fetch; the global one otherwise. */
  fetch?: ((input: string | URL, init?: RequestInit) => Promise<Response>) | undefined;
}

/** A GitHub REST call that failed: the status (0 when no answer came) and GitHub's own message. */
export class GithubApiError extends DomainError {
  readonly status: number;
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GithubApiError';
    this.status = status;
  }
}

const DEFAULT_API_URL = 'https://api.github.com';
const DEFAULT_TIMEOUT_MS = 30_000;
/** GitHub lists at most this many files for a comparison, on the first page only. */
const COMPARE_FILE_LIMIT = 300;
/** Far more than any tag series needs; a guard against a server whose `next` link never ends. */
const MAX_PAGES = 100;
/**
 * The most read of one answer (and of all the pages of a tag listing together). A comparison
 * asked with per_page=1 lists at most 300 files, and a series' tags are a few kB a hundred:
 * 16 MiB is far above both, and far below what a runner's memory takes.
 */
const MAX_ANSWER_MIB = 16;
const MAX_ANSWER_BYTES = MAX_ANSWER_MIB * 1024 * 1024;
/** Linux's PATH_MAX: no path of a checkout, and no ref name, is longer. */
const MAX_PATH_BYTES = 4096;
/** A full SHA-1 or SHA-256 object name. */
const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Discovery's fallback when the clone cannot fetch what it needs: the compare API
 * (`GET /repos/{owner}/{repo}/compare/{base}...{head}`; one request, `per_page=1` keeps the
 * commit list small and the file list only comes on the first page anyway) and the tags of a
 * series (`GET /repos/{owner}/{repo}/git/matching-refs/tags/{prefix}`, every page).
 *
 * Two REST calls do not need a client library: plain fetch, with the token sent only to the
 * API's own origin (a `next` link elsewhere is not followed; fetch drops the authorization
 * header on a cross-origin redirect).
 */
export function createGithubCompare(options: GithubCompareOptions): CompareApi {
  const [owner, repo, extra] = options.repository.split('/');
  if (!owner || !repo || extra !== undefined) {
    throw new DomainError(
      `GITHUB_REPOSITORY is "${options.repository}", expected "owner/name" (e.g. octocat/hello-world): ` +
        'the runner sets it so; a workflow or local run that sets it must keep that form.',
    );
  }
  const api = new GithubApi(options);
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  return {
    async compare(base, head): Promise<CompareResult> {
      const basehead = `${encodeURIComponent(base)}...${encodeURIComponent(head)}`;
      const url = api.url(`${repoPath}/compare/${basehead}?per_page=1&page=1`);
      const { body } = await api.get(url, MAX_ANSWER_BYTES);
      return compareResult(body, `GitHub's comparison ${base}...${head} (GET ${url.pathname})`);
    },
    async tags(prefix): Promise<string[]> {
      // matching-refs filters by prefix on the server: one page per 100 tags of the series only.
      const ref = `tags/${prefix.split('/').map(encodeURIComponent).join('/')}`;
      const names: string[] = [];
      let next: URL | undefined = api.url(`${repoPath}/git/matching-refs/${ref}?per_page=100`);
      // One budget for all the pages together: a server linking large pages without end is cut short.
      let total = 0;
      for (let page = 0; next; page++) {
        const what = `GitHub's answer for refs/${ref} (GET ${next.pathname})`;
        if (page === MAX_PAGES) {
          throw new GithubApiError(`${what} goes on past ${MAX_PAGES} pages; no series has that many tags, so it is not read further`, 200);
        }
        const answer: { body: unknown; link: URL | undefined; bytes: number } = await api.get(next, MAX_ANSWER_BYTES);
        total += answer.bytes;
        if (total > MAX_ANSWER_BYTES) {
          throw new GithubApiError(
            `${what}: the answer is larger than ${MAX_ANSWER_MIB} MiB over ${page + 1} pages; it is not read further`,
            200,
          );
        }
        names.push(...tagNames(answer.body, what));
        next = answer.link;
      }
      return names;
    },
  };
}

/**
 * The answer is checked in shape where it is read: an entry of another shape is an error, never
 * a file or a tag less (a list that is not one must not read as "nothing changed").
 */
function compareResult(body: unknown, what: string): CompareResult {
  const wrong = (detail: string) => new GithubApiError(`${what}: ${detail}; the answer is not GitHub's`, 200);
  if (!isObject(body)) throw wrong('the answer is not an object');
  const mergeBase = isObject(body.merge_base_commit) ? body.merge_base_commit.sha : undefined;
  if (typeof mergeBase !== 'string') throw wrong('it has no merge_base_commit.sha');
  if (!COMMIT_ID.test(mergeBase)) throw wrong(`merge_base_commit.sha "${shortenRedacted(mergeBase, 100)}" is not a commit id`);
  if (!Array.isArray(body.files)) throw wrong('its "files" is not a list');
  const listed: unknown[] = body.files;
  const files: ChangedFile[] = [];
  listed.forEach((file, index) => {
    const where = `files[${index}]`;
    if (!isObject(file)) throw wrong(`${where} is not an object`);
    if (typeof file.status !== 'string') throw wrong(`${where}.status is not a string`);
    if (file.status === 'unchanged') return;
    const status = Object.hasOwn(STATUS, file.status) ? STATUS[file.status] : undefined;
    if (!status)
      throw wrong(`${where}.status "${shortenRedacted(file.status, 100)}" is none of ${Object.keys(STATUS).join(', ')}, unchanged`);
    const path = repositoryPath(file.filename, `${where}.filename`, wrong);
    const previous =
      file.previous_filename === undefined ? undefined : repositoryPath(file.previous_filename, `${where}.previous_filename`, wrong);
    files.push(
      status === 'R' || status === 'C' ? { status, path, ...(previous !== undefined ? { previousPath: previous } : {}) } : { status, path },
    );
  });
  return { mergeBase, files, complete: listed.length < COMPARE_FILE_LIMIT };
}

function tagNames(body: unknown, what: string): string[] {
  const wrong = (detail: string) => new GithubApiError(`${what}: ${detail}; the answer is not GitHub's`, 200);
  if (!Array.isArray(body)) throw wrong('the answer is not a list');
  const entries: unknown[] = body;
  return entries.map((entry, index) => {
    if (!isObject(entry)) throw wrong(`entry ${index} is not an object`);
    const ref = repositoryPath(entry.ref, `entry ${index}.ref`, wrong);
    return ref.replace(/^refs\/tags\//, '');
  });
}

/** A path or ref name as git has it: a non-empty string no longer than a file system takes (PATH_MAX). */
function repositoryPath(value: unknown, field: string, wrong: (detail: string) => GithubApiError): string {
  if (typeof value !== 'string' || value === '') throw wrong(`${field} is not a non-empty string`);
  if (Buffer.byteLength(value) > MAX_PATH_BYTES) {
    throw wrong(`${field} is ${Buffer.byteLength(value)} bytes long, more than the ${MAX_PATH_BYTES} of any real path`);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class GithubApi {
  private readonly base: URL;
  private readonly fetch: NonNullable<GithubCompareOptions['fetch']>;
  private readonly timeoutMs: number;

  constructor(private readonly options: GithubCompareOptions) {
    const text = options.apiUrl || DEFAULT_API_URL;
    try {
      this.base = new URL(text.endsWith('/') ? text : `${text}/`);
    } catch (error) {
      throw new DomainError(`GITHUB_API_URL is "${text}", expected an http(s) URL such as ${DEFAULT_API_URL}`, { cause: error });
    }
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `path` is relative to the API root, which may itself have a path (GHES: /api/v3). */
  url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.base);
  }

  /** The answer as JSON; at most `maxBytes` of it are read. */
  async get(url: URL, maxBytes: number): Promise<{ body: unknown; link: URL | undefined; bytes: number }> {
    const what = `GET ${url.pathname}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const deadline = this.options.deadline ?? noDeadline;
    const signal = AbortSignal.any([deadline.signal, timeout, ...(this.options.signal ? [this.options.signal] : [])]);
    let response: Response;
    let text: string;
    try {
      // Listed as in flight by its URL without query, as the run's other requests are.
      ({ response, text } = await deadline.track(`GET ${url.origin}${url.pathname}`, async () => {
        const answer = await this.fetch(url, {
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${this.options.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'oci-chart-publish',
          },
          signal,
        });
        return { response: answer, text: await readText(answer, maxBytes, what) };
      }));
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      if (error instanceof GithubApiError) throw error;
      if (timeout.aborted && !this.options.signal?.aborted) {
        throw new GithubApiError(`${what}: no answer from ${url.origin} within ${this.timeoutMs / 1000} s`, 0, { cause: error });
      }
      if (this.options.signal?.aborted) throw new GithubApiError(`${what}: stopped (the run was aborted)`, 0, { cause: error });
      const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
      throw new GithubApiError(`${what}: cannot reach ${url.origin} (${reason})`, 0, { cause: error });
    }
    if (!response.ok) {
      throw new GithubApiError(`${what}: HTTP ${response.status}${githubMessage(text)}`, response.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new GithubApiError(`${what}: the answer is not JSON`, response.status, { cause: error });
    }
    return { body, link: this.nextLink(response.headers.get('link')), bytes: Buffer.byteLength(text) };
  }

  /** RFC 8288 `Link: <…>; rel="next"`, followed only on the API's own origin (it carries the token). */
  private nextLink(header: string | null): URL | undefined {
    if (!header) return undefined;
    for (const part of header.split(',')) {
      const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
      if (!match || !/\brel="?next"?/.test(match[2] ?? '')) continue;
      const next = new URL(match[1] ?? '', this.base);
      return next.origin === this.base.origin ? next : undefined;
    }
    return undefined;
  }
}

/** The body as text, refused past `maxBytes` (declared or received) without reading further. */
async function readText(answer: Response, maxBytes: number, what: string): Promise<string> {
  const tooLarge = (size: string) =>
    new GithubApiError(`${what}: the answer is larger than ${maxBytes / 1024 / 1024} MiB (${size}); it is not read further`, answer.status);
  const declared = Number(answer.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    void answer.body?.cancel().catch(() => undefined);
    throw tooLarge(`Content-Length ${declared}`);
  }
  if (!answer.body) return '';
  const decoder = new TextDecoder();
  const reader: ReadableStreamDefaultReader<Uint8Array> = answer.body.getReader();
  let text = '';
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge(`more than ${maxBytes} bytes received`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** GitHub's error bodies are `{"message": "...", "documentation_url": "..."}`. */
function githubMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' && message ? `: ${shortenRedacted(message, 300)}` : '';
  } catch {
    return '';
  }
}

const STATUS: Record<string, ChangedFile['status'] | undefined> = {
  added: 'A',
  removed: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  changed: 'T',
};
