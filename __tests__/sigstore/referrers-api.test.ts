import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RunSteps } from '../../src/publish/run.js';
import { createSigstoreSigning } from '../../src/sigstore/sigstore-signing.js';
import { cosignKeyPair, type TestCosignKey } from '../support/cosign-keys.js';
import { repoRoot } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith } from '../support/publish-harness.js';
import { startReferrersProxy, type ReferrersProxy } from '../support/referrers-proxy.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * On a registry with the referrers API (the real registry behind a stand-in that implements the
 * API and answers OCI-Subject), the signature is found through the API and no sha256-<hex> tag
 * is written.
 */

let registry: TestRegistry;
let proxy: ReferrersProxy;
let key: TestCosignKey;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  proxy = await startReferrersProxy(registry.url);
  key = cosignKeyPair('api test');
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

async function signingSteps(logger: MemoryLogger): Promise<Partial<RunSteps>> {
  const sigstore = await createSigstoreSigning(
    { keyless: false, attest: false, key: key.privateKey, keyPassword: key.password },
    { env: {}, logger, dryRun: false, visibility: undefined },
  );
  const client = new RegistryClient({ plainHttp: true, logger });
  return {
    attach: async (chart, pushed) => {
      const { registry: host, repository } = chart.reference;
      const result = await sigstore.attach({
        registry: host,
        repository,
        digest: pushed.digest!,
        open: () => client.repository(host, repository, { push: true }),
      });
      return { ...(result.signature ? { signature: result.signature } : {}) };
    },
  };
}

describe('the referrers API path', () => {
  it('relies on the API when the registry answers OCI-Subject, and finds the signature there on a re-run', async () => {
    const ws = tempDir();
    cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
    const namespace = `api${process.pid}`;
    const first = new MemoryLogger();
    const { report } = await publishWith(ws, ['examples/hello-web'], { host: proxy.host, namespace, steps: await signingSteps(first) });
    const chart = report.charts[0]!;
    expect(chart.status, chart.reason).toBe('published');
    expect(first.entries.some((e) => e.message.includes(`signature ${chart.signature} attached (referrers API)`))).toBe(true);

    const listed = proxy.referrers.get(`${namespace}/hello-web@${chart.digest}`) as Array<{ digest: string; artifactType: string }>;
    expect(listed.map((r) => [r.digest, r.artifactType])).toEqual([[chart.signature, 'application/vnd.dev.sigstore.bundle.v0.3+json']]);
    // No tag-schema index: only the chart's own tag exists in the real registry.
    expect(await skopeoFor(registry).listTags(`${namespace}/hello-web`)).toEqual(['1.2.0']);

    const second = new MemoryLogger();
    const again = await publishWith(ws, ['examples/hello-web'], { host: proxy.host, namespace, steps: await signingSteps(second) });
    expect(again.report.charts[0]).toMatchObject({ status: 'unchanged', signature: chart.signature });
    expect(second.entries.some((e) => e.message.includes('already has a signature from the same key'))).toBe(true);
    expect(proxy.apiCalls).toContain(`/v2/${namespace}/hello-web/referrers/${chart.digest}`);
    expect(proxy.referrers.get(`${namespace}/hello-web@${chart.digest}`)).toHaveLength(1);
  });
});
