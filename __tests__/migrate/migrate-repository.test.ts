import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ChartRepositoryClient } from '../../src/dependencies/chart-repository.js';
import { HELM_CHART_MEDIA_TYPE, HELM_PROVENANCE_MEDIA_TYPE } from '../../src/chart/oci-media-types.js';
import { repositoryPackages } from '../../src/migrate/existing-packages.js';
import { MIGRATED_FROM_ANNOTATION, migrateCharts, type MigrationOptions } from '../../src/migrate/migration-run.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RunReport } from '../../src/publish/report.js';
import { startChartRepo, standInArchive, type ChartRepo } from '../support/chart-repo.js';
import { corpusPath } from '../support/corpus.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { GpgHome } from '../support/gpg.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { DeadlineError } from '../../src/shared/deadline.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * A classic chart repository served on 127.0.0.1 behind Basic auth, migrated into the real
 * Distribution registry (through a proxy that counts what reaches it), and checked with skopeo
 * and gpg: every chart layer is the served archive, every provenance layer the served .prov.
 */

const AUTH = { username: 'reader', password: 's3cret-repo' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let registry: TestRegistry;
let proxy: FaultProxy;
let repo: ChartRepo;
/** What the repository serves, by chart and version. */
const served = new Map<string, { archive: Buffer; prov?: Buffer; url: string }>();

beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  proxy = await startFaultProxy({ target: registry.url });
  repo = await startChartRepo({ auth: AUTH });
  const helm = (file: string) => readFileSync(corpusPath('helm-testdata', file));
  const provenance = (file: string) => readFileSync(corpusPath('helm-testdata', 'provenance', file));
  const files: Record<string, Buffer> = {
    // Relative URL, signed by Helm's test key.
    'charts/signtest-0.1.0.tgz': helm('signtest-0.1.0.tgz'),
    'charts/signtest-0.1.0.tgz.prov': helm('signtest-0.1.0.tgz.prov'),
    // Absolute URL, signed too.
    'elsewhere/hashtest-1.2.3.tgz': provenance('hashtest-1.2.3.tgz'),
    'elsewhere/hashtest-1.2.3.tgz.prov': provenance('hashtest-1.2.3.tgz.prov'),
    'charts/old-0.9.0.tgz': await standInArchive('old', '0.9.0'),
    'charts/plus-1.0.0+build.7.tgz': await standInArchive('plus', '1.0.0+build.7'),
    'charts/tampered-2.0.0.tgz': await standInArchive('tampered', '2.0.0'),
    'charts/latest.tgz': await standInArchive('odd', '1.0.0'),
    'charts/MyChart-1.0.0.tgz': await standInArchive('MyChart', '1.0.0'),
  };
  writeTree(repo.root, files);
  const entry = (name: string, version: string, url: string, file: string, extra: Record<string, unknown> = {}) => {
    const archive = files[file] as Buffer;
    served.set(`${name} ${version}`, { archive, ...(files[`${file}.prov`] ? { prov: files[`${file}.prov`] } : {}), url });
    return { apiVersion: 'v2', name, version, created: '2026-01-01T00:00:00Z', urls: [url], digest: sha256(archive), ...extra };
  };
  const index = {
    apiVersion: 'v1',
    entries: {
      signtest: [entry('signtest', '0.1.0', 'charts/signtest-0.1.0.tgz', 'charts/signtest-0.1.0.tgz')],
      hashtest: [entry('hashtest', '1.2.3', `${repo.url}/elsewhere/hashtest-1.2.3.tgz`, 'elsewhere/hashtest-1.2.3.tgz')],
      old: [entry('old', '0.9.0', 'charts/old-0.9.0.tgz', 'charts/old-0.9.0.tgz', { deprecated: true })],
      plus: [entry('plus', '1.0.0+build.7', 'charts/plus-1.0.0+build.7.tgz', 'charts/plus-1.0.0+build.7.tgz')],
      tampered: [entry('tampered', '2.0.0', 'charts/tampered-2.0.0.tgz', 'charts/tampered-2.0.0.tgz', { digest: 'ab'.repeat(32) })],
      odd: [entry('odd', 'latest', 'charts/latest.tgz', 'charts/latest.tgz')],
      MyChart: [entry('MyChart', '1.0.0', 'charts/MyChart-1.0.0.tgz', 'charts/MyChart-1.0.0.tgz')],
    },
    generated: '2026-01-01T00:00:00Z',
  };
  writeFileSync(join(repo.root, 'index.yaml'), stringify(index));
});

afterAll(async () => {
  await repo?.stop();
  await proxy?.close();
  await registry?.stop();
});

let counter = 0;
const freshNamespace = () => `migrated${process.pid}/run${++counter}`;

async function migrate(
  namespace: string,
  options: Partial<MigrationOptions> = {},
  repositoryUrl = repo.url,
): Promise<{ report: RunReport; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  const repositoryClient = new ChartRepositoryClient({
    logger,
    credentials: [{ prefix: repositoryUrl, username: AUTH.username, password: AUTH.password }],
    retry: { maxRetries: 0 },
  });
  const packages = await repositoryPackages(repositoryClient, `${repositoryUrl}/`, logger);
  const client = new RegistryClient({ plainHttp: true, logger });
  const report = await migrateCharts(
    packages,
    {
      target: { registry: proxy.host, namespace },
      downloadDir: join(tempDir('ocp-migrate-'), 'downloads'),
      concurrency: 3,
      charts: [],
      versions: undefined,
      dryRun: false,
      onInvalid: 'skip',
      onConflict: 'fail',
      repositoryUrl: 'https://github.com/acme/charts',
      annotations: new Map(),
      from: repo.url,
      ...options,
    },
    {
      logger,
      canCheck: true,
      repository: (chart, push) => client.repository(chart.reference.registry, chart.reference.repository, { push }),
    },
  );
  return { report, logger };
}

const statuses = (report: RunReport) => Object.fromEntries(report.charts.map((c) => [`${c.name} ${c.version}`, c.status]));
const writes = () => proxy.count('POST') + proxy.count('PUT') + proxy.count('PATCH');

interface LayoutLayer {
  mediaType: string;
  digest: string;
}

/** Copies a pushed chart out with skopeo; returns its manifest and a reader of its blobs. */
async function copyOut(reference: string) {
  const dir = tempDir('ocp-layout-');
  const digest = await skopeoFor({ ...registry, host: proxy.host }).copyToOciLayout(reference, dir);
  const blob = (d: string) => readFileSync(join(dir, 'blobs', 'sha256', d.slice('sha256:'.length)));
  const manifest = JSON.parse(blob(digest).toString('utf8')) as { layers: LayoutLayer[]; annotations: Record<string, string> };
  const layer = (mediaType: string) => manifest.layers.find((l) => l.mediaType === mediaType);
  return { digest, manifest, blob, layer, dir };
}

describe('migrating a classic chart repository', () => {
  it('pushes every migratable version byte for byte and reports the others', async () => {
    const namespace = freshNamespace();
    const { report, logger } = await migrate(namespace);
    expect(statuses(report)).toEqual({
      'signtest 0.1.0': 'published',
      'hashtest 1.2.3': 'published',
      'old 0.9.0': 'published',
      'plus 1.0.0+build.7': 'published',
      'tampered 2.0.0': 'failed',
      'odd latest': 'failed',
      'MyChart 1.0.0': 'failed',
    });
    const byName = new Map(report.charts.map((c) => [c.name, c]));
    expect(byName.get('tampered')?.reason).toMatch(/index\.yaml says abab/);
    expect(byName.get('odd')?.reason).toMatch(/version "latest" is not SemVer/);
    expect(byName.get('MyChart')?.reason).toMatch(/chart name "MyChart" cannot be an OCI repository name/);
    expect(byName.get('plus')?.tag).toBe('1.0.0_build.7');
    expect(byName.get('old')?.deprecated).toBe(true);
    expect(report.selection).toMatch(/7 version\(s\) of 7 chart\(s\).*1 of them deprecated; 3 cannot be migrated/);
    // Progress: N of M, with bytes.
    expect(logger.text()).toMatch(/\[7\/7\] .*\(\d+ bytes so far\)/);
    expect(logger.text()).not.toContain('.prov does not name');
    expect(logger.text()).toMatch(/\[4\/4\] .*: published \(\d+ bytes uploaded so far\)/);

    // Every request to the chart repository was authenticated; none was refused.
    expect(repo.requests.every((r) => r.user === AUTH.username && r.status !== 401)).toBe(true);
    expect(repo.requests.some((r) => r.path === '/elsewhere/hashtest-1.2.3.tgz.prov')).toBe(true);

    const gpg = GpgHome.create();
    try {
      const keyring = corpusPath('helm-testdata', 'provenance', 'helm-test-key.pub');
      for (const chart of report.charts.filter((c) => c.status === 'published')) {
        const source = served.get(`${chart.name} ${chart.version}`);
        if (!source) throw new Error(`nothing served for ${chart.name}`);
        const out = await copyOut(`${namespace}/${chart.name}:${chart.tag}`);
        expect(out.digest).toBe(chart.digest);
        const layer = out.layer(HELM_CHART_MEDIA_TYPE);
        expect(layer?.digest).toBe(`sha256:${sha256(source.archive)}`);
        expect(out.blob(layer?.digest ?? '').equals(source.archive)).toBe(true);
        expect(out.manifest.annotations[MIGRATED_FROM_ANNOTATION]).toBe(new URL(source.url, `${repo.url}/`).href);
        expect(out.manifest.annotations['org.opencontainers.image.version']).toBe(chart.version);
        const prov = out.layer(HELM_PROVENANCE_MEDIA_TYPE);
        if (!source.prov) {
          expect(prov).toBeUndefined();
          continue;
        }
        const provBytes = out.blob(prov?.digest ?? '');
        expect(provBytes.equals(source.prov)).toBe(true);
        const file = join(out.dir, `${chart.name}.prov`);
        writeFileSync(file, provBytes);
        const verified = await gpg.gpgv(keyring, file);
        expect(verified.exitCode, verified.stderr).toBe(0);
      }
    } finally {
      gpg.dispose();
    }

    // The config blob is what `helm push` makes of the archive: Helm's own golden vector.
    const config = await skopeoFor({ ...registry, host: proxy.host }).inspectConfigRaw(`${namespace}/signtest:0.1.0`);
    expect(config.toString('utf8')).toBe(
      '{"name":"signtest","version":"0.1.0","description":"A Helm chart for Kubernetes","apiVersion":"v1"}',
    );

    // Running it again uploads nothing: every migrated version is unchanged, at one HEAD each.
    const before = writes();
    const seen = proxy.requests.length;
    const again = await migrate(namespace);
    expect(writes()).toBe(before);
    expect(proxy.requests.slice(seen).map((r) => `${r.method} ${r.status}`)).toEqual(Array(4).fill('HEAD 200'));
    expect(again.report.charts.filter((c) => c.status !== 'failed').map((c) => c.status)).toEqual(Array(4).fill('unchanged'));
  });

  it('pushes nothing when a selected version cannot be migrated, under on-invalid: fail', async () => {
    const namespace = freshNamespace();
    const before = writes();
    const { report } = await migrate(namespace, { onInvalid: 'fail' });
    expect(writes()).toBe(before);
    const ready = report.charts.filter((c) => c.status !== 'failed');
    expect(ready.map((c) => c.status)).toEqual(Array(4).fill('skipped'));
    expect(ready[0]?.reason).toMatch(/not pushed: 3 selected version\(s\) cannot be migrated/);
  });

  it('migrates part of the repository with migrate-charts and migrate-versions, and then nothing invalid stops it', async () => {
    const { parseConstraint } = await import('../../src/chart/go/version-constraints.js');
    const namespace = freshNamespace();
    const { report } = await migrate(namespace, {
      onInvalid: 'fail',
      charts: ['hashtest', 'plus', 'signtest'],
      versions: parseConstraint('>=1.0.0'),
    });
    expect(statuses(report)).toEqual({ 'hashtest 1.2.3': 'published', 'plus 1.0.0+build.7': 'published' });
  });

  it('a dry-run downloads, checks and reports, and pushes nothing', async () => {
    const namespace = freshNamespace();
    const before = writes();
    const { report } = await migrate(namespace, { dryRun: true });
    expect(writes()).toBe(before);
    const strict = await migrate(namespace, { dryRun: true, onInvalid: 'fail' });
    expect(strict.report.charts.find((c) => c.name === 'plus')?.reason).toBe(
      'new version: would be published; but nothing would be pushed: 3 selected version(s) cannot be migrated (on-invalid: fail)',
    );
    expect(report.charts.filter((c) => c.status !== 'failed').map((c) => [c.name, c.status, c.reason])).toEqual([
      ['hashtest', 'dry-run', 'new version: would be published'],
      ['old', 'dry-run', 'new version: would be published'],
      ['plus', 'dry-run', 'new version: would be published'],
      ['signtest', 'dry-run', 'new version: would be published'],
    ]);
    // What the summary says of each: checked, and new.
    expect(report.charts.filter((c) => c.status !== 'failed').map((c) => c.wouldBe)).toEqual([
      'published',
      'published',
      'published',
      'published',
    ]);
  });
});

describe('the run deadline', () => {
  it('once it has fired, no version is started: each says so, nothing is downloaded or pushed', async () => {
    const limit = new DeadlineError(`the run's time limit (input "timeout": 1 minute(s)) was reached`);
    const before = { repository: repo.requests.length, registry: proxy.requests.length };
    for (const dryRun of [false, true]) {
      const { report } = await migrate(freshNamespace(), { dryRun, signal: AbortSignal.abort(limit), charts: ['signtest', 'old'] });
      expect(report.charts.map((c) => [c.name, c.status, c.reason])).toEqual([
        ['old', 'failed', `not started: ${limit.message}`],
        ['signtest', 'failed', `not started: ${limit.message}`],
      ]);
    }
    // The index of each run, and nothing more.
    expect(repo.requests.slice(before.repository).map((r) => r.path)).toEqual(['/index.yaml', '/index.yaml']);
    expect(proxy.requests.length).toBe(before.registry);
  });
});

describe('what the repository or the registry refuses', () => {
  it('a .prov the repository refuses (other than 404) is reported for that version', async () => {
    const front = await startFaultProxy({
      target: repo.url,
      rules: [{ path: /^\/charts\/signtest-0\.1\.0\.tgz\.prov$/, fault: { kind: 'status', status: 403, body: 'forbidden' } }],
    });
    try {
      const { report } = await migrate(freshNamespace(), { charts: ['signtest', 'old'] }, front.url);
      expect(report.charts.map((c) => [c.name, c.status, c.reason])).toEqual([
        ['old', 'published', undefined],
        ['signtest', 'failed', expect.stringMatching(/cannot download its \.prov: .*HTTP 403 Forbidden/)],
      ]);
    } finally {
      await front.close();
    }
  });

  it('a conflict among the versions stops the migration before anything is pushed (on-invalid: fail)', async () => {
    const namespace = freshNamespace();
    await migrate(namespace, { charts: ['old'] });
    const other = await standInArchive('old', '0.9.0', { 'templates/extra.yaml': 'kind: ConfigMap\n' });
    const fresh = await standInArchive('fresh', '1.0.0');
    const front = await startChartRepo({ auth: AUTH });
    try {
      writeTree(front.root, { 'old-0.9.0.tgz': other, 'fresh-1.0.0.tgz': fresh });
      writeFileSync(
        join(front.root, 'index.yaml'),
        stringify({
          apiVersion: 'v1',
          entries: {
            fresh: [{ name: 'fresh', version: '1.0.0', urls: ['fresh-1.0.0.tgz'] }],
            old: [{ name: 'old', version: '0.9.0', urls: ['old-0.9.0.tgz'] }],
          },
        }),
      );
      // Every version is looked up before the first write: the conflict is found, nothing is pushed.
      const before = writes();
      const strict = await migrate(namespace, { onInvalid: 'fail' }, front.url);
      expect(writes()).toBe(before);
      expect(statuses(strict.report)).toEqual({ 'fresh 1.0.0': 'skipped', 'old 0.9.0': 'failed' });
      expect(strict.report.blocked).toMatch(/^1 of 2 version\(s\) failed against the registry \(a conflict, or a look-up it refused\)/);
      expect(strict.report.charts.find((c) => c.name === 'fresh')?.reason).toMatch(
        /^not pushed: 1 of 2 version\(s\) failed against the registry/,
      );
      // on-invalid: skip pushes the version that does not conflict.
      const lenient = await migrate(namespace, { onInvalid: 'skip' }, front.url);
      expect(statuses(lenient.report)).toEqual({ 'fresh 1.0.0': 'published', 'old 0.9.0': 'failed' });
      expect(lenient.report.blocked).toBeUndefined();
    } finally {
      await front.stop();
    }
  });

  it('a version already in the registry with other content follows on-conflict', async () => {
    const namespace = freshNamespace();
    const first = await migrate(namespace, { charts: ['old'] });
    expect(first.report.charts.map((c) => c.status)).toEqual(['published']);
    // The same name and version, other files: e.g. re-packaged after it was first published.
    const other = await standInArchive('old', '0.9.0', { 'templates/extra.yaml': 'kind: ConfigMap\n' });
    const front = await startChartRepo({ auth: AUTH });
    try {
      writeTree(front.root, { 'old-0.9.0.tgz': other });
      writeFileSync(
        join(front.root, 'index.yaml'),
        stringify({ apiVersion: 'v1', entries: { old: [{ name: 'old', version: '0.9.0', urls: ['old-0.9.0.tgz'] }] } }),
      );
      const before = writes();
      const { report } = await migrate(namespace, {}, front.url);
      expect(writes()).toBe(before);
      expect(report.charts.map((c) => [c.status, c.digest])).toEqual([['failed', first.report.charts[0]?.digest]]);
      expect(report.charts[0]?.reason).toMatch(
        /already published as sha256:\w+ with different chart content \(templates\/extra.yaml is new\); published versions are immutable: compare the two, then set on-conflict/,
      );
    } finally {
      await front.stop();
    }
  });
});
