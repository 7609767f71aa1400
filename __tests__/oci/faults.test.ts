import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { RegistryError } from '../../src/oci/registry-error.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { fakeClock } from './fakes.js';

/**
 * Pushes through a proxy that breaks requests the way networks and busy registries do. Backoff
 * waits run on a fake clock (virtual time, no real waiting); only the per-attempt timeout that
 * detects stalls is real, and short.
 */

let registry: TestRegistry;
let proxy: FaultProxy;
let layouts: string;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  proxy = await startFaultProxy({ target: registry.url, seed: 20261121 });
  layouts = await mkdtemp(join(tmpdir(), 'oci-faults-'));
});
afterAll(async () => {
  await proxy?.close();
  await registry?.stop();
  if (layouts) await rm(layouts, { recursive: true, force: true });
});
afterEach(() => proxy.setRules([]));

const BLOB_PUT = /\/blobs\/uploads\/.+/;
const MANIFEST = /\/manifests\//;

function client(maxRetries = 5) {
  const clock = fakeClock();
  return {
    clock,
    client: new RegistryClient({
      plainHttp: true,
      clock,
      timeoutMs: 300,
      // Small backoff (≤ 100 ms) so that a 1 s Retry-After stands out among the waits.
      retry: { maxRetries, baseDelayMs: 10, minDelayMs: 1, maxDelayMs: 100 },
    }),
  };
}

async function expectCopies(repository: string, tag: string, digest: string) {
  const dir = await mkdtemp(join(layouts, 'layout-'));
  expect(await skopeoFor(registry).copyToOciLayout(`${repository}:${tag}`, dir)).toBe(digest);
}

describe('each fault on its own', () => {
  test.each<[string, FaultRule]>([
    ['a reset before the registry sees the POST', { method: 'POST', fault: { kind: 'reset' }, on: [1] }],
    ['a 503 on the HEAD', { method: 'HEAD', fault: { kind: 'status', status: 503 }, on: [1] }],
    ['a stall of the blob PUT past the timeout', { method: 'PUT', path: BLOB_PUT, fault: { kind: 'stall', ms: 3000 }, on: [1] }],
    ['a reset after the manifest PUT was stored', { method: 'PUT', path: MANIFEST, fault: { kind: 'reset-after-forward' }, on: [1] }],
  ])('%s is retried', async (label, rule) => {
    proxy.setRules([rule]);
    const repository = `charts/single-${label
      .split(' ')
      .slice(1, 3)
      .join('-')
      .replace(/[^a-z0-9-]/g, '')}`;
    const artifact = makeArtifact(repository, '1.0.0');
    expect(await pushArtifact(client().client.repository(proxy.host, repository, { push: true }), '1.0.0', artifact)).toBe('pushed');
    expect(proxy.injected()).toBe(1);
    await expectCopies(repository, '1.0.0', artifact.manifestDigest);
  });

  test('429 with Retry-After: 1 is waited for (on the fake clock)', async () => {
    proxy.setRules([{ method: 'POST', fault: { kind: 'status', status: 429, retryAfter: '1' }, on: [1] }]);
    const { client: c, clock } = client();
    const artifact = makeArtifact('throttled', '1.0.0');
    await pushArtifact(c.repository(proxy.host, 'charts/throttled', { push: true }), '1.0.0', artifact);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(1100);
  });

  test('a blob PUT whose answer was lost after the registry stored it: the blob is found, not re-sent', async () => {
    proxy.setRules([{ method: 'PUT', path: BLOB_PUT, fault: { kind: 'reset-after-forward' }, on: [1] }]);
    const start = proxy.requests.length;
    const artifact = makeArtifact('lost-answer', '1.0.0');
    await pushArtifact(client().client.repository(proxy.host, 'charts/lost-answer', { push: true }), '1.0.0', artifact);
    expect(proxy.requests.slice(start).map((r) => `${r.method} ${r.fault ?? r.status}`)).toEqual([
      'HEAD 404',
      'POST 202',
      'PUT reset-after-forward',
      // The retried PUT finds its session committed and gone…
      'PUT 404',
      // …so the blob is looked up instead of failing.
      'HEAD 200',
      'POST 202',
      'PUT 201',
      'PUT 201',
    ]);
    await expectCopies('charts/lost-answer', '1.0.0', artifact.manifestDigest);
  });

  test('a persistent 500 gives up after the retry bound with a clear error', async () => {
    proxy.setRules([
      {
        method: 'PUT',
        path: MANIFEST,
        fault: { kind: 'status', status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"disk on fire"}]}' },
      },
    ]);
    const start = proxy.count('PUT', MANIFEST);
    const error = await pushArtifact(
      client(3).client.repository(proxy.host, 'charts/doomed', { push: true }),
      '1.0.0',
      makeArtifact('doomed', '1.0.0'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(500);
    expect((error as RegistryError).message).toMatch(
      /^Cannot push manifest 127\.0\.0\.1:\d+\/charts\/doomed:1\.0\.0 after 4 attempts \(PUT http:\/\/127\.0\.0\.1:\d+\/v2\/charts\/doomed\/manifests\/1\.0\.0 → HTTP 500 → UNKNOWN\): disk on fire$/,
    );
    expect(proxy.count('PUT', MANIFEST) - start).toBe(4);
  });

  test('a connection that keeps failing gives up with the network error named', async () => {
    proxy.setRules([{ method: 'HEAD', fault: { kind: 'reset' } }]);
    await expect(client(2).client.repository(proxy.host, 'charts/unreachable', { push: true }).headManifest('1.0.0')).rejects.toThrow(
      /^Request failed after 3 attempts: .*(other side closed|ECONNRESET|socket hang up)/,
    );
  });
});

test('a soak: every fault at random, many pushes, all complete and copy cleanly', async () => {
  // A proxy of its own, so that the seed alone decides which requests fail; SOAK_SEED=<n> replays
  // or explores another fault sequence.
  const soak = await startFaultProxy({
    target: registry.url,
    seed: Number(process.env.SOAK_SEED ?? 7),
    rules: [
      { fault: { kind: 'reset' }, probability: 0.08 },
      { fault: { kind: 'status', status: 503 }, probability: 0.08 },
      { fault: { kind: 'status', status: 429, retryAfter: '1' }, probability: 0.05 },
      { fault: { kind: 'stall', ms: 2000 }, probability: 0.04 },
      { method: 'PUT', fault: { kind: 'reset-after-forward' }, probability: 0.08 },
    ],
  });
  try {
    const { client: c, clock } = client(8);
    const pushed: Array<{ repository: string; digest: string }> = [];
    for (let i = 0; i < 12; i++) {
      const repository = `charts/soak-${i}`;
      const artifact = makeArtifact(repository, '1.0.0');
      expect(await pushArtifact(c.repository(soak.host, repository, { push: true }), '1.0.0', artifact)).toBe('pushed');
      pushed.push({ repository, digest: artifact.manifestDigest });
    }
    const faults = new Set(soak.requests.map((r) => r.fault).filter(Boolean));
    expect(faults).toEqual(new Set(['reset', 'status', 'stall', 'reset-after-forward']));
    expect(soak.injected()).toBeGreaterThanOrEqual(10);
    // Each injected 429 was followed by a wait of at least its Retry-After.
    const throttles = soak.requests.filter((r) => r.status === 429).length;
    expect(throttles).toBeGreaterThan(0);
    expect(clock.sleeps.filter((ms) => ms >= 1000)).toHaveLength(throttles);
    for (const { repository, digest } of pushed) await expectCopies(repository, '1.0.0', digest);
  } finally {
    await soak.close();
  }
});
