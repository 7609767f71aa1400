import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { runChartChecks } from '../../src/publish/chart-checks.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

const SCHEMA = JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer' } } });

async function checked(files: Record<string, string>, schema: boolean) {
  const workspace = tempDir();
  writeTree(workspace, files);
  const logger = new MemoryLogger();
  const chart = await loadChart('demo', { workspace, logger });
  const result = await runChartChecks(chart, 'demo', { workspace, dryRun: true, logger, options: { schema } });
  return { result, debug: logger.entries.filter((e) => e.level === 'debug').map((e) => e.message) };
}

describe('the values-schema gate says what it did', () => {
  it('a chart without values.schema.json: nothing to check, and no claim that the check is off', async () => {
    const { debug } = await checked(chartFiles('demo', 'demo'), true);
    expect(debug.filter((m) => m.includes('values.schema.json'))).toEqual([]);
  });

  it('a chart with values.schema.json and check-schema: false: said at debug level', async () => {
    const { debug } = await checked({ ...chartFiles('demo', 'demo'), 'demo/values.schema.json': SCHEMA }, false);
    expect(debug).toContain('demo: values.schema.json not checked (check-schema: false)');
  });
});

describe('the Artifact Hub annotation lint runs for the charts that have such annotations', () => {
  const withAnnotations = (annotations: string) => ({
    ...chartFiles('demo', 'demo'),
    'demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\nannotations:\n${annotations}`,
  });

  it('a license that is not an SPDX identifier fails the dry-run, on its Chart.yaml line', async () => {
    const workspace = tempDir();
    writeTree(workspace, withAnnotations('  example.com/team: web\n  artifacthub.io/license: Apache 2\n'));
    const logger = new MemoryLogger();
    const chart = await loadChart('demo', { workspace, logger });
    const run = runChartChecks(chart, 'demo', { workspace, dryRun: true, logger });
    await expect(run).rejects.toMatchObject({ file: 'demo/Chart.yaml', line: 6 });
    await expect(run).rejects.toThrow(/not an SPDX license identifier/);
  });

  it('valid annotations are counted in the notes; other annotations alone are not linted', async () => {
    const { result } = await checked(withAnnotations('  artifacthub.io/license: Apache-2.0\n  artifacthub.io/prerelease: "false"\n'), true);
    expect(result.notes).toContain('Artifact Hub annotations: 2 checked, all parse');
    const other = await checked(withAnnotations('  example.com/team: web\n'), true);
    expect(other.result.notes).toEqual([]);
  });
});
