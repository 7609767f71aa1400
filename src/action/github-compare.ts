import { getOctokit } from '@actions/github';
import type { ChangedFile, CompareApi, CompareResult } from '../discovery/change-request.js';
import { noDeadline, type Deadline } from '../shared/deadline.js';
import { DomainError } from '../shared/errors.js';

export interface GithubCompareOptions {
  /** The `github-token` input. */
  token: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository: string;
  /** GITHUB_API_URL, for GitHub Enterprise Server; getOctokit's default otherwise. */
  apiUrl?: string | undefined;
  /** The run's deadline: ends every API request when it fires. */
  deadline?: Deadline;
  /** Limit of one API request. Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** GitHub lists at most this many files for a comparison, on the first page only. */
const COMPARE_FILE_LIMIT = 300;

/**
 * Discovery's fallback when the clone cannot fetch what it needs: the compare API
 * (`GET /repos/{owner}/{repo}/compare/{base}...{head}`; one request, `per_page=1` keeps the
 * commit list small and the file list only comes on the first page anyway) and the tags of a
 * series (`GET /repos/{owner}/{repo}/git/matching-refs/tags/{prefix}`).
 */
export function createGithubCompare(options: GithubCompareOptions): CompareApi {
  const [owner, repo, extra] = options.repository.split('/');
  if (!owner || !repo || extra !== undefined) {
    throw new DomainError(
      `GITHUB_REPOSITORY is "${options.repository}", expected "owner/name" (e.g. octocat/hello-world): ` +
        'the runner sets it so; a workflow or local run that sets it must keep that form.',
    );
  }
  const deadline = options.deadline ?? noDeadline;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Each API request is bounded by its own limit and by the run's deadline, and listed as in flight.
  const boundedFetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const signals = [deadline.signal, AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    return deadline.track(`${init?.method ?? 'GET'} ${url.split('?')[0] ?? url}`, () =>
      fetch(input, { ...init, signal: AbortSignal.any(signals) }),
    );
  };
  const octokit = getOctokit(options.token, {
    ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}),
    request: { fetch: boundedFetch },
  });
  return {
    async compare(base, head): Promise<CompareResult> {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${base}...${head}`,
        per_page: 1,
        page: 1,
      });
      const listed = data.files ?? [];
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
      const refs = await octokit.paginate(octokit.rest.git.listMatchingRefs, { owner, repo, ref: `tags/${prefix}`, per_page: 100 });
      return refs.map((r) => r.ref.replace(/^refs\/tags\//, ''));
    },
  };
}

const STATUS: Record<string, ChangedFile['status'] | undefined> = {
  added: 'A',
  removed: 'D',
  modified: 'M',
  renamed: 'R',
  copied: 'C',
  changed: 'T',
};
