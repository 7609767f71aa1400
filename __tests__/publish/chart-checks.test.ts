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
