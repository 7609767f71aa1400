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

/** A stand-in whose every answer links a next page: `body` gives the entries of page n. */
async function endlessPages(body: (page: number) => string): Promise<GithubApiStandIn> {
  const server: GithubApiStandIn = await standIn({
    answer: (rest, response) => {
      const page = Number(/page=(\d+)/.exec(response.req.url ?? '')?.[1] ?? '1');
      response.writeHead(200, {
        'content-type': 'application/json',
        link: `<${server.apiUrl}/repos/acme/charts/${rest}?per_page=100&page=${page + 1}>; rel="next"`,
      });
      response.end(body(page));
      return true;
    },
  });
  return server;
}

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

describe('answers of another shape or size, from a local stand-in of the GitHub API', () => {
  /** A stand-in whose every answer under the repository is `body` as JSON. */
  async function answering(body: unknown, headers: Record<string, string> = {}): Promise<GithubApiStandIn> {
    return standIn({
      answer: (_rest, response) => {
        response.writeHead(200, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
        return true;
      },
    });
  }
  const compareOf = (files: unknown, mergeBase: unknown = SHA_MERGE) => ({ merge_base_commit: { sha: mergeBase }, files });
  const api = (server: GithubApiStandIn) => createGithubCompare({ token: 'ghs_token', repository: 'acme/charts', apiUrl: server.apiUrl });
  const comparing = `GitHub's comparison ${SHA_BASE}...${SHA_HEAD} (GET /api/v3/repos/acme/charts/compare/${SHA_BASE}...${SHA_HEAD})`;

  it.each([
    [
      'files that are an object, not a list',
      compareOf({ a: { status: 'modified', filename: 'charts/a/Chart.yaml' } }),
      'its "files" is not a list',
    ],
    ['no files at all', { merge_base_commit: { sha: SHA_MERGE } }, 'its "files" is not a list'],
    ['a null file', compareOf([null]), 'files[0] is not an object'],
    ['a numeric filename', compareOf([{ status: 'modified', filename: 123 }]), 'files[0].filename is not a non-empty string'],
    [
      'a null filename',
      compareOf([
        { status: 'added', filename: 'x' },
        { status: 'renamed', filename: null },
      ]),
      'files[1].filename is not a non-empty string',
    ],
    [
      'a previous_filename that is an object',
      compareOf([{ status: 'renamed', filename: 'charts/b/Chart.yaml', previous_filename: {} }]),
      'files[0].previous_filename is not a non-empty string',
    ],
    ['a status that is no string', compareOf([{ status: 7, filename: 'charts/a/Chart.yaml' }]), 'files[0].status is not a string'],
    [
      'an unknown status',
      compareOf([{ status: 'toString', filename: 'charts/a/Chart.yaml' }]),
      'files[0].status "toString" is none of added',
    ],
    ['a merge base that is no commit id', compareOf([], '--output=/tmp/x'), 'merge_base_commit.sha "--output=/tmp/x" is not a commit id'],
    ['a list', [], 'the answer is not an object'],
    ['null', null, 'the answer is not an object'],
    [
      'a path longer than any real one',
      compareOf([{ status: 'modified', filename: `charts/beta/Chart.yaml${'/'.repeat(60_000)}` }]),
      'files[0].filename is 60022 bytes long, more than the 4096 of any real path',
    ],
  ])('a comparison with %s is an error naming the call, never "nothing changed"', async (_name, body, detail) => {
    const error = await api(await answering(body))
      .compare(SHA_BASE, SHA_HEAD)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubApiError);
    expect((error as Error).message).toContain(`${comparing}: ${detail}`);
  });

  it('a file whose status is "unchanged" is left out, and a path of 4096 bytes is taken', async () => {
    const long = `charts/a/${'x'.repeat(4096 - 'charts/a/'.length)}`;
    const result = await api(
      await answering(
        compareOf([
          { status: 'unchanged', filename: 'charts/b/Chart.yaml' },
          { status: 'modified', filename: long },
        ]),
      ),
    ).compare(SHA_BASE, SHA_HEAD);
    expect(result.files).toEqual([{ status: 'M', path: long }]);
  });

  it.each([
    ['a null entry', [{ ref: 'refs/tags/v0.2.0' }, null], 'entry 1 is not an object'],
    ['a numeric ref', [{ ref: 42 }], 'entry 0.ref is not a non-empty string'],
    ['an object', { ref: 'refs/tags/v0.2.0' }, 'the answer is not a list'],
  ])('a tag listing with %s is an error naming the call', async (_name, body, detail) => {
    const error = await api(await answering(body))
      .tags('v')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubApiError);
    expect((error as Error).message).toContain(
      `GitHub's answer for refs/tags/v (GET /api/v3/repos/acme/charts/git/matching-refs/tags/v): ${detail}`,
    );
  });

  it('an answer without end is cut at 16 MiB and named so, not taken for a server that does not answer', async () => {
    const server = await standIn({
      answer: (_rest, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 'A');
        const write = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', write);
        };
        write();
        return true;
      },
    });
    const error = await api(server)
      .compare(SHA_BASE, SHA_HEAD)
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `GET /api/v3/repos/acme/charts/compare/${SHA_BASE}...${SHA_HEAD}: the answer is larger than 16 MiB (more than 16777216 bytes received); it is not read further`,
    );
  });

  it('a declared Content-Length above 16 MiB is refused before the body is read', async () => {
    const server = await standIn({
      answer: (_rest, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) });
        response.write('[');
        return true;
      },
    });
    await expect(api(server).tags('v')).rejects.toThrow('the answer is larger than 16 MiB (Content-Length 67108864)');
  });

  it('tag pages whose next link never ends are refused after 100 pages, not read on without end', async () => {
    const server = await endlessPages((page) => JSON.stringify([{ ref: `refs/tags/v0.${page}.0` }]));
    await expect(api(server).tags('v')).rejects.toThrow('goes on past 100 pages');
    expect(server.received).toHaveLength(100);
  });

  it('tag pages larger than 16 MiB together are refused', async () => {
    const entries = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ ref: `refs/tags/v1.${i}.0`, url: 'u'.repeat(200) })));
    const server = await endlessPages(() => entries);
    await expect(api(server).tags('v')).rejects.toThrow(/the answer is larger than 16 MiB over [2-9] pages/);
    expect(server.received.length).toBeLessThan(10);
  });
});
