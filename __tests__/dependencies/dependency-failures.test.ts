import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { marshalLock, type Dependency } from '../../src/chart/metadata.js';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { lockDigest } from '../../src/dependencies/lock-digest.js';
import { ChartError } from '../../src/shared/errors.js';
import { fillRepo, standInArchive, startChartRepo, type ChartRepo } from '../support/chart-repo.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith } from '../support/publish-harness.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});
const servers: ChartRepo[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
async function repo(): Promise<ChartRepo> {
  const server = await startChartRepo();
  servers.push(server);
  return server;
}

/** charts/app with these dependencies, one entry of three lines each (the first `- name:` is on line 5). */
function dependent(ws: string, deps: Array<{ name: string; version: string; repository: string }>): void {
  const lines = ['apiVersion: v2', 'name: app', 'version: 1.0.0', 'dependencies:'];
  for (const d of deps) lines.push(`  - name: ${d.name}`, `    version: "${d.version}"`, `    repository: ${d.repository}`);
  writeTree(ws, chartFiles('app', 'app', '1.0.0', { 'Chart.yaml': `${lines.join('\n')}\n` }));
}

async function lock(ws: string, versions: Record<string, string>): Promise<void> {
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

function builder(ws: string, logger: MemoryLogger) {
  return createDependencyBuilder({
    workspace: ws,
    cacheDir: join(ws, '.out/.dependencies'),
    logger,
    retry: { maxRetries: 0 },
    plainHttpHosts: [registry.host],
  });
}

describe('every failing dependency of a chart is reported, once each, with a remedy', () => {
  it('an unreachable repository (two dependencies), a missing chart and a missing OCI repository in one error', async () => {
    const gone = await startChartRepo();
    await gone.stop();
    const live = await repo();
    await fillRepo(live.root, [{ name: 'present', version: '1.0.0' }]);
    const ws = tempDir();
    dependent(ws, [
      { name: 'a', version: '1.x', repository: `${gone.url}/charts` },
      { name: 'b', version: '2.x', repository: `${gone.url}/charts` },
      { name: 'c', version: '1.x', repository: live.url },
      { name: 'd', version: '1.0.0', repository: `oci://${registry.host}/nobody-pushed-here` },
    ]);
    const logger = new MemoryLogger();
    const chart = await loadChart('app', { workspace: ws, logger });

    const error = await builder(ws, logger)
      .build(chart, 'app')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChartError);
    const { message, file, line } = error as ChartError;
    expect(file).toBe('app/Chart.yaml');
    expect(line).toBe(5);
    expect(message).toMatch(/^4 of the 4 dependencies of app cannot be built: /);
    // The unreachable host and its error code are said once, for both dependencies on it.
    expect(message).toContain(`"a", "b" (${gone.url}/charts, Chart.yaml lines 5, 8): cannot reach the chart repository ${gone.url}/charts`);
    expect(message.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(message.split('cannot reach the chart repository').length - 1).toBe(1);
    expect(message).toContain(`"c" (${live.url}, Chart.yaml line 11): chart "c" not found in ${live.url}`);
    expect(message).toContain(`"d" (oci://${registry.host}/nobody-pushed-here, Chart.yaml line 14): `);
    expect(message).toContain('run "helm dependency build" in app and commit charts/*.tgz');
    expect(message).toContain("check the runner's network and proxy settings");
    expect(message).toContain('dependency-credentials input');
  });

  it('one failing dependency keeps its own message; a network failure also logs the remedy', async () => {
    const gone = await startChartRepo();
    await gone.stop();
    const live = await repo();
    await fillRepo(live.root, [{ name: 'ok', version: '1.0.0' }]);
    const ws = tempDir();
    dependent(ws, [
      { name: 'ok', version: '1.x', repository: live.url },
      { name: 'a', version: '1.x', repository: `${gone.url}/charts` },
    ]);
    const logger = new MemoryLogger();
    const chart = await loadChart('app', { workspace: ws, logger });
    const error = (await builder(ws, logger)
      .build(chart, 'app')
      .catch((e: unknown) => e)) as ChartError;
    expect(error.message).toMatch(new RegExp(`^dependency "a" \\(${gone.url}/charts\\): cannot reach the chart repository`));
    expect(error.line).toBe(8);
    expect(logger.entries.filter((e) => e.message.includes('helm dependency build'))).toHaveLength(1);
  });
});

describe('vendored archives that contradict the lock', () => {
  it('warn on the Chart.lock line when charts/ holds another version than the locked one', async () => {
    const live = await repo();
    await fillRepo(live.root, [{ name: 'lib', version: '1.42.0' }]);
    const ws = tempDir();
    dependent(ws, [{ name: 'lib', version: '1.x', repository: live.url }]);
    await lock(ws, { lib: '1.42.0' });
    writeTree(ws, { 'app/charts/lib-1.41.0.tgz': await standInArchive('lib', '1.41.0') });

    const { report, logger } = await publishWith(ws, ['app'], { host: registry.host, namespace: 'vendored', dryRun: true });

    expect(report.charts.map((c) => c.status)).toEqual(['dry-run']);
    const warnings = logger.entries.filter((e) => e.level === 'warning' && e.message.includes('locks lib 1.42.0'));
    expect(warnings).toHaveLength(1);
    // Chart.lock as Helm writes it: "dependencies:", then "- name: lib" on line 2.
    expect(warnings[0]!.where).toMatchObject({ file: 'app/Chart.lock', line: 2 });
    expect(warnings[0]!.message).toContain('app/charts/lib-1.41.0.tgz is version 1.41.0');
    expect(warnings[0]!.message).toContain('the package carries 1.41.0');
    // Nothing was downloaded: like Helm, the run packages what charts/ holds.
    expect(live.requests).toEqual([]);
  });

  it('say nothing when charts/ holds the locked version', async () => {
    const ws = tempDir();
    dependent(ws, [{ name: 'lib', version: '1.x', repository: 'https://charts.example.invalid' }]);
    await lock(ws, { lib: '1.42.0' });
    writeTree(ws, { 'app/charts/lib-1.42.0.tgz': await standInArchive('lib', '1.42.0') });
    const { logger } = await publishWith(ws, ['app'], { host: registry.host, namespace: 'vendored', dryRun: true });
    expect(logger.entries.filter((e) => e.level === 'warning')).toEqual([]);
  });
});
