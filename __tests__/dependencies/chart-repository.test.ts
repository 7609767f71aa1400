import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { marshalLock, type Dependency } from '../../src/chart/metadata.js';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { credentialFor, prefixCovers } from '../../src/dependencies/repository-credentials.js';
import { lockDigest } from '../../src/dependencies/lock-digest.js';
import { parseIndex, resolveReferenceUrl } from '../../src/dependencies/chart-repository.js';
import { ChartError, describeError } from '../../src/shared/errors.js';
import { displayUrl } from '../../src/dependencies/chart-repository.js';
import { stringify } from 'yaml';
import { fillRepo, standInArchive, startChartRepo, writeIndex, type ChartRepo } from '../support/chart-repo.js';
import { scriptedFetch } from '../oci/fakes.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

const servers: ChartRepo[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
async function repo(options: Parameters<typeof startChartRepo>[0] = {}): Promise<ChartRepo> {
  const server = await startChartRepo(options);
  servers.push(server);
  return server;
}

function dependent(ws: string, deps: Array<{ name: string; version: string; repository: string }>): void {
  const lines = ['apiVersion: v2', 'name: app', 'version: 1.0.0', 'dependencies:'];
  for (const d of deps) lines.push(`  - name: ${d.name}`, `    version: "${d.version}"`, `    repository: ${d.repository}`);
  writeTree(ws, chartFiles('app', 'app', '1.0.0', { 'Chart.yaml': `${lines.join('\n')}\n` }));
}

async function lockApp(ws: string, versions: Record<string, string>): Promise<void> {
  const loaded = await loadChart('app', { workspace: ws, logger: new MemoryLogger() });
  const locked: Dependency[] = (loaded.metadata.dependencies ?? []).map((d) => ({
    name: d!.name,
    version: versions[d!.name] ?? '',
    repository: d!.repository,
    condition: '',
    tags: null,
    enabled: false,
    'import-values': null,
    alias: '',
  }));
  writeTree(ws, {
    'app/Chart.lock': marshalLock({
      generated: '2026-01-01T00:00:00Z',
      digest: lockDigest(loaded.metadata.dependencies, locked),
      dependencies: locked,
    }),
  });
}

async function build(ws: string, options: Partial<Parameters<typeof createDependencyBuilder>[0]> = {}) {
  const logger = new MemoryLogger();
  const chart = await loadChart('app', { workspace: ws, logger });
  const builder = createDependencyBuilder({
    workspace: ws,
    cacheDir: join(ws, '.out/.dependencies'),
    logger,
    retry: { maxRetries: 0 },
    ...options,
  });
  return { chart: await builder.build(chart, 'app'), logger };
}

async function failure(promise: Promise<unknown>): Promise<ChartError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChartError);
  return error as ChartError;
}

describe('https chart repositories (index.yaml), served for real on 127.0.0.1', () => {
  it('resolves ranges from index.yaml, with relative and absolute archive URLs', async () => {
    const files = await repo();
    const charts = await repo();
    mkdirSync(join(charts.root, 'stable'));
    const items = [
      ...(await fillRepo(join(charts.root, 'stable'), [{ name: 'b', version: '1.0.0' }])),
      ...(await fillRepo(join(charts.root, 'stable'), [{ name: 'b', version: '1.1.0' }], 'archives')),
      ...(await fillRepo(
        files.root,
        [
          { name: 'b', version: '2.0.0' },
          { name: 'c', version: '0.3.0' },
        ],
        'pool',
      )),
    ];
    // b 2.0.0 and c live on another server, listed with absolute URLs.
    writeIndex(
      join(charts.root, 'stable'),
      items.map((i) => (i.url.startsWith('pool/') ? { ...i, url: `${files.url}/${i.url}` } : i)),
    );
    const ws = tempDir();
    dependent(ws, [
      { name: 'b', version: '^1.0.0', repository: `${charts.url}/stable/` },
      { name: 'c', version: '~0.3', repository: `${charts.url}/stable` },
    ]);
    const { chart, logger } = await build(ws);
    expect(chart.dependencies.map((d) => [d.metadata.name, d.metadata.version, d.location])).toEqual([
      ['b', '1.1.0', `${charts.url}/stable/archives/b-1.1.0.tgz`],
      ['c', '0.3.0', `${files.url}/pool/c-0.3.0.tgz`],
    ]);
    // One index fetch for both dependencies of the same repository (trailing slash or not).
    expect(charts.requests.map((r) => r.path)).toEqual(['/stable/index.yaml', '/stable/archives/b-1.1.0.tgz']);
    expect(files.requests.map((r) => r.path)).toEqual(['/pool/c-0.3.0.tgz']);
    expect(logger.messages('warning')[0]).toContain(
      'app has no Chart.lock: its dependencies were resolved to the newest matching versions (b 1.1.0, c 0.3.0)',
    );
    expect(chart.lock?.dependencies?.map((d) => d?.version)).toEqual(['1.1.0', '0.3.0']);
  });

  it('fetches exactly the locked version, from the cache when the index digest is known', async () => {
    const charts = await repo();
    await fillRepo(charts.root, [
      { name: 'b', version: '1.0.0' },
      { name: 'b', version: '1.5.0' },
    ]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '^1.0.0', repository: charts.url }]);
    await lockApp(ws, { b: '1.0.0' });
    const { chart, logger } = await build(ws);
    expect(chart.dependencies.map((d) => d.metadata.version)).toEqual(['1.0.0']);
    expect(logger.messages('warning')).toEqual([]);
    expect(charts.requests.map((r) => r.path)).toEqual(['/index.yaml', '/b-1.0.0.tgz']);

    // A second run with the same cache folder downloads the index only.
    await build(ws);
    expect(charts.requests.map((r) => r.path)).toEqual(['/index.yaml', '/b-1.0.0.tgz', '/index.yaml']);
  });

  it('sends Basic credentials from dependency-credentials to the repository host only', async () => {
    const files = await repo();
    const charts = await repo({ auth: { username: 'robot', password: 's3cret' } });
    const own = await fillRepo(charts.root, [{ name: 'b', version: '1.0.0' }]);
    const elsewhere = await fillRepo(files.root, [{ name: 'c', version: '1.0.0' }]);
    writeIndex(charts.root, [...own, { ...elsewhere[0]!, url: `${files.url}/${elsewhere[0]!.url}` }]);
    const ws = tempDir();
    dependent(ws, [
      { name: 'b', version: '1.0.0', repository: `${charts.url}/` },
      { name: 'c', version: '1.0.0', repository: charts.url },
    ]);
    const credentials = [{ prefix: charts.url, username: 'robot', password: 's3cret' }];
    const { chart, logger } = await build(ws, { credentials });
    expect(chart.dependencies.map((d) => d.metadata.name)).toEqual(['b', 'c']);
    expect(charts.requests).toEqual([
      { method: 'GET', path: '/index.yaml', user: 'robot', status: 200 },
      { method: 'GET', path: '/b-1.0.0.tgz', user: 'robot', status: 200 },
    ]);
    // The archive on another host gets no credentials.
    expect(files.requests).toEqual([{ method: 'GET', path: '/c-1.0.0.tgz', status: 200 }]);
    expect(logger.masked).toContain('s3cret');
    expect(logger.text()).not.toContain('s3cret');
  });

  it('says which input to set when a private repository answers 401', async () => {
    const charts = await repo({ auth: { username: 'robot', password: 's3cret' } });
    await fillRepo(charts.root, [{ name: 'b', version: '1.0.0' }]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${charts.url}/private` }]);
    const error = await failure(build(ws));
    expect(error.message).toBe(
      `dependency "b" (${charts.url}/private): cannot read ${charts.url}/private/index.yaml: HTTP 401 Unauthorized: the repository needs ` +
        `credentials; add a line "${charts.url}/private <username>:<password>" to the dependency-credentials input`,
    );
    expect(error).toMatchObject({ file: 'app/Chart.yaml', line: 5 });

    const wrong = await failure(build(ws, { credentials: [{ prefix: charts.url, username: 'robot', password: 'nope' }] }));
    expect(wrong.message).toBe(
      `dependency "b" (${charts.url}/private): cannot read ${charts.url}/private/index.yaml: HTTP 401 Unauthorized: the repository ` +
        `refused the credentials of the dependency-credentials line for ${charts.url}`,
    );
  });

  it('keeps the repository URL query (an access token) on the index and relative archives, as Helm does, and out of messages', async () => {
    const TOKEN = 'tok3n-5ecret';
    const charts = await repo();
    await fillRepo(charts.root, [{ name: 'b', version: '1.0.0' }]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${charts.url}/?token=${TOKEN}` }]);
    const { chart, logger } = await build(ws);
    expect(charts.requests.map((r) => r.path)).toEqual([`/index.yaml?token=${TOKEN}`, `/b-1.0.0.tgz?token=${TOKEN}`]);
    expect(chart.dependencies[0]?.location).toBe(`${charts.url}/b-1.0.0.tgz`);
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(new RegExp(`^b 1\\.0\\.0: ${charts.url}/b-1\\.0\\.0\\.tgz \\(sha256:`)),
    );
    expect(logger.messages('debug')).toContain(
      `${charts.url}/index.yaml: ${readFileSync(join(charts.root, 'index.yaml')).byteLength} bytes`,
    );

    // Nor in the failures: a lock from another repository, a missing version, a missing archive, a 401, an unreachable host.
    const messages = [logger.text()];
    await lockApp(ws, { b: '1.0.0' });
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${charts.url}/other?token=${TOKEN}` }]);
    messages.push((await failure(build(ws))).message);
    rmSync(join(ws, 'app/Chart.lock'));
    dependent(ws, [{ name: 'b', version: '2.0.0', repository: `${charts.url}/?token=${TOKEN}` }]);
    messages.push((await failure(build(ws))).message);
    rmSync(join(charts.root, 'b-1.0.0.tgz'));
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${charts.url}/?token=${TOKEN}` }]);
    const missing = await failure(build(ws, { cacheDir: join(tempDir(), 'empty-cache') }));
    expect(missing.message).toBe(`dependency "b" (${charts.url}/): cannot download ${charts.url}/b-1.0.0.tgz: HTTP 404 Not Found`);
    messages.push(missing.message);
    const locked = await repo({ auth: { username: 'robot', password: 's3cret' } });
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${locked.url}/private?token=${TOKEN}` }]);
    const unauthorized = await failure(build(ws));
    expect(unauthorized.message).toContain(`add a line "${locked.url}/private <username>:<password>"`);
    messages.push(unauthorized.message);
    const gone = await startChartRepo();
    await gone.stop();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${gone.url}/charts?token=${TOKEN}` }]);
    messages.push(describeError(await failure(build(ws))));
    expect(messages).toHaveLength(6);
    for (const message of messages) expect(message).not.toContain(TOKEN);
  });

  it('names the version, the repository and what it offers when nothing matches', async () => {
    const charts = await repo();
    await fillRepo(charts.root, [
      { name: 'b', version: '1.0.0' },
      { name: 'b', version: '1.2.0' },
    ]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '^2.0.0', repository: charts.url }]);
    expect((await failure(build(ws))).message).toBe(
      `dependency "b" (${charts.url}): no version matching "^2.0.0" in ${charts.url} (available: 1.2.0, 1.0.0)`,
    );
    dependent(ws, [{ name: 'b', version: '^1.0.0', repository: charts.url }]);
    await lockApp(ws, { b: '1.1.0' });
    expect((await failure(build(ws))).message).toBe(
      `dependency "b" (${charts.url}): version 1.1.0 (locked in app/Chart.lock) not found in ${charts.url} (available: 1.2.0, 1.0.0); ` +
        'it may have been removed: run "helm dependency update" and commit the lock file',
    );
    rmSync(join(ws, 'app/Chart.lock'));
    dependent(ws, [{ name: 'zz', version: '1.0.0', repository: charts.url }]);
    expect((await failure(build(ws))).message).toBe(
      `dependency "zz" (${charts.url}): chart "zz" not found in ${charts.url} (its index.yaml has no entry of that name)`,
    );
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${charts.url}/nothing-here` }]);
    expect((await failure(build(ws))).message).toBe(
      `dependency "b" (${charts.url}/nothing-here): ${charts.url}/nothing-here is not a Helm chart repository: ${charts.url}/nothing-here/index.yaml ` +
        'answered 404 Not Found (an https:// repository needs an index.yaml; for an OCI registry write oci://)',
    );
  });

  it('refuses an index.yaml over 32 MiB before decoding it, which would take minutes and gigabytes', async () => {
    const server = await repo();
    mkdirSync(join(server.root, 'charts'));
    // A valid index: only its size (a 34 MB comment) is wrong.
    const entry = '  c1:\n  - name: c1\n    version: 1.0.0\n    urls: [c1-1.0.0.tgz]\n';
    writeFileSync(join(server.root, 'charts/index.yaml'), `apiVersion: v1\nentries:\n${entry}# ${'x'.repeat(34_000_000)}\n`);
    const ws = tempDir();
    dependent(ws, [{ name: 'c1', version: '1.0.0', repository: `${server.url}/charts` }]);
    const error = await failure(build(ws));
    expect(error.message).toMatch(
      /cannot read from the chart repository .*: The response body is larger than the 33554432-byte limit \(Content-Length 34000\d+\) \(GET .*\/charts\/index\.yaml/,
    );
  });

  it('refuses archive URLs whose scheme Helm has no getter for, naming the index entry, and sends nothing', async () => {
    const charts = await repo();
    const other = await repo();
    await fillRepo(other.root, [{ name: 'b', version: '1.0.0' }]);
    const host = new URL(other.url).host;
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: charts.url }]);
    for (const url of [`foo://${host}/b-1.0.0.tgz`, 'file:///etc/passwd', `FTP://${host}/b-1.0.0.tgz`]) {
      writeIndex(charts.root, [{ name: 'b', version: '1.0.0', url }]);
      const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
      expect((await failure(build(ws))).message).toBe(
        `dependency "b" (${charts.url}): the index.yaml of ${charts.url} lists b 1.0.0 at ${url}: the scheme "${scheme}" is not supported; ` +
          'Helm downloads chart archives over http(s) or from an oci:// registry',
      );
    }
    writeIndex(charts.root, [{ name: 'b', version: '1.0.0', url: 'http://[::1/b-1.0.0.tgz' }]);
    expect((await failure(build(ws))).message).toBe(
      `dependency "b" (${charts.url}): the index.yaml of ${charts.url} lists b 1.0.0 at http://[::1/b-1.0.0.tgz, which is not a URL`,
    );
    expect(charts.requests.map((r) => r.path)).toEqual(['/index.yaml', '/index.yaml', '/index.yaml', '/index.yaml']);
    expect(other.requests).toEqual([]);
  });

  it("sends the repository's credentials to its own origin only, scheme included: never to http on an https repository's host", async () => {
    const archive = await standInArchive('b', '1.0.0');
    const index = stringify({
      apiVersion: 'v1',
      entries: { b: [{ name: 'b', version: '1.0.0', urls: ['http://charts.test/b-1.0.0.tgz'] }] },
    });
    // An https repository cannot be served on 127.0.0.1 without a certificate: a fetch plays it.
    const fetch = scriptedFetch([new Response(index), new Response(archive)]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: 'https://charts.test' }]);
    const credentials = [{ prefix: 'https://charts.test', username: 'robot', password: 's3cret' }];
    const { chart } = await build(ws, { credentials, fetch });
    expect(chart.dependencies.map((d) => d.metadata.name)).toEqual(['b']);
    expect(fetch.calls.map((c) => [c.url, c.headers.authorization])).toEqual([
      ['https://charts.test/index.yaml', `Basic ${Buffer.from('robot:s3cret').toString('base64')}`],
      ['http://charts.test/b-1.0.0.tgz', undefined],
    ]);
  });

  it('reports an unreachable repository', async () => {
    const gone = await startChartRepo();
    await gone.stop();
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: `${gone.url}/charts` }]);
    const error = await failure(build(ws));
    expect(error.message).toMatch(
      new RegExp(
        `^dependency "b" \\(${gone.url}/charts\\): cannot reach the chart repository ${gone.url}/charts: Request failed: .*ECONNREFUSED.*\\. Nothing listens at this address; check the repository host and port$`,
      ),
    );
  });
});

describe('chart repository rules', () => {
  it("resolves archive URLs like Helm's ResolveReferenceURL", () => {
    expect(resolveReferenceUrl('https://h/charts', 'a-1.0.0.tgz')).toBe('https://h/charts/a-1.0.0.tgz');
    expect(resolveReferenceUrl('https://h/charts/', 'sub/a-1.0.0.tgz')).toBe('https://h/charts/sub/a-1.0.0.tgz');
    expect(resolveReferenceUrl('https://h/charts', '/root/a.tgz')).toBe('https://h/root/a.tgz');
    expect(resolveReferenceUrl('https://h/charts?t=1', 'a.tgz')).toBe('https://h/charts/a.tgz?t=1');
    expect(resolveReferenceUrl('https://h/charts', 'https://cdn.example/a.tgz?sig=2')).toBe('https://cdn.example/a.tgz?sig=2');
    expect(resolveReferenceUrl('https://h/charts', 'index.yaml')).toBe('https://h/charts/index.yaml');
  });

  it('shows repository URLs without the query, fragment or userinfo that can carry secrets', () => {
    expect(displayUrl('https://robot:pw@h/charts/index.yaml?token=t#x')).toBe('https://h/charts/index.yaml');
    expect(displayUrl('https://h')).toBe('https://h');
    expect(displayUrl('HTTP://h/charts/')).toBe('HTTP://h/charts/');
    expect(displayUrl('http://robot:pw@/?token=t')).toBe('http:///');
    expect(displayUrl('oci://ghcr.io/acme')).toBe('oci://ghcr.io/acme');
    expect(displayUrl('oci://robot:pw@ghcr.io/acme')).toBe('oci://ghcr.io/acme');
    expect(displayUrl('file://../lib')).toBe('file://../lib');
  });

  it('matches credential prefixes at path boundaries, longest first', () => {
    expect(prefixCovers('https://h/private', 'https://h/private/index.yaml')).toBe(true);
    expect(prefixCovers('https://h/private/', 'https://h/private')).toBe(true);
    expect(prefixCovers('https://h/private', 'https://h/private-other/index.yaml')).toBe(false);
    expect(prefixCovers('https://h', 'https://H:443/x')).toBe(true);
    expect(prefixCovers('https://h', 'http://h/x')).toBe(false);
    expect(prefixCovers('https://h', 'https://h:8443/x')).toBe(false);
    const lines = [
      { prefix: 'https://h', username: 'all', password: 'a' },
      { prefix: 'https://h/team', username: 'team', password: 't' },
    ];
    expect(credentialFor('https://h/team/charts/index.yaml', lines)?.username).toBe('team');
    expect(credentialFor('https://h/other', lines)?.username).toBe('all');
    expect(credentialFor('https://x/other', lines)).toBeUndefined();
  });

  it('reads index.yaml as Helm does: newest first, versions Helm cannot read skipped, JSON too', () => {
    const yaml = [
      'apiVersion: v1',
      'entries:',
      '  b:',
      '  - {name: b, version: 1.0.0, urls: [b-1.0.0.tgz]}',
      '  - {name: b, version: not-a-version, urls: [b-x.tgz]}',
      '  - {name: b, version: 1.10.0-rc.1, urls: [b-rc.tgz]}',
      '  - {name: b, version: 1.10.0, urls: []}',
      '  - null',
    ].join('\n');
    const index = parseIndex(yaml, 'https://h', new MemoryLogger());
    expect(index.entries.get('b')?.map((e) => e.version.original)).toEqual(['1.10.0', '1.10.0-rc.1', '1.0.0']);
    const json = parseIndex(
      JSON.stringify({ apiVersion: 'v1', entries: { c: [{ version: '2.0.0', urls: ['c.tgz'] }] } }),
      'https://h',
      new MemoryLogger(),
    );
    expect(json.entries.get('c')?.[0]?.urls).toEqual(['c.tgz']);
    expect(() => parseIndex('entries: {}\n', 'https://h', new MemoryLogger())).toThrow(
      'the index.yaml of https://h has no apiVersion: it is not a Helm repository index',
    );
  });

  it('writes nothing into the workspace but the cache folder it is given', async () => {
    const charts = await repo();
    await fillRepo(charts.root, [{ name: 'b', version: '1.0.0' }]);
    const ws = tempDir();
    dependent(ws, [{ name: 'b', version: '1.0.0', repository: charts.url }]);
    const cacheDir = join(tempDir(), 'cache');
    writeFileSync(join(ws, 'marker'), '');
    await build(ws, { cacheDir });
    expect(readdirSync(ws).sort()).toEqual(['app', 'marker']);
    expect(readdirSync(join(ws, 'app')).sort()).toEqual(['Chart.yaml', 'templates', 'values.yaml']);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^sha256-[0-9a-f]{64}\.tgz$/)]);
  });
});
