import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/shared/concurrency.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { publishWith } from '../support/publish-harness.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

let registry: TestRegistry;
let proxy: FaultProxy;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  proxy = await startFaultProxy({
    target: registry.url,
    seed: 20261121,
    rules: [
      { fault: { kind: 'reset' }, probability: 0.04 },
      { fault: { kind: 'reset-after-forward' }, probability: 0.03 },
      { fault: { kind: 'status', status: 503 }, probability: 0.04 },
      { fault: { kind: 'status', status: 429, retryAfter: '1' }, probability: 0.02, times: 5 },
      { fault: { kind: 'stall', ms: 3_000 }, probability: 0.01, times: 6 },
    ],
  });
});
afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
});

describe('publishing through an unreliable network', () => {
  it('100 charts publish completely through resets, 503, 429 with Retry-After and stalls', async () => {
    const ws = tempDir();
    const dirs: string[] = [];
    for (let i = 0; i < 100; i++) {
      writeTree(
        ws,
        chartFiles(`charts/c${i}`, `chart-${i}`, `1.0.${i}`, { 'templates/data.yaml': `index: ${i}\n${'x'.repeat(i * 37)}\n` }),
      );
      dirs.push(`charts/c${i}`);
    }
    const namespace = `faults${process.pid}`;
    const { report } = await publishWith(ws, dirs, {
      host: proxy.host,
      namespace,
      concurrency: 8,
      timeoutMs: 1_500,
      retry: { maxRetries: 8, baseDelayMs: 50, minDelayMs: 20, maxDelayMs: 400, maxRetryAfterMs: 1_000 },
    });
    const notPublished = report.charts.filter((c) => c.status !== 'published');
    expect(notPublished.map((c) => `${c.name}: ${c.status} ${c.reason ?? ''}`)).toEqual([]);
    expect(proxy.injected()).toBeGreaterThan(20);

    // Straight to the registry (no proxy): every artifact is complete and digest-correct.
    const skopeo = skopeoFor(registry);
    await mapLimit(report.charts, 8, async (chart) => {
      const copied = await skopeo.copyToOciLayout(`${namespace}/${chart.name}:${chart.tag}`, tempDir('ocp-copy-'));
      expect(copied).toBe(chart.digest);
    });
  }, 180_000);
});
