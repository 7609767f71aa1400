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
      const { body } = await api.get(api.url(`${repoPath}/compare/${basehead}?per_page=1&page=1`));
      const data = body as CompareBody;
      if (typeof data.merge_base_commit?.sha !== 'string') {
        throw new GithubApiError(`GitHub's comparison ${base}...${head} has no merge_base_commit.sha`, 200);
      }
      const listed = Array.isArray(data.files) ? data.files : [];
      const files = listed.flatMap((file): ChangedFile[] => {
        const status = STATUS[file.status];
        if (!status) return [];
        return status === 'R' || status === 'C'
          ? [{ status, path: file.filename, ...(file.previous_filename ? { previousPath: file.previous_filename } : {}) }]
          : [{ status, path: file.filename }];
      });
      return { mergeBase: data.merge_base_commit.sha, files, complete: listed.length < COMPARE_FILE_LIMIT };
    },
    async tags(prefix): Promise<string[]> {
      // matching-refs filters by prefix on the server: one page per 100 tags of the series only.
      const ref = `tags/${prefix.split('/').map(encodeURIComponent).join('/')}`;
      const names: string[] = [];
      let next: URL | undefined = api.url(`${repoPath}/git/matching-refs/${ref}?per_page=100`);
      for (let page = 0; next && page < MAX_PAGES; page++) {
        const { body, link }: { body: unknown; link: URL | undefined } = await api.get(next);
        if (!Array.isArray(body)) throw new GithubApiError(`GitHub's answer for refs/${ref} is not a list`, 200);
        for (const entry of body as Array<{ ref?: unknown }>) {
          if (typeof entry.ref === 'string') names.push(entry.ref.replace(/^refs\/tags\//, ''));
        }
        next = link;
      }
      return names;
    },
  };
}

interface CompareBody {
  merge_base_commit?: { sha?: unknown };
  files?: Array<{ status: string; filename: string; previous_filename?: string }>;
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

  async get(url: URL): Promise<{ body: unknown; link: URL | undefined }> {
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
        return { response: answer, text: await answer.text() };
      }));
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
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
    return { body, link: this.nextLink(response.headers.get('link')) };
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
