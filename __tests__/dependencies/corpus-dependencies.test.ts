import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChart, missingDependencies, type LoadedChart } from '../../src/chart/chart-loader.js';
import { packageChart } from '../../src/chart/packager.js';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { lockDigest } from '../../src/dependencies/lock-digest.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { fillRepo, standInArchive, startChartRepo, type ChartRepo } from '../support/chart-repo.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { readTar, type TarEntry } from '../support/tar-entries.js';
import { tempDir } from '../support/temp-workspace.js';
import { pushArchive } from './oci-push.js';

/**
 * Real charts with dependencies from __tests__/corpus/charts, built and packaged with their
 * dependencies served locally. Each dependency is a small stand-in chart of the same name and
 * version as the real one (the real archives are not in the corpus), next to newer decoys that
 * a lock must not pick. The chart is COPIED and its repository URLs rewritten to the local
 * servers; where it has a Chart.lock, the copy's digest is recomputed with lockDigest, because
 * the digest covers the URLs (lock-digest.test.ts checks the digest of the originals).
 */

let repo: ChartRepo;
let registry: TestRegistry;
beforeAll(async () => {
  [repo, registry] = await Promise.all([startChartRepo(), startRegistry({ mode: 'plain' })]);
});
afterAll(async () => {
  await Promise.all([repo?.stop(), registry?.stop()]);
});

/** Copies a corpus chart into a fresh workspace, replacing repository URLs in its files. */
function copyChart(origin: string, urls: Record<string, string>): { ws: string; dir: string } {
  const ws = tempDir();
  const name = origin.split('/').at(-1) as string;
  cpSync(corpusPath('charts', origin), join(ws, name), { recursive: true });
  for (const file of ['Chart.yaml', 'Chart.lock', 'requirements.yaml', 'requirements.lock']) {
    let text: string;
    try {
      text = readFileSync(join(ws, name, file), 'utf8');
    } catch {
      continue;
    }
    for (const [from, to] of Object.entries(urls)) text = text.replaceAll(from, to);
    writeFileSync(join(ws, name, file), text);
  }
  return { ws, dir: name };
}

/** The copy's Chart.lock, digest recomputed for its rewritten URLs. */
async function resyncLock(ws: string, dir: string): Promise<void> {
  const chart = await loadChart(dir, { workspace: ws, logger: new MemoryLogger() });
  const file = join(ws, dir, 'Chart.lock');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/^digest: .*$/m, `digest: ${lockDigest(chart.metadata.dependencies, chart.lock!.dependencies)}`));
}

async function buildAndPackage(ws: string, dir: string) {
  const logger = new MemoryLogger();
  const chart = await loadChart(dir, { workspace: ws, logger });
  const builder = createDependencyBuilder({
    workspace: ws,
    cacheDir: join(ws, '.out/.dependencies'),
    logger,
    plainHttpHosts: [registry.host],
  });
  const built = await builder.build(chart, dir);
  expect(missingDependencies(built)).toEqual([]);
  const pkg = await packageChart(built, { outputDir: join(ws, '.out'), mtime: 1_700_000_000 });
  return { built, logger, entries: readTar(gunzipSync(readFileSync(pkg.path))) };
}

/** name → version of every subchart expanded under `<chart>/charts/<name>/` (one level). */
function expanded(entries: TarEntry[], chart: string): Record<string, string> {
  const out: Record<string, string> = {};
  const pattern = new RegExp(`^${chart}/charts/([^/]+)/Chart\\.yaml$`);
  for (const entry of entries) {
    const name = pattern.exec(entry.name)?.[1];
    if (name) out[name] = /^version: (.*)$/m.exec(entry.data.toString('utf8'))?.[1] ?? '';
  }
  return out;
}

function lockedVersions(chart: LoadedChart): Record<string, string> {
  return Object.fromEntries((chart.lock?.dependencies ?? []).map((d) => [d!.name, d!.version]));
}

describe('corpus charts with dependencies, served locally under their real names and versions', () => {
  it('prometheus-community/prometheus: four https dependencies from its Chart.lock', async () => {
    const base = `${repo.url}/prometheus-community`;
    const { ws, dir } = copyChart('prometheus-community/prometheus', { 'https://prometheus-community.github.io/helm-charts': base });
    await resyncLock(ws, dir);
    const locked = lockedVersions(await loadChart(dir, { workspace: ws, logger: new MemoryLogger() }));
    expect(locked).toEqual({
      alertmanager: '1.42.0',
      'kube-state-metrics': '8.4.0',
      'prometheus-node-exporter': '4.56.1',
      'prometheus-pushgateway': '3.8.0',
    });
    await fillRepo(join(repo.root, 'prometheus-community'), [
      ...Object.entries(locked).map(([name, version]) => ({ name, version })),
      // Newer versions the ranges accept (1.42.*, ...): the lock wins over them.
      { name: 'alertmanager', version: '1.42.9' },
      { name: 'kube-state-metrics', version: '8.4.3' },
    ]);
    const { built, entries, logger } = await buildAndPackage(ws, dir);
    expect(expanded(entries, 'prometheus')).toEqual(locked);
    expect(entries.map((e) => e.name)).toContain('prometheus/charts/prometheus-node-exporter/templates/configmap.yaml');
    expect(entries.map((e) => e.name)).toContain('prometheus/Chart.lock');
    // The committed lock is packaged as it is.
    expect(built.lock).toEqual((await loadChart(dir, { workspace: ws, logger: new MemoryLogger() })).lock);
    expect(logger.messages('warning')).toEqual([]);
    // Conditions pass through to the packaged Chart.yaml untouched.
    const chartYaml = entries.find((e) => e.name === 'prometheus/Chart.yaml')!.data.toString('utf8');
    expect(chartYaml).toContain('condition: alertmanager.enabled');
  });

  it('grafana/loki-stack: apiVersion v1, seven https dependencies in three repositories, no lock', async () => {
    const grafana = `${repo.url}/grafana`;
    const community = `${repo.url}/community`;
    const elastic = `${repo.url}/elastic`;
    const { ws, dir } = copyChart('grafana/loki-stack', {
      'https://grafana.github.io/helm-charts': grafana,
      'https://prometheus-community.github.io/helm-charts': community,
      'https://helm.elastic.co': elastic,
    });
    const v = (name: string, ...versions: string[]) => versions.map((version) => ({ name, version }));
    await fillRepo(join(repo.root, 'grafana'), [
      ...v('loki', '2.15.2', '2.16.0', '3.0.0'),
      ...v('promtail', '6.7.4', '6.17.0', '7.0.0'),
      ...v('fluent-bit', '2.3.0', '2.6.0', '3.0.0-rc.1'),
      ...v('grafana', '6.43.0', '6.43.5', '6.44.0'),
    ]);
    await fillRepo(join(repo.root, 'community'), v('prometheus', '19.7.2', '19.7.9', '19.8.0'));
    await fillRepo(join(repo.root, 'elastic'), [
      ...v('filebeat', '7.17.1', '7.17.3', '8.5.1'),
      ...v('logstash', '7.17.1', '7.17.3', '8.5.1'),
    ]);
    const { built, entries, logger } = await buildAndPackage(ws, dir);
    const newestMatching = {
      loki: '2.16.0',
      promtail: '6.17.0',
      'fluent-bit': '2.6.0',
      grafana: '6.43.5',
      prometheus: '19.7.9',
      filebeat: '7.17.3',
      logstash: '7.17.3',
    };
    expect(expanded(entries, 'loki-stack')).toEqual(newestMatching);
    expect(lockedVersions(built)).toEqual(newestMatching);
    // Helm 3 would have written requirements.lock and packaged it with requirements.yaml.
    const names = entries.map((e) => e.name);
    expect(names).toContain('loki-stack/requirements.lock');
    expect(names).toContain('loki-stack/requirements.yaml');
    expect(names).not.toContain('loki-stack/Chart.lock');
    expect(logger.entries.filter((l) => l.level === 'warning')).toEqual([
      {
        level: 'warning',
        message:
          'loki-stack has no requirements.lock: its dependencies were resolved to the newest matching versions (loki 2.16.0, promtail 6.17.0, ' +
          'fluent-bit 2.6.0, grafana 6.43.5, prometheus 19.7.9, filebeat 7.17.3, logstash 7.17.3); run "helm dependency update" and commit ' +
          'the lock file to publish exactly these versions every time',
        where: { file: 'loki-stack/requirements.yaml', line: 1, title: 'Dependencies not locked' },
      },
    ]);
  });

  it('bitnami/nginx: the oci:// common library from its Chart.lock', async () => {
    const ns = `corpus${process.pid}/bitnamicharts`;
    const client = new RegistryClient({ plainHttp: true });
    for (const version of ['2.31.4', '2.32.0']) await pushArchive(client, registry.host, ns, await standInArchive('common', version));
    const { ws, dir } = copyChart('bitnami/nginx', { 'oci://registry-1.docker.io/bitnamicharts': `oci://${registry.host}/${ns}` });
    await resyncLock(ws, dir);
    const { entries } = await buildAndPackage(ws, dir);
    expect(expanded(entries, 'nginx')).toEqual({ common: '2.31.4' });
  });

  it('bitnami/kube-prometheus: three oci:// dependencies and the in-tree file:// crds subchart', async () => {
    const ns = `corpus${process.pid}/kp/bitnamicharts`;
    const client = new RegistryClient({ plainHttp: true });
    for (const [name, version] of [
      ['node-exporter', '4.5.19'],
      ['node-exporter', '4.6.0'],
      ['kube-state-metrics', '5.1.0'],
      ['common', '2.31.4'],
    ] as const) {
      await pushArchive(client, registry.host, ns, await standInArchive(name, version));
    }
    const { ws, dir } = copyChart('bitnami/kube-prometheus', {
      'oci://registry-1.docker.io/bitnamicharts': `oci://${registry.host}/${ns}`,
    });
    await resyncLock(ws, dir);
    const { built, entries } = await buildAndPackage(ws, dir);
    expect(expanded(entries, 'kube-prometheus')).toEqual({
      common: '2.31.4',
      'kube-prometheus-crds': '0.1.0',
      'kube-state-metrics': '5.1.0',
      'node-exporter': '4.5.19',
    });
    // The crds subchart is the one in charts/, used as it is, CRD files and all.
    expect(built.dependencies.find((d) => d.metadata.name === 'kube-prometheus-crds')?.location).toBe(
      'kube-prometheus/charts/kube-prometheus-crds',
    );
    expect(entries.filter((e) => e.name.startsWith('kube-prometheus/charts/kube-prometheus-crds/crds/')).length).toBeGreaterThan(5);
  });

  it('grafana/rollout-operator: an in-tree subchart without repository needs nothing built', async () => {
    const { ws, dir } = copyChart('grafana/rollout-operator', {});
    const { built, entries, logger } = await buildAndPackage(ws, dir);
    expect(expanded(entries, 'rollout-operator')).toEqual({ crds: '0.1.0' });
    expect(built.lock).toBeNull();
    expect(entries.map((e) => e.name)).not.toContain('rollout-operator/Chart.lock');
    expect(logger.messages('warning')).toEqual([]);
  });
});
