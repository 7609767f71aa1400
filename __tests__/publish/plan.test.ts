import { describe, expect, it } from 'vitest';
import { publishCharts } from '../../src/publish/run.js';
import { startDeadline } from '../../src/shared/deadline.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

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
      },
      { logger, git: createProcessRunner() },
    );
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['nginx', 'failed'],
      ['loki-stack', 'failed'],
      ['rollout-operator', 'dry-run'],
    ]);
    expect(report.charts[0]!.reason).toMatch(
      /^bitnami\/nginx\/Chart.yaml:\d+: found in Chart.yaml, but missing in charts\/ directory: common$/,
    );
    // apiVersion v1: the dependencies come from requirements.yaml, merged as Helm merges them.
    expect(report.charts[1]!.reason).toMatch(
      /found in Chart.yaml, but missing in charts\/ directory: loki, promtail, fluent-bit, grafana, prometheus, filebeat, logstash$/,
    );
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.where?.file)).toEqual([
      'bitnami/nginx/Chart.yaml',
      'grafana/loki-stack/Chart.yaml',
    ]);
  });

  it('refuses two selected charts that would publish the same reference', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('a', 'same', '1.0.0'), ...chartFiles('b', 'same', '1.0.0'), ...chartFiles('c', 'other', '1.0.0') });
    const logger = new MemoryLogger();
    const report = await publishCharts(
      ['a', 'b', 'c'],
      {
        workspace: ws,
        target: { registry: 'r', namespace: 'ns' },
        dryRun: false,
        outputDir: tempDir(),
        sourceDateEpoch: '0',
        concurrency: 2,
      },
      { logger, git: createProcessRunner(), push: () => Promise.resolve({ status: 'published', digest: 'sha256:x' }) },
    );
    expect(report.charts.map((c) => [c.path, c.status])).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
      ['c', 'skipped'],
    ]);
    expect(report.charts[0]!.reason).toBe('a/Chart.yaml:2: a and b are both r/ns/same:1.0.0: rename one chart or give it another version');
  });

  it('names three charts with the same reference as "all", not "both"', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('a', 'same', '1.0.0'), ...chartFiles('b', 'same', '1.0.0'), ...chartFiles('c', 'same', '1.0.0') });
    const report = await publishCharts(
      ['a', 'b', 'c'],
      {
        workspace: ws,
        target: { registry: 'r', namespace: 'ns' },
        dryRun: true,
        outputDir: tempDir(),
        sourceDateEpoch: '0',
        concurrency: 2,
      },
      { logger: new MemoryLogger(), git: createProcessRunner() },
    );
    expect(report.charts.map((c) => c.status)).toEqual(['failed', 'failed', 'failed']);
    expect(report.charts[2]!.reason).toBe(
      'c/Chart.yaml:2: a, b and c are all r/ns/same:1.0.0: rename one chart or give it another version',
    );
  });
});

describe("the run's deadline", () => {
  it('once it has fired, no further chart is pushed, and each says it was not started', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('a', 'a'), ...chartFiles('b', 'b'), ...chartFiles('c', 'c') });
    const deadline = startDeadline(60_000, 'input "timeout": 1 minute(s)');
    const stop = new AbortController();
    const pushed: string[] = [];
    const report = await publishCharts(
      ['a', 'b', 'c'],
      {
        workspace: ws,
        target: { registry: 'r', namespace: 'ns' },
        dryRun: false,
        outputDir: tempDir(),
        sourceDateEpoch: '0',
        concurrency: 1,
      },
      {
        logger: new MemoryLogger(),
        git: createProcessRunner({ deadline }),
        signal: stop.signal,
        push: async (chart) => {
          pushed.push(chart.path);
          // The deadline fires while the first chart is being pushed.
          stop.abort(new Error('the run\'s time limit (input "timeout": 1 minute(s)) was reached'));
          return { status: 'published', digest: 'sha256:x' };
        },
      },
    );
    deadline.stop();
    expect(pushed).toEqual(['a']);
    expect(report.charts.map((c) => [c.path, c.status, c.reason])).toEqual([
      ['a', 'published', undefined],
      ['b', 'failed', 'not started: the run\'s time limit (input "timeout": 1 minute(s)) was reached'],
      ['c', 'failed', 'not started: the run\'s time limit (input "timeout": 1 minute(s)) was reached'],
    ]);
  });
});
