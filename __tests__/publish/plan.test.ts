import { describe, expect, it } from 'vitest';
import { publishCharts } from '../../src/publish/run.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { tempDir } from '../support/temp-workspace.js';

describe('planning without a dependency builder', () => {
  it("fails charts whose dependencies are not in charts/ with Helm's message, on the dependencies line", async () => {
    const logger = new MemoryLogger();
    const report = await publishCharts(
      ['bitnami/nginx', 'grafana/loki-stack', 'grafana/rollout-operator'],
      {
        workspace: corpusPath('charts'),
        target: { registry: 'ghcr.io', namespace: 'acme/charts' },
        dryRun: true,
        outputDir: tempDir(),
        sourceDateEpoch: '0',
        concurrency: 2,
        onConflict: 'fail',
      },
      { logger, git: createProcessRunner() },
    );
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['nginx', 'failed'],
      ['loki-stack', 'failed'],
      ['rollout-operator', 'dry-run'],
    ]);
    expect(report.charts[0]!.reason).toMatch(/^bitnami\/nginx\/Chart.yaml:\d+: found in Chart.yaml, but missing in charts\/ directory: common$/);
    // apiVersion v1: the dependencies come from requirements.yaml, merged as Helm merges them.
    expect(report.charts[1]!.reason).toMatch(/found in Chart.yaml, but missing in charts\/ directory: loki, promtail, fluent-bit, grafana, prometheus, filebeat, logstash$/);
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.where?.file)).toEqual([
      'bitnami/nginx/Chart.yaml',
      'grafana/loki-stack/Chart.yaml',
    ]);
  });
});
