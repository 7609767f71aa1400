import type { SerializedBundle } from '@sigstore/bundle';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import type { RunSteps } from '../../src/publish/run.js';
import { createSigstoreSigning } from '../../src/sigstore/sigstore-signing.js';
import type { SigstoreSettings } from '../../src/sigstore/settings.js';
import { cosignKeyPair, type TestCosignKey } from '../support/cosign-keys.js';
import { repoRoot } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith } from '../support/publish-harness.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { bundleStatement, parseJson, verifyWithPublicKey, type IndexJson, type ManifestJson } from '../support/sigstore-verify.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * Keyed cosign signatures against the real Distribution 2.8 registry, which has no referrers
 * API: every signature is found through the `sha256-<hex>` tag, read back with skopeo, and
 * verified with @sigstore/verify given only the public key.
 */

let registry: TestRegistry;
let key: TestCosignKey;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  key = cosignKeyPair('correct horse battery staple');
});
afterAll(async () => {
  await registry?.stop();
});

let counter = 0;
const freshNamespace = () => `cosign${process.pid}/run${++counter}`;

function workspace(): string {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  return ws;
}

/** The attach step the action builds, over its own client. */
async function attachStep(
  settings: Partial<SigstoreSettings>,
  logger: MemoryLogger,
  dryRun = false,
  requests: RequestEvent[] = [],
): Promise<Partial<RunSteps>> {
  const sigstore = await createSigstoreSigning(
    { keyless: false, attest: false, ...settings },
    { env: {}, logger, dryRun, visibility: undefined },
  );
  const client = new RegistryClient({ plainHttp: true, logger, onRequest: (event) => requests.push(event) });
  return {
    attach: async (chart, pushed) => {
      const { registry: host, repository } = chart.reference;
      const digest = pushed.digest ?? `sha256:${chart.package.sha256}`;
      const result = await sigstore.attach({
        registry: host,
        repository,
        digest,
        open: () => client.repository(host, repository, { push: true }),
      });
      return { ...(result.signature ? { signature: result.signature } : {}) };
    },
  };
}

async function fetchBundle(repository: string, referrer: string): Promise<SerializedBundle> {
  const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, repository);
  const manifest = parseJson<ManifestJson>((await repo.getManifest(referrer)).bytes);
  return parseJson<SerializedBundle>(await repo.fetchBlob(manifest.layers[0]!.digest));
}

describe('keyed Sigstore signatures on the real registry (referrers tag schema)', () => {
  it('attaches a cosign v3 bundle referrer that skopeo reads through the sha256-<hex> tag and the public key verifies', async () => {
    const ws = workspace();
    const namespace = freshNamespace();
    const logger = new MemoryLogger();
    const steps = await attachStep({ key: key.privateKey, keyPassword: key.password }, logger);
    const { report } = await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace, steps });
    const chart = report.charts[0]!;
    expect(chart.status, chart.reason).toBe('published');
    expect(chart.signature).toMatch(/^sha256:[0-9a-f]{64}$/);

    const skopeo = skopeoFor(registry);
    const repository = `${namespace}/hello-web`;
    const index = parseJson<IndexJson>(await skopeo.inspectRaw(`${repository}:${chart.digest!.replace(':', '-')}`));
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: chart.signature,
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1',
      },
    });

    const referrer = parseJson<ManifestJson>(await skopeo.inspectRaw(`${repository}@${chart.signature}`));
    const chartManifest = await skopeo.inspectRaw(`${repository}:1.2.0`);
    expect(referrer).toMatchObject({
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2 },
      layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' }],
      subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: chart.digest, size: chartManifest.length },
    });

    const bundle = await fetchBundle(repository, chart.signature!);
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(verifyWithPublicKey(bundle, key.publicKey).key).toBeDefined();
    const statement = bundleStatement(bundle);
    expect(statement.predicateType).toBe('https://sigstore.dev/cosign/sign/v1');
    expect(statement.subject).toEqual([{ name: `${registry.host}/${repository}`, digest: { sha256: chart.digest!.slice(7) } }]);

    // Another key does not verify it, and a tampered statement does not verify either.
    expect(() => verifyWithPublicKey(bundle, cosignKeyPair('other').publicKey)).toThrow();
    const tampered = structuredClone(bundle) as SerializedBundle & { dsseEnvelope: { payload: string } };
    const forged = { ...statement, subject: [{ name: statement.subject[0]!.name, digest: { sha256: '0'.repeat(64) } }] };
    tampered.dsseEnvelope.payload = Buffer.from(JSON.stringify(forged)).toString('base64');
    expect(() => verifyWithPublicKey(tampered, key.publicKey)).toThrow();

    // Nothing secret reached the log: not the password, not a line of the key.
    const log = logger.entries.map((e) => e.message).join('\n');
    expect(log).not.toContain(key.password);
    for (const line of key.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))) {
      expect(log).not.toContain(line);
      expect(logger.masked).toContain(line);
    }
    expect(logger.masked).toContain(key.password);
  });

  it('adds nothing on a re-run, and exactly one signature when signing is switched on for a chart published earlier', async () => {
    const ws = workspace();
    const namespace = freshNamespace();
    const repository = `${namespace}/hello-web`;
    // Published without a signature first.
    const first = await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace });
    expect(first.report.charts[0]!.status).toBe('published');
    expect(first.report.charts[0]!.signature).toBeUndefined();

    const signedRun = async () => {
      const logger = new MemoryLogger();
      const steps = await attachStep({ key: key.privateKey, keyPassword: key.password }, logger);
      return { ...(await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace, steps })), logger };
    };
    const second = await signedRun();
    const chart = second.report.charts[0]!;
    expect(chart.status).toBe('unchanged');
    expect(chart.signature).toMatch(/^sha256:/);
    const third = await signedRun();
    expect(third.report.charts[0]!.status).toBe('unchanged');
    expect(third.report.charts[0]!.signature).toBe(chart.signature);
    expect(third.logger.entries.some((e) => e.message.includes('already has a signature from the same key'))).toBe(true);

    const skopeo = skopeoFor(registry);
    const index = parseJson<IndexJson>(await skopeo.inspectRaw(`${repository}:${chart.digest!.replace(':', '-')}`));
    expect(index.manifests.map((m) => m.digest)).toEqual([chart.signature]);
    const tags = await skopeo.listTags(repository);
    expect(tags.sort()).toEqual(['1.2.0', chart.digest!.replace(':', '-')].sort());

    // Another key's signature is added next to it, not instead of it; the index is read once.
    const other = cosignKeyPair('another password');
    const requests: RequestEvent[] = [];
    const fourth = await publishWith(ws, ['examples/hello-web'], {
      host: registry.host,
      namespace,
      steps: await attachStep({ key: other.privateKey, keyPassword: other.password }, new MemoryLogger(), false, requests),
    });
    const again = parseJson<IndexJson>(await skopeo.inspectRaw(`${repository}:${chart.digest!.replace(':', '-')}`));
    expect(again.manifests.map((m) => m.digest)).toEqual([chart.signature, fourth.report.charts[0]!.signature]);
    const indexTag = `/manifests/${chart.digest!.replace(':', '-')}`;
    expect(requests.filter((r) => r.url.endsWith(indexTag)).map((r) => `${r.method} ${r.status}`)).toEqual([
      'HEAD 200',
      'GET 200',
      'PUT 201',
    ]);
  });

  it('reads a PKCS#8 PEM key as well, and refuses a wrong password naming the input', async () => {
    const logger = new MemoryLogger();
    const signing = await createSigstoreSigning(
      { keyless: false, attest: false, key: key.pkcs8Pem },
      { env: {}, logger, dryRun: false, visibility: undefined },
    );
    expect(signing).toBeDefined();
    await expect(
      createSigstoreSigning(
        { keyless: false, attest: false, key: key.privateKey, keyPassword: 'wrong' },
        { env: {}, logger: new MemoryLogger(), dryRun: false, visibility: undefined },
      ),
    ).rejects.toThrow(/cosign-key-password/);
  });

  it('fails each chart whose signature cannot be made, saying it is in the registry unsigned', async () => {
    const ws = workspace();
    const namespace = freshNamespace();
    // A transparency log that refuses connections: the keyed signature cannot be logged as asked.
    const steps = await attachStep({ key: key.privateKey, keyPassword: key.password, rekorUrl: 'http://127.0.0.1:9' }, new MemoryLogger());
    const { report } = await publishWith(ws, ['examples/hello-web', 'examples/shared-config'], { host: registry.host, namespace, steps });
    for (const chart of report.charts) {
      expect(chart.status).toBe('failed');
      expect(chart.digest).toMatch(/^sha256:/);
      expect(chart.reason).toContain(`${registry.host}/${namespace}/${chart.name}@${chart.digest} is in the registry, but not signed`);
    }
    expect(await skopeoFor(registry).listTags(`${namespace}/hello-web`)).toEqual(['1.2.0']);
  });

  it('in a dry-run makes and verifies the keyed signature but pushes nothing', async () => {
    const ws = workspace();
    const namespace = freshNamespace();
    const logger = new MemoryLogger();
    const steps = await attachStep({ key: key.privateKey, keyPassword: key.password }, logger, true);
    const { report, requests } = await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace, dryRun: true, steps });
    expect(report.charts[0]!.status).toBe('dry-run');
    expect(report.charts[0]!.signature).toBeUndefined();
    expect(logger.entries.some((e) => e.message.includes('signature made and verified with the public key; not pushed (dry-run)'))).toBe(
      true,
    );
    expect(requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
  });
});
