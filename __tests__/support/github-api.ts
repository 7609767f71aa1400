import type { ServerResponse } from 'node:http';
import { startServer, type ReceivedRequest, type TestServer } from '../oci/http-server.js';

/**
 * A local stand-in of the GitHub REST API for the two calls the action makes, speaking the
 * documented endpoints under a GHES-style root (`/api/v3`):
 * - `GET /repos/{owner}/{repo}/compare/{base}...{head}` → `merge_base_commit.sha` and `files`
 *   (docs.github.com/rest/commits/commits#compare-two-commits);
 * - `GET /repos/{owner}/{repo}/git/matching-refs/tags/{prefix}` → `[{ ref }]`, paginated with
 *   `per_page` and an RFC 8288 `Link: <…>; rel="next"` header
 *   (docs.github.com/rest/git/refs#list-matching-references).
 * Anything else answers 404 with GitHub's error body. `hang: true` never answers; `answer` answers
 * as a hostile server would.
 */
export interface GithubApiState {
  owner: string;
  repo: string;
  token: string;
  comparisons: Record<string, { mergeBase: string; files: Array<{ status: string; filename: string; previous_filename?: string }> }>;
  tags: string[];
  /** Overrides the `next` link of the first page (a foreign origin, for the token test). */
  firstNext?: string;
  hang?: boolean;
  /**
   * Answers a request itself (its path below the repository, e.g. `compare/a...b`) when it
   * returns true: a body of another shape, or one without end.
   */
  answer?: (rest: string, response: ServerResponse) => boolean;
}

export interface GithubApiStandIn extends TestServer {
  /** The API root to give as GITHUB_API_URL. */
  apiUrl: string;
}

export async function startGithubApi(state: GithubApiState): Promise<GithubApiStandIn> {
  const root = '/api/v3';
  const server = await startServer((request: ReceivedRequest, response: ServerResponse, self) => {
    if (state.hang) return;
    const url = new URL(request.url, self.origin);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(JSON.stringify(body));
    };
    const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    if (request.headers.authorization !== `Bearer ${state.token}`) {
      json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      return;
    }
    const repoRoot = `${root}/repos/${state.owner}/${state.repo}`;
    if (!url.pathname.startsWith(`${repoRoot}/`)) return notFound();
    const rest = url.pathname.slice(repoRoot.length + 1);
    if (state.answer?.(decodeURIComponent(rest), response)) return;
    if (rest.startsWith('compare/')) {
      const comparison = state.comparisons[decodeURIComponent(rest.slice('compare/'.length))];
      if (!comparison) return notFound();
      return json(200, {
        status: 'ahead',
        merge_base_commit: { sha: comparison.mergeBase },
        commits: [],
        files: comparison.files.map((f) => ({ sha: '0'.repeat(40), additions: 1, deletions: 0, changes: 1, ...f })),
      });
    }
    if (rest.startsWith('git/matching-refs/')) {
      const prefix = decodeURIComponent(rest.slice('git/matching-refs/'.length));
      const matching = state.tags.map((t) => `refs/tags/${t}`).filter((ref) => ref.startsWith(`refs/${prefix}`));
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      const page = Number(url.searchParams.get('page') ?? '1');
      const slice = matching.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < matching.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${page === 1 && state.firstNext ? state.firstNext : next.href}>; rel="next", <${next.href}>; rel="last"`;
      }
      return json(
        200,
        slice.map((ref) => ({
          ref,
          node_id: 'x',
          url: `${self.origin}${repoRoot}/git/${ref}`,
          object: { sha: '1'.repeat(40), type: 'commit' },
        })),
        headers,
      );
    }
    return notFound();
  });
  return Object.assign(server, { apiUrl: `${server.origin}${root}` });
}
