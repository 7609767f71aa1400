import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChart, loadChartArchive } from '../../src/chart/chart-loader.js';
import { marshalLock, type Dependency } from '../../src/chart/metadata.js';
import { HELM_CHART_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from '../../src/chart/oci-media-types.js';
import { createDependencyBuilder, type DependencyBuilderOptions } from '../../src/dependencies/dependency-builder.js';
import { lockDigest } from '../../src/dependencies/lock-digest.js';
import { publishOrder } from '../../src/publish/publish-order.js';
import { createCredentialResolver } from '../../src/oci/credentials.js';
import { OCI_MANIFEST_MEDIA_TYPE } from '../../src/oci/media-types.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { ChartError } from '../../src/shared/errors.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { standInArchive, startChartRepo, writeIndex } from '../support/chart-repo.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith } from '../support/publish-harness.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { readTar } from '../support/tar-entries.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';
import { scriptedFetch } from '../oci/fakes.js';
import { pushArchive } from './oci-push.js';

let registry: TestRegistry;
let privateRegistry: TestRegistry;
beforeAll(async () => {
  [registry, privateRegistry] = await Promise.all([startRegistry({ mode: 'plain' }), startRegistry({ mode: 'htpasswd' })]);
});
afterAll(async () => {
  await Promise.all([registry?.stop(), privateRegistry?.stop()]);
});

let counter = 0;
const freshNamespace = () => `deps${process.pid}/n${++counter}`;

async function push(target: TestRegistry, namespace: string, charts: Array<[string, string]>, credentials = false): Promise<void> {
  const client = new RegistryClient({
    plainHttp: true,
    ...(credentials
      ? {
          credentials: createCredentialResolver({
            explicit: { host: target.host, username: target.username!, password: target.password! },
            env: {},
            homeDir: '/nonexistent',
            processRunner: createProcessRunner(),
            logger: new MemoryLogger(),
          }),
        }
      : {}),
  });
  for (const [name, version] of charts) await pushArchive(client, target.host, namespace, await standInArchive(name, version));
}

function app(
  ws: string,
  deps: Array<{ name: string; version: string; repository: string }>,
  dir = 'app',
  name = 'app',
  version = '1.0.0',
): void {
  const lines = ['apiVersion: v2', `name: ${name}`, `version: ${version}`, 'dependencies:'];
  for (const d of deps) lines.push(`  - name: ${d.name}`, `    version: "${d.version}"`, `    repository: ${d.repository}`);
  writeTree(ws, chartFiles(dir, name, version, { 'Chart.yaml': `${lines.join('\n')}\n` }));
}

async function lock(ws: string, dir: string, versions: Record<string, string>): Promise<void> {
  const loaded = await loadChart(dir, { workspace: ws, logger: new MemoryLogger() });
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
    [`${dir}/Chart.lock`]: marshalLock({
      generated: '2026-01-01T00:00:00Z',
      digest: lockDigest(loaded.metadata.dependencies, locked),
      dependencies: locked,
    }),
  });
}

async function build(ws: string, options: Partial<DependencyBuilderOptions> = {}, dir = 'app') {
  const logger = new MemoryLogger();
  const chart = await loadChart(dir, { workspace: ws, logger });
  const builder = createDependencyBuilder({
    workspace: ws,
    cacheDir: join(ws, '.out/.dependencies'),
    logger,
    plainHttpHosts: [registry.host, privateRegistry.host],
    retry: { maxRetries: 0 },
    ...options,
  });
  return { chart: await builder.build(chart, dir), logger };
}

async function failure(promise: Promise<unknown>): Promise<ChartError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChartError);
  return error as ChartError;
}

describe('oci:// dependencies from the real Distribution registry', () => {
  it('resolves a range from the tags (strict SemVer, _ read as +) and pulls the chart layer', async () => {
    const ns = freshNamespace();
    await push(registry, ns, [
      ['lib', '1.0.0'],
      ['lib', '1.2.0'],
      ['lib', '1.3.0+build.1'],
      ['lib', '2.0.0'],
    ]);
    // A tag that is not a version is ignored, as Helm ignores it.
    const client = new RegistryClient({ plainHttp: true });
    await pushArchive(client, registry.host, ns, await standInArchive('lib', '1.9.0'), 'latest');
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '^1.0.0', repository: `oci://${registry.host}/${ns}` }]);
    const { chart, logger } = await build(ws);
    expect(chart.dependencies.map((d) => [d.metadata.name, d.metadata.version, d.location])).toEqual([
      ['lib', '1.3.0+build.1', `oci://${registry.host}/${ns}/lib:1.3.0_build.1`],
    ]);
    expect(chart.lock?.dependencies?.[0]?.version).toBe('1.3.0+build.1');
    expect(logger.messages('warning')[0]).toContain('(lib 1.3.0+build.1)');
    expect(logger.messages('info')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^lib 1\\.3\\.0\\+build\\.1: oci://${registry.host}/${ns}/lib:1\\.3\\.0_build\\.1 \\(sha256:[0-9a-f]{64}, \\d+ bytes\\)$`,
        ),
      ),
    );
  });

  it('pulls exactly the locked version, and the exact version written in Chart.yaml', async () => {
    const ns = freshNamespace();
    await push(registry, ns, [
      ['lib', '1.0.0'],
      ['lib', '1.1.0'],
      ['other', '0.5.0'],
    ]);
    const ws = tempDir();
    app(ws, [
      { name: 'lib', version: '1.x', repository: `oci://${registry.host}/${ns}/` },
      { name: 'other', version: '0.5.0', repository: `oci://${registry.host}/${ns}` },
    ]);
    await lock(ws, 'app', { lib: '1.0.0', other: '0.5.0' });
    const { chart, logger } = await build(ws);
    expect(chart.dependencies.map((d) => `${d.metadata.name} ${d.metadata.version}`)).toEqual(['lib 1.0.0', 'other 0.5.0']);
    expect(logger.messages('warning')).toEqual([]);
  });

  it('says to drop the chart name when the repository URL repeats it', async () => {
    const ns = freshNamespace();
    await push(registry, ns, [['lib', '1.0.0']]);
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '1.0.0', repository: `oci://${registry.host}/${ns}/lib` }]);
    const error = await failure(build(ws));
    expect(error.message).toBe(
      `dependency "lib" (oci://${registry.host}/${ns}/lib): oci://${registry.host}/${ns}/lib already ends with the chart name "lib": ` +
        `Helm appends /<name>:<version>, so it looks in ${registry.host}/${ns}/lib/lib, which does not exist; write repository: oci://${registry.host}/${ns}`,
    );
    expect(error).toMatchObject({ file: 'app/Chart.yaml', line: 5 });
    // The same with a range, which lists tags first.
    app(ws, [{ name: 'lib', version: '^1.0.0', repository: `oci://${registry.host}/${ns}/lib` }]);
    expect((await failure(build(ws))).message).toContain('already ends with the chart name "lib"');
  });

  it('reports a version that is not there, and a repository URL with a tag', async () => {
    const ns = freshNamespace();
    await push(registry, ns, [['lib', '1.0.0']]);
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '^1.0.0', repository: `oci://${registry.host}/${ns}` }]);
    await lock(ws, 'app', { lib: '1.4.0' });
    expect((await failure(build(ws))).message).toBe(
      `dependency "lib" (oci://${registry.host}/${ns}): version 1.4.0 (locked) not found: ${registry.host}/${ns}/lib has no tag 1.4.0`,
    );
    app(ws, [{ name: 'lib', version: '^2.0.0', repository: `oci://${registry.host}/${ns}` }]);
    rmSync(join(ws, 'app/Chart.lock'));
    expect((await failure(build(ws))).message).toBe(
      `dependency "lib" (oci://${registry.host}/${ns}): no version matching "^2.0.0" in oci://${registry.host}/${ns} (available: 1.0.0)`,
    );
    app(ws, [{ name: 'lib', version: '1.0.0', repository: `oci://${registry.host}/${ns}:1.0.0` }]);
    expect((await failure(build(ws))).message).toBe(
      `dependency "lib" (oci://${registry.host}/${ns}:1.0.0): oci://${registry.host}/${ns}:1.0.0 must not contain a tag (":1.0.0"): ` +
        `the dependency's version selects the tag; write oci://${registry.host}/${ns}`,
    );
  });

  it('needs no login for a public registry, and says what to do on a 401 from a private one', async () => {
    const ns = freshNamespace();
    await push(privateRegistry, ns, [['lib', '1.0.0']], true);
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '1.0.0', repository: `oci://${privateRegistry.host}/${ns}` }]);
    const error = await failure(build(ws));
    expect(error.message).toMatch(
      new RegExp(
        `^dependency "lib" \\(oci://${privateRegistry.host}/${ns}\\): The registry requires authentication and no credentials were found ` +
          `for ${privateRegistry.host} \\(GET .*/lib/manifests/1\\.0\\.0 → HTTP 401 → UNAUTHORIZED\\): authentication required\\. ` +
          'Looked in: dependency-credentials \\(oci:// lines\\)' +
          `; for a private registry add a line "oci://${privateRegistry.host} <username>:<password>" to the dependency-credentials input, ` +
          'or log in to it before this step \\(Docker or Helm registry config\\)$',
      ),
    );

    // dependency-credentials, by URL prefix.
    const credentials = [
      { prefix: `oci://${privateRegistry.host}/${ns}`, username: privateRegistry.username!, password: privateRegistry.password! },
    ];
    const viaInput = await build(ws, { credentials });
    expect(viaInput.chart.dependencies.map((d) => d.metadata.name)).toEqual(['lib']);
    expect(viaInput.logger.masked).toContain(privateRegistry.password);

    // The stores the push uses: here a Docker config.
    const home = tempDir();
    const auth = Buffer.from(`${privateRegistry.username}:${privateRegistry.password}`).toString('base64');
    writeTree(home, { '.docker/config.json': JSON.stringify({ auths: { [privateRegistry.host]: { auth } } }) });
    const registryCredentials = createCredentialResolver({
      env: {},
      homeDir: home,
      processRunner: createProcessRunner(),
      logger: new MemoryLogger(),
    });
    const viaStore = await build(ws, { registryCredentials });
    expect(viaStore.chart.dependencies.map((d) => d.metadata.name)).toEqual(['lib']);
  });

  it('publishes charts of one run that depend on each other, dependencies first', async () => {
    const ns = freshNamespace();
    const ws = tempDir();
    const target = `oci://${registry.host}/${ns}`;
    // app → lib (oci:// on the target, not yet published) → base (file://)
    app(ws, [{ name: 'lib', version: '~1.1.0', repository: target }], 'charts/app');
    app(ws, [{ name: 'base', version: '*', repository: 'file://../base' }], 'charts/lib', 'lib', '1.1.0');
    writeTree(ws, chartFiles('charts/base', 'base', '0.1.0'));
    const dirs = ['charts/app', 'charts/lib', 'charts/base'];
    const logger = new MemoryLogger();
    const builder = createDependencyBuilder({
      workspace: ws,
      cacheDir: join(ws, '.out/.dependencies'),
      logger,
      plainHttpHosts: [registry.host],
      run: { target: { registry: registry.host, namespace: ns }, charts: dirs },
    });
    const { report, requests } = await publishWith(ws, dirs, {
      host: registry.host,
      namespace: ns,
      concurrency: 3,
      steps: { buildDependencies: (chart, path) => builder.build(chart, path), order: publishOrder },
    });
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['app', 'published'],
      ['lib', 'published'],
      ['base', 'published'],
    ]);
    const manifestPuts = requests.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/')).map((r) => r.url.split('/v2/')[1]);
    expect(manifestPuts).toEqual([`${ns}/base/manifests/0.1.0`, `${ns}/lib/manifests/1.1.0`, `${ns}/app/manifests/1.0.0`]);

    // What the registry now serves for app contains lib, which contains base, expanded.
    const app100 = report.charts[0]!;
    const entries = readTar(gunzipSync(readFileSync(app100.package!))).map((e) => e.name);
    expect(entries).toContain('app/charts/lib/Chart.yaml');
    expect(entries).toContain('app/charts/lib/charts/base/Chart.yaml');
    expect(logger.messages('info')).toContain(`lib 1.1.0 for app: from charts/lib/, which this run publishes to ${target}`);

    // A later chart resolves lib from the registry now.
    const later = tempDir();
    app(later, [{ name: 'lib', version: '1.1.0', repository: target }]);
    const { chart } = await build(later);
    expect(chart.dependencies[0]?.location).toBe(`oci://${registry.host}/${ns}/lib:1.1.0`);
    expect(
      (await loadChartArchive(readFileSync(report.charts[1]!.package!), 'lib', new MemoryLogger())).dependencies.map(
        (d) => d.metadata.name,
      ),
    ).toEqual(['base']);
  });

  it('refuses charts of one run that depend on each other in a cycle', async () => {
    const ns = freshNamespace();
    const target = `oci://${registry.host}/${ns}`;
    const ws = tempDir();
    app(ws, [{ name: 'b', version: '2.0.0', repository: target }], 'charts/a', 'a', '2.0.0');
    app(ws, [{ name: 'a', version: '2.0.0', repository: target }], 'charts/b', 'b', '2.0.0');
    const dirs = ['charts/a', 'charts/b'];

    // Both taken from this run: the builder meets the cycle.
    const inRun = createBuilder(ws, ns, dirs);
    const { report } = await publishWith(ws, dirs, {
      host: registry.host,
      namespace: ns,
      steps: { buildDependencies: (c, p) => inRun.build(c, p), order: publishOrder },
    });
    expect(report.charts.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(report.charts[0]?.reason).toBe(
      `charts/b/Chart.yaml:5: dependency "a" (${target}): dependency cycle among the charts of this run: charts/a → charts/b → charts/a`,
    );

    // Both versions already in the registry (each downloaded from there): the publish order meets it.
    await push(registry, ns, [
      ['a', '2.0.0'],
      ['b', '2.0.0'],
    ]);
    const fromRegistry = createBuilder(ws, ns, []);
    const { report: ordered, requests } = await publishWith(ws, dirs, {
      host: registry.host,
      namespace: ns,
      steps: { buildDependencies: (c, p) => fromRegistry.build(c, p), order: publishOrder },
    });
    // Every chart of the cycle fails with the cycle, and nothing is pushed.
    expect(ordered.charts.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(ordered.charts[0]?.reason).toBe(
      'charts/a/Chart.yaml:4: dependency cycle among the charts of this run: a (charts/a) → b (charts/b) → a (charts/a); ' +
        'charts that contain each other cannot be published: remove one of the dependencies',
    );
    expect(requests.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/'))).toEqual([]);
  });

  it('orders a chart after the one it takes from this run, and not for another version of it', async () => {
    const ns = freshNamespace();
    const target = `oci://${registry.host}/${ns}`;
    await push(registry, ns, [['b', '1.0.0']]);
    const ws = tempDir();
    // a 2.0.0 needs b 1.0.0 (already published); b 2.0.0 needs a 2.0.0 (this run): a first, no cycle.
    app(ws, [{ name: 'b', version: '1.0.0', repository: target }], 'charts/a', 'a', '2.0.0');
    app(ws, [{ name: 'a', version: '2.0.0', repository: target }], 'charts/b', 'b', '2.0.0');
    const dirs = ['charts/b', 'charts/a'];
    const builder = createBuilder(ws, ns, dirs);
    const { report, requests } = await publishWith(ws, dirs, {
      host: registry.host,
      namespace: ns,
      steps: { buildDependencies: (c, p) => builder.build(c, p), order: publishOrder },
    });
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['b', 'published'],
      ['a', 'published'],
    ]);
    const manifestPuts = requests.filter((r) => r.method === 'PUT' && r.url.includes('/manifests/')).map((r) => r.url.split('/v2/')[1]);
    expect(manifestPuts).toEqual([`${ns}/a/manifests/2.0.0`, `${ns}/b/manifests/2.0.0`]);
  });
});

function createBuilder(ws: string, ns: string, charts: string[]) {
  return createDependencyBuilder({
    workspace: ws,
    cacheDir: join(ws, '.cache'),
    logger: new MemoryLogger(),
    plainHttpHosts: [registry.host],
    run: { target: { registry: registry.host, namespace: ns }, charts },
  });
}

describe('oci:// archive URLs in a chart repository index', () => {
  it("pulls them through the registry client, checks the index's digest, and refuses one without a tag", async () => {
    const ns = freshNamespace();
    await push(registry, ns, [['lib', '1.0.0']]);
    const archive = await standInArchive('lib', '1.0.0');
    const charts = await startChartRepo();
    try {
      const at = `oci://${registry.host}/${ns}/lib:1.0.0`;
      writeIndex(charts.root, [{ name: 'lib', version: '1.0.0', url: at, archive }]);
      const ws = tempDir();
      app(ws, [{ name: 'lib', version: '1.0.0', repository: charts.url }]);
      // The repository's credentials stay with it: the registry is asked with its own (none here).
      const credentials = [{ prefix: charts.url, username: 'robot', password: 's3cret' }];
      const { chart, logger } = await build(ws, { credentials });
      expect(chart.dependencies.map((d) => [d.metadata.name, d.metadata.version, d.location])).toEqual([['lib', '1.0.0', at]]);
      expect(logger.messages('info')).toContainEqual(expect.stringMatching(new RegExp(`^lib 1\\.0\\.0: ${at} \\(sha256:`)));
      expect(charts.requests.map((r) => r.path)).toEqual(['/index.yaml']);

      writeIndex(charts.root, [{ name: 'lib', version: '1.0.0', url: at, archive: Buffer.from('another archive') }]);
      const fresh = { cacheDir: join(tempDir(), 'cache') };
      expect((await failure(build(ws, fresh))).message).toMatch(
        new RegExp(
          `^dependency "lib" \\(${charts.url}\\): the index.yaml of ${charts.url} lists lib 1\\.0\\.0 at ${at}, whose chart layer is sha256:[0-9a-f]{64}, ` +
            'not the digest sha256:[0-9a-f]{64} the index gives; the repository is inconsistent or the registry serves another chart$',
        ),
      );

      const untagged = `oci://${registry.host}/${ns}/lib`;
      writeIndex(charts.root, [{ name: 'lib', version: '1.0.0', url: untagged }]);
      expect((await failure(build(ws, fresh))).message).toBe(
        `dependency "lib" (${charts.url}): the index.yaml of ${charts.url} lists lib 1.0.0 at ${untagged}, which cannot be pulled: ` +
          'it names no tag (expected oci://host[:port]/path/name:tag)',
      );
    } finally {
      await charts.stop();
    }
  });
});

describe('oci:// manifests the real registry would refuse to store', () => {
  it('a chart layer with a malformed digest is the registry artifact at fault, not an unexpected error', async () => {
    // Distribution refuses such a manifest on push, so a scripted registry serves it.
    const manifest = JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: HELM_CONFIG_MEDIA_TYPE, digest: `sha256:${'a'.repeat(64)}`, size: 2 },
      layers: [{ mediaType: HELM_CHART_MEDIA_TYPE, digest: 'sha256:NOT-HEX', size: 10 }],
    });
    const fetch = scriptedFetch([], (call) =>
      call.url === 'https://charts.example/v2/acme/lib/manifests/1.0.0'
        ? new Response(manifest, { headers: { 'content-type': OCI_MANIFEST_MEDIA_TYPE } })
        : new Response(null, { status: 404 }),
    );
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '1.0.0', repository: 'oci://charts.example/acme' }]);
    const error = await failure(build(ws, { fetch, plainHttpHosts: [] }));
    expect(error.message).toBe(
      'dependency "lib" (oci://charts.example/acme): the manifest of charts.example/acme/lib:1.0.0 gives its chart layer the digest ' +
        '"sha256:NOT-HEX", which is not "sha256:" or "sha512:" followed by lowercase hex; the artifact is malformed',
    );
    expect(error).toMatchObject({ file: 'app/Chart.yaml', line: 5 });
    expect(fetch.calls.map((c) => c.url)).toEqual(['https://charts.example/v2/acme/lib/manifests/1.0.0']);
  });
});

describe('oci:// repository URLs refused before any request', () => {
  it('credentials in the URL are refused without repeating them; a missing host is named', async () => {
    const fetch = scriptedFetch([]);
    const ws = tempDir();
    app(ws, [{ name: 'lib', version: '1.0.0', repository: 'oci://robot:s3cr3t@registry.example/acme' }]);
    const error = await failure(build(ws, { fetch }));
    expect(error.message).toBe(
      'dependency "lib" (oci://registry.example/acme): the repository URL must not contain credentials (user:password@): ' +
        'give them in the dependency-credentials input',
    );
    app(ws, [{ name: 'lib', version: '1.0.0', repository: 'oci:///acme' }]);
    expect((await failure(build(ws, { fetch }))).message).toBe(
      'dependency "lib" (oci:///acme): oci:///acme: "" is not a registry host (expected oci://host[:port]/namespace)',
    );
    expect(fetch.calls).toEqual([]);
  });
});
