import { afterEach, describe, expect, it } from 'vitest';
import { createGithubCompare, GithubApiError } from '../../src/action/github-compare.js';
import { DomainError } from '../../src/shared/errors.js';
import { startGithubApi, type GithubApiStandIn, type GithubApiState } from '../support/github-api.js';

const SHA_BASE = 'a'.repeat(40);
const SHA_HEAD = 'b'.repeat(40);
const SHA_MERGE = 'c'.repeat(40);

const servers: GithubApiStandIn[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function standIn(overrides: Partial<GithubApiState> = {}): Promise<GithubApiStandIn> {
  const server = await startGithubApi({ owner: 'acme', repo: 'charts', token: 'ghs_token', comparisons: {}, tags: [], ...overrides });
  servers.push(server);
  return server;
}

describe('createGithubCompare', () => {
  it.each(['', 'octocat', 'octocat/', '/hello-world', 'octocat/hello-world/extra'])(
    'GITHUB_REPOSITORY "%s" is a user error that names the expected form',
    (repository) => {
      const attempt = () => createGithubCompare({ token: 'token', repository });
      expect(attempt).toThrow(DomainError);
      expect(attempt).toThrow(`GITHUB_REPOSITORY is "${repository}", expected "owner/name" (e.g. octocat/hello-world)`);
    },
  );

  it('a GITHUB_API_URL that is no URL is named', () => {
    expect(() => createGithubCompare({ token: 't', repository: 'acme/charts', apiUrl: 'not a url' })).toThrow(
      'GITHUB_API_URL is "not a url", expected an http(s) URL',
    );
  });
});

describe('compare, against a local stand-in of the GitHub API', () => {
  it('asks GITHUB_API_URL for base...head with the token and maps the file statuses as git does', async () => {
    const server = await standIn({
      comparisons: {
        [`${SHA_BASE}...${SHA_HEAD}`]: {
          mergeBase: SHA_MERGE,
          files: [
            { status: 'added', filename: 'charts/a/Chart.yaml' },
            { status: 'modified', filename: 'charts/b/values.yaml' },
            { status: 'removed', filename: 'charts/c/Chart.yaml' },
            { status: 'renamed', filename: 'charts/d2/Chart.yaml', previous_filename: 'charts/d/Chart.yaml' },
            { status: 'copied', filename: 'charts/e2/x.yaml', previous_filename: 'charts/e/x.yaml' },
            { status: 'changed', filename: 'charts/f/link' },
            { status: 'unchanged', filename: 'charts/g/Chart.yaml' },
          ],
        },
      },
    });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });

    const result = await api.compare(SHA_BASE, SHA_HEAD);

    expect(result).toEqual({
      mergeBase: SHA_MERGE,
      complete: true,
      files: [
        { status: 'A', path: 'charts/a/Chart.yaml' },
        { status: 'M', path: 'charts/b/values.yaml' },
        { status: 'D', path: 'charts/c/Chart.yaml' },
        { status: 'R', path: 'charts/d2/Chart.yaml', previousPath: 'charts/d/Chart.yaml' },
        { status: 'C', path: 'charts/e2/x.yaml', previousPath: 'charts/e/x.yaml' },
        { status: 'T', path: 'charts/f/link' },
      ],
    });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.url).toBe(`/api/v3/repos/acme/charts/compare/${SHA_BASE}...${SHA_HEAD}?per_page=1&page=1`);
    expect(request?.headers.authorization).toBe('Bearer ghs_token');
    expect(request?.headers.accept).toBe('application/vnd.github+json');
  });

  it('a branch name with a slash reaches the server intact, and a trailing slash on GITHUB_API_URL changes nothing', async () => {
    const server = await standIn({ comparisons: { [`release/1.x...${SHA_HEAD}`]: { mergeBase: SHA_MERGE, files: [] } } });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: `${server.apiUrl}/` });
    await expect(api.compare('release/1.x', SHA_HEAD)).resolves.toEqual({ mergeBase: SHA_MERGE, files: [], complete: true });
  });

  it('300 listed files mean GitHub may have cut the list short', async () => {
    const files = Array.from({ length: 300 }, (_, i) => ({ status: 'modified', filename: `charts/c${i}/values.yaml` }));
    const server = await standIn({ comparisons: { [`${SHA_BASE}...${SHA_HEAD}`]: { mergeBase: SHA_MERGE, files } } });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });
    const result = await api.compare(SHA_BASE, SHA_HEAD);
    expect(result.complete).toBe(false);
    expect(result.files).toHaveLength(300);
  });

  it("an error answer carries the status and GitHub's message", async () => {
    const server = await standIn();
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });
    const error = await api.compare(SHA_BASE, SHA_HEAD).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubApiError);
    expect((error as GithubApiError).status).toBe(404);
    expect((error as Error).message).toBe(`GET /api/v3/repos/acme/charts/compare/${SHA_BASE}...${SHA_HEAD}: HTTP 404: Not Found`);

    const wrongToken = createGithubCompare({ token: 'expired', repository: 'acme/charts', apiUrl: server.apiUrl });
    await expect(wrongToken.compare(SHA_BASE, SHA_HEAD)).rejects.toThrow('HTTP 401: Bad credentials');
  });

  it('a server that never answers is given up after the timeout', async () => {
    const server = await standIn({ hang: true });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl, timeoutMs: 200 });
    await expect(api.compare(SHA_BASE, SHA_HEAD)).rejects.toThrow(`: no answer from ${server.origin} within 0.2 s`);
  });

  it("the run's signal stops a request in flight", async () => {
    const server = await standIn({ hang: true });
    const controller = new AbortController();
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl, signal: controller.signal });
    const pending = api.compare(SHA_BASE, SHA_HEAD);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow('stopped (the run was aborted)');
  });

  it('an unreachable API is named with its origin', async () => {
    const server = await standIn();
    const apiUrl = server.apiUrl;
    await server.close();
    servers.length = 0;
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl });
    await expect(api.compare(SHA_BASE, SHA_HEAD)).rejects.toThrow(`cannot reach ${new URL(apiUrl).origin} (ECONNREFUSED)`);
  });
});

describe('tags, against a local stand-in of the GitHub API', () => {
  it('follows the next links over every page of the series, and only the series', async () => {
    const series = Array.from({ length: 230 }, (_, i) => `app-1.${i}.0`);
    const server = await standIn({ tags: [...series, 'other-1.0.0', 'v2.0.0'] });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });

    const tags = await api.tags('app-');

    expect(tags).toEqual(series);
    expect(server.received.map((r) => new URL(r.url, server.origin).searchParams.get('page'))).toEqual([null, '2', '3']);
    expect(server.received[0]?.url).toBe('/api/v3/repos/acme/charts/git/matching-refs/tags/app-?per_page=100');
    expect(server.received.every((r) => r.headers.authorization === 'Bearer ghs_token')).toBe(true);
  });

  it('a next link to another origin is not followed: the token stays with the API', async () => {
    const elsewhere = await standIn();
    const server = await standIn({
      tags: Array.from({ length: 150 }, (_, i) => `app-${i}.0.0`),
      firstNext: `${elsewhere.origin}/steal?page=2`,
    });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });

    const tags = await api.tags('app-');

    expect(tags).toHaveLength(100);
    expect(elsewhere.received).toEqual([]);
  });

  it('a series prefix with a slash is sent as a ref path', async () => {
    const server = await standIn({ tags: ['charts/app/1.0.0', 'charts/app/1.1.0', 'charts/other/1.0.0'] });
    const api = createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });
    await expect(api.tags('charts/app/')).resolves.toEqual(['charts/app/1.0.0', 'charts/app/1.1.0']);
    expect(server.received[0]?.url).toBe('/api/v3/repos/acme/charts/git/matching-refs/tags/charts/app/?per_page=100');
  });
});
