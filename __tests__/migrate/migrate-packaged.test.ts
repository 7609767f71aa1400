import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartRepositoryClient } from '../../src/dependencies/chart-repository.js';
import { HELM_CHART_MEDIA_TYPE, HELM_PROVENANCE_MEDIA_TYPE } from '../../src/chart/oci-media-types.js';
import { repositoryPackages, workspacePackages, type ExistingPackage } from '../../src/migrate/existing-packages.js';
import { migrateCharts } from '../../src/migrate/migration-run.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RunReport } from '../../src/publish/report.js';
import { startChartRepo, writeIndex, type ChartRepo } from '../support/chart-repo.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * Real Helm-built archives (the packaged corpus and Helm's signed fixtures) migrate byte for
 * byte: served as a chart repository, and as a folder of packages in the workspace.
 */

/** Every Helm-built archive of the corpus: `packaged/<origin>/<name>-<version>/<name>-<version>.tgz`. */
function helmBuiltArchives(): string[] {
  const out: string[] = [];
  for (const origin of readdirSync(corpusPath('packaged'))) {
    for (const pair of readdirSync(corpusPath('packaged', origin))) out.push(corpusPath('packaged', origin, pair, `${pair}.tgz`));
  }
  return out;
}

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});

async function migrate(packages: ExistingPackage[], namespace: string, logger: MemoryLogger): Promise<RunReport> {
  const client = new RegistryClient({ plainHttp: true, logger });
  return migrateCharts(
    packages,
    {
      target: { registry: registry.host, namespace },
      downloadDir: join(tempDir('ocp-migrate-'), 'downloads'),
      concurrency: 4,
      charts: [],
      versions: undefined,
      dryRun: false,
      onInvalid: 'fail',
      onConflict: 'fail',
      annotations: new Map(),
      from: 'test',
    },
    {
      logger,
      canCheck: true,
      repository: (chart, push) => client.repository(chart.reference.registry, chart.reference.repository, { push }),
    },
  );
}

/** The chart layer (and provenance layer) skopeo reads back are these exact bytes. */
async function expectByteForByte(namespace: string, report: RunReport, files: Map<string, string>): Promise<void> {
  const skopeo = skopeoFor(registry);
  for (const chart of report.charts) {
    const file = files.get(`${chart.name}-${chart.version}.tgz`);
    if (!file) throw new Error(`no file for ${chart.name} ${chart.version}`);
    const dir = tempDir('ocp-layout-');
    const digest = await skopeo.copyToOciLayout(`${namespace}/${chart.name}:${chart.tag}`, dir);
    const blob = (d: string) => readFileSync(join(dir, 'blobs', 'sha256', d.slice('sha256:'.length)));
    const manifest = JSON.parse(blob(digest).toString('utf8')) as { layers: Array<{ mediaType: string; digest: string }> };
    const layer = manifest.layers.find((l) => l.mediaType === HELM_CHART_MEDIA_TYPE);
    expect(blob(layer?.digest ?? '').equals(readFileSync(file)), `${chart.name} chart layer`).toBe(true);
    const prov = manifest.layers.find((l) => l.mediaType === HELM_PROVENANCE_MEDIA_TYPE);
    let expected: Buffer | undefined;
    try {
      expected = readFileSync(`${file}.prov`);
    } catch {
      expected = undefined;
    }
    if (expected) expect(blob(prov?.digest ?? '').equals(expected), `${chart.name} provenance layer`).toBe(true);
    else expect(prov).toBeUndefined();
  }
}

describe('Helm-built archives', () => {
  it('served as a chart repository, migrate byte for byte', async () => {
    const archives = [...helmBuiltArchives(), corpusPath('helm-testdata', 'signtest-0.1.0.tgz')];
    let repo: ChartRepo | undefined;
    try {
      repo = await startChartRepo();
      const root = repo.root;
      const items = archives.map((file) => {
        const name = basename(file);
        copyFileSync(file, join(root, name));
        if (name.startsWith('signtest')) copyFileSync(`${file}.prov`, join(root, `${name}.prov`));
        const [, chart = '', version = ''] = /^(.*)-(\d+\.\d+\.\d+)\.tgz$/.exec(name) ?? [];
        return { name: chart, version, url: name, archive: readFileSync(file) };
      });
      writeIndex(root, items);
      const logger = new MemoryLogger();
      const packages = await repositoryPackages(new ChartRepositoryClient({ logger, credentials: [] }), repo.url, logger);
      const report = await migrate(packages, 'corpus/served', logger);
      expect(report.charts.map((c) => `${c.name} ${c.version}: ${c.status} ${c.reason ?? ''}`).sort()).toEqual(
        items.map((i) => `${i.name} ${i.version}: published `).sort(),
      );
      await expectByteForByte('corpus/served', report, new Map(archives.map((f) => [basename(f), f])));
    } finally {
      await repo?.stop();
    }
  });

  it('packages: a folder of existing .tgz and .prov files is pushed the same way', async () => {
    const ws = tempDir('ocp-packages-');
    mkdirSync(join(ws, 'dist', 'old'), { recursive: true });
    const files = new Map<string, string>();
    for (const source of [
      corpusPath('helm-testdata', 'signtest-0.1.0.tgz'),
      corpusPath('helm-testdata', 'provenance', 'hashtest-1.2.3.tgz'),
    ]) {
      const target = join(ws, 'dist', basename(source));
      copyFileSync(source, target);
      copyFileSync(`${source}.prov`, `${target}.prov`);
      files.set(basename(source), target);
    }
    for (const source of helmBuiltArchives().slice(0, 2)) {
      const target = join(ws, 'dist', 'old', basename(source));
      copyFileSync(source, target);
      files.set(basename(source), target);
    }
    const logger = new MemoryLogger();
    const packages = await workspacePackages(ws, ['dist', 'dist/old/*.tgz']);
    expect(packages.map((p) => p.location)).toEqual([
      'dist/hashtest-1.2.3.tgz',
      ...helmBuiltArchives()
        .slice(0, 2)
        .map((f) => `dist/old/${basename(f)}`)
        .sort(),
      'dist/signtest-0.1.0.tgz',
    ]);
    const report = await migrate(packages, 'corpus/files', logger);
    expect(report.charts.every((c) => c.status === 'published')).toBe(true);
    expect(report.charts.find((c) => c.name === 'signtest')?.package).toBe(join(ws, 'dist', 'signtest-0.1.0.tgz'));
    await expectByteForByte('corpus/files', report, files);

    // Pushing the folder again uploads nothing.
    const again = await migrate(await workspacePackages(ws, ['dist/**/*.tgz']), 'corpus/files', logger);
    expect(again.charts.map((c) => c.status)).toEqual(Array(4).fill('unchanged'));
  });

  it('packages: a glob that matches no .tgz is an input error', async () => {
    const ws = tempDir('ocp-packages-');
    await expect(workspacePackages(ws, ['dist/*.tgz'])).rejects.toThrow(
      'Input "packages": "dist/*.tgz" matches no .tgz file in the workspace',
    );
    await expect(workspacePackages(ws, ['../elsewhere/*.tgz'])).rejects.toThrow(/outside the workspace/);
    await expect(workspacePackages(ws, ['!dist/old/*.tgz'])).rejects.toThrow('Input "packages": only excludes');
  });
});
