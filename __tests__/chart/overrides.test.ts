import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { lintOnlyProblems, marshalChartYaml, metadataJson } from '../../src/chart/metadata.js';
import { applyOverrides, versionOverrides } from '../../src/chart/overrides.js';
import { ChartError, InputError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

function workspace(version: string, extra: Record<string, string> = {}): string {
  const ws = tempDir();
  writeTree(ws, chartFiles('charts/app', 'app', version, extra));
  return ws;
}

const load = (ws: string) => loadChart('charts/app', { workspace: ws, logger: new MemoryLogger() });

describe('version and app-version overrides (helm package --version/--app-version)', () => {
  it('replaces both fields in the Chart.yaml written to the package and in the config blob, not on disk', async () => {
    const ws = workspace('v0.0.0');
    const before = readFileSync(join(ws, 'charts/app/Chart.yaml'), 'utf8');
    const chart = applyOverrides(await load(ws), { version: 'v1.2.3', appVersion: 'v1.2.3' });
    expect(marshalChartYaml(chart.metadata)).toBe('apiVersion: v2\nappVersion: v1.2.3\nname: app\nversion: v1.2.3\n');
    expect(JSON.parse(metadataJson(chart.metadata))).toMatchObject({ version: 'v1.2.3', appVersion: 'v1.2.3' });
    expect(readFileSync(join(ws, 'charts/app/Chart.yaml'), 'utf8')).toBe(before);
  });

  it('leaves the chart as loaded without overrides, and keeps Chart.yaml typing problems of fields not overridden', async () => {
    const ws = workspace('1.10', { 'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.10\nappVersion: 2.0\n' });
    const loaded = await load(ws);
    expect(applyOverrides(loaded, {})).toBe(loaded);
    // A YAML-number version no longer matters once the input gives the version; appVersion still does.
    const chart = applyOverrides(loaded, { version: '1.10.0' });
    expect(lintOnlyProblems(chart.metadata, chart.source).map((p) => p.problem.message)).toEqual([
      'appVersion is written as a YAML number, which Helm reads and publishes as "2"; quote it, e.g. appVersion: "2" (helm lint refuses it; helm package accepts it)',
    ]);
  });

  it('still requires Chart.yaml to hold a valid version, as Helm loads it before the override', async () => {
    const ws = workspace('${VERSION}', { 'Chart.yaml': 'apiVersion: v2\nname: app\nversion: ${VERSION}\n' });
    await expect(load(ws)).rejects.toThrow(ChartError);
    await expect(load(ws)).rejects.toThrow('chart.metadata.version "${VERSION}" is invalid');
  });
});

describe('version input errors', () => {
  it.each([
    [`1.0.0-${'a'.repeat(30_000)}`, 'is longer than the 128 characters an OCI tag allows'],
    [`1.0.0-${'a'.repeat(30_000)}!`, 'is not a chart version Helm accepts'],
  ])('a long version is quoted shortened, so that the reason stays visible', (version, reason) => {
    const error = (() => {
      try {
        versionOverrides(version, '');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toContain(reason);
    expect(error?.message.length).toBeLessThan(500);
  });
});
