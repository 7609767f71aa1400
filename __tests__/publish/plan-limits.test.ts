import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishCharts } from '../../src/publish/run.js';
import { InputError } from '../../src/shared/errors.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith, writes } from '../support/publish-harness.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * What a registry refuses only at push time is checked in the plan: a run whose charts include
 * one that can never be pushed pushes nothing at all, including its valid charts.
 */

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});

let counter = 0;
const freshNamespace = () => `limits${process.pid}/run${++counter}`;

async function expectNothingPushed(namespace: string, names: string[]): Promise<void> {
  const skopeo = skopeoFor(registry);
  for (const name of names) {
    await expect(skopeo.listTags(`${registry.host}/${namespace}/${name}`)).rejects.toThrow();
  }
}

describe('push limits are checked before the first push', () => {
  it('a manifest over 4 MiB (a huge description) fails validation on the description line; nothing is pushed', async () => {
    const ws = tempDir();
    const description = 'x'.repeat(4 * 1024 * 1024 + 10);
    writeTree(ws, {
      ...chartFiles('charts/ok', 'ok', '1.0.0'),
      ...chartFiles('charts/huge', 'huge', '1.0.0'),
      'charts/huge/Chart.yaml': `apiVersion: v2\nname: huge\nversion: 1.0.0\ndescription: ${description}\n`,
    });
    const namespace = freshNamespace();
    const { report, requests, logger } = await publishWith(ws, ['charts/ok', 'charts/huge'], { host: registry.host, namespace });
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['ok', 'skipped'],
      ['huge', 'failed'],
    ]);
    expect(report.charts[1]!.reason).toMatch(
      /^charts\/huge\/Chart.yaml:4: the OCI manifest of huge 1.0.0 would be \d+ bytes; registries accept at most 4194304 \(4 MiB\).*org.opencontainers.image.description/,
    );
    expect(report.charts[0]!.reason).toMatch(
      /^not pushed: 1 of 2 selected chart\(s\) failed, and nothing is pushed unless every selected chart validates/,
    );
    expect(writes(requests)).toEqual([]);
    expect(logger.entries.find((e) => e.level === 'error')?.where).toMatchObject({ file: 'charts/huge/Chart.yaml', line: 4 });
    await expectNothingPushed(namespace, ['ok', 'huge']);
  });

  it('a repository name over 255 characters fails validation on the name line; nothing is pushed', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/ok', 'ok', '1.0.0'), ...chartFiles('charts/long', 'long-chart-name', '1.0.0') });
    const namespace = `${freshNamespace()}/${'n'.repeat(230)}`;
    const { report, requests } = await publishWith(ws, ['charts/ok', 'charts/long'], { host: registry.host, namespace });
    expect(report.charts.map((c) => c.status)).toEqual(['skipped', 'failed']);
    expect(report.charts[1]!.reason).toMatch(
      /^charts\/long\/Chart.yaml:2: the repository .* is 2\d\d characters long; registries accept at most 255: shorten the chart name or the registry namespace$/,
    );
    expect(writes(requests)).toEqual([]);
    await expectNothingPushed(namespace, ['ok']);
  });

  it('a chart just under the limits publishes', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/big', 'big', '1.0.0'),
      'charts/big/Chart.yaml': `apiVersion: v2\nname: big\nversion: 1.0.0\ndescription: ${'y'.repeat(1024 * 1024)}\n`,
    });
    const namespace = freshNamespace();
    const { report } = await publishWith(ws, ['charts/big'], { host: registry.host, namespace });
    expect(report.charts.map((c) => c.status)).toEqual(['published']);
  });
});

describe('output-dir', () => {
  it('inside a selected chart is refused before anything is packaged, naming the input', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/a', 'a'), ...chartFiles('charts/b', 'b') });
    const run = publishCharts(
      ['charts/a', 'charts/b'],
      {
        workspace: ws,
        target: { registry: registry.host, namespace: freshNamespace() },
        dryRun: false,
        outputDir: join(ws, 'charts/b/packages'),
        sourceDateEpoch: '0',
        concurrency: 2,
      },
      { logger: new MemoryLogger(), git: createProcessRunner(), push: () => Promise.reject(new Error('nothing may be pushed')) },
    );
    await expect(run).rejects.toThrow(InputError);
    await expect(run).rejects.toThrow(
      /^Input "output-dir": .*charts\/b\/packages is inside the chart charts\/b: packages written there would be packaged into the chart/,
    );
  });

  it('beside the charts in the workspace is fine', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/a', 'a'));
    const report = await publishCharts(
      ['charts/a'],
      {
        workspace: ws,
        target: { registry: 'r', namespace: 'n' },
        dryRun: true,
        outputDir: join(ws, 'packages'),
        sourceDateEpoch: '0',
        concurrency: 1,
      },
      { logger: new MemoryLogger(), git: createProcessRunner() },
    );
    expect(report.charts[0]!.status).toBe('dry-run');
  });
});
