import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { HELM_PROVENANCE_MEDIA_TYPE } from '../../src/chart/oci-media-types.js';
import { runAction, visibleLog } from '../support/action-runner.js';
import { repoRoot } from '../support/corpus.js';
import { GpgHome, type GeneratedKey } from '../support/gpg.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

let registry: TestRegistry;
let gpg: GpgHome;
let rsa: GeneratedKey;
let armored: string;
/** Keys that cannot sign, each exported as an armored secret key. */
const unusable: Record<'expired' | 'revoked' | 'certifyOnly', string> = { expired: '', revoked: '', certifyOnly: '' };
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  gpg = GpgHome.create();
  rsa = await gpg.generateKey({ name: 'Chart Signer', email: 'signer@example.invalid', algorithm: 'rsa3072', passphrase: ' spaced pass ' });
  armored = await gpg.exportSecretKey(rsa);
  const expired = await gpg.generateKey({ name: 'Old Timer', email: 'old@example.invalid', algorithm: 'rsa3072', at: '20200101T000000' });
  const revoked = await gpg.generateKey({ name: 'Rita Revoked', email: 'rita@example.invalid', algorithm: 'rsa3072' });
  await gpg.revoke(revoked);
  const certifyOnly = await gpg.generateKey({ name: 'Cert Only', email: 'cert@example.invalid', algorithm: 'rsa3072', usage: 'cert' });
  await gpg.addSubkey(certifyOnly, 'rsa3072', 'encr');
  unusable.expired = await gpg.exportSecretKey(expired);
  unusable.revoked = await gpg.exportSecretKey(revoked);
  unusable.certifyOnly = await gpg.exportSecretKey(certifyOnly);
});
afterAll(async () => {
  gpg?.dispose();
  await registry?.stop();
});

/** Publishes examples/hello-web from ws to a namespace of the test registry, with these inputs on top. */
function publishHelloWeb(ws: string, namespace: string, inputs: Record<string, string>) {
  return runAction({
    workspace: ws,
    inputs: {
      charts: 'examples/hello-web',
      'dry-run': 'false',
      'plain-http': 'true',
      registry: `oci://${registry.host}/${namespace}`,
      ...inputs,
    },
  });
}

function workspace(): string {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  return ws;
}

describe('signed publishing, end to end through the bundle', () => {
  it('pushes the .prov as the provenance layer; skopeo returns it byte for byte; gpgv verifies it', async () => {
    const ws = workspace();
    const namespace = `signed${process.pid}`;
    const run = await publishHelloWeb(ws, namespace, { 'signing-key': armored, 'signing-passphrase': ' spaced pass ' });
    expect(run.exitCode, run.stdout).toBe(0);
    const chart = run.charts[0]!;
    expect(chart.status).toBe('published');
    const provPath = `${chart.package}.prov`;
    const prov = readFileSync(provPath);
    expect(chart.provenanceDigest).toBe(sha256Digest(prov));

    const manifest = JSON.parse((await skopeoFor(registry).inspectRaw(`${namespace}/hello-web:1.2.0`)).toString());
    const provLayer = manifest.layers.find((l: { mediaType: string }) => l.mediaType === HELM_PROVENANCE_MEDIA_TYPE);
    expect(provLayer).toEqual({ mediaType: HELM_PROVENANCE_MEDIA_TYPE, digest: chart.provenanceDigest, size: prov.length });
    // Layers sorted by digest, as Helm sorts them.
    const digests = manifest.layers.map((l: { digest: string }) => l.digest);
    expect(digests).toEqual([...digests].sort());

    const layout = tempDir('ocp-prov-');
    await skopeoFor(registry).copyToOciLayout(`${namespace}/hello-web:1.2.0`, layout);
    const copied = readFileSync(join(layout, 'blobs', 'sha256', provLayer.digest.slice(7)));
    expect(copied.equals(prov)).toBe(true);

    const keyring = await gpg.exportPublicKeyring([rsa]);
    expect((await gpg.gpgv(keyring, provPath)).exitCode).toBe(0);
    expect(prov.toString()).toContain(`hello-web-1.2.0.tgz: ${chart.chartDigest}`);

    // Signing again gives another .prov (signatures carry a time): the chart is unchanged, and the
    // provenance reported is the one in the registry, not this run's.
    const again = await publishHelloWeb(ws, namespace, { 'signing-key': armored, 'signing-passphrase': ' spaced pass ' });
    expect(again.charts[0]).toMatchObject({ status: 'unchanged', digest: chart.digest, provenanceDigest: chart.provenanceDigest });
    expect(sha256Digest(readFileSync(`${again.charts[0]!.package}.prov`))).not.toBe(chart.provenanceDigest);

    const log = visibleLog(run.stdout);
    expect(log).not.toContain(' spaced pass ');
    for (const line of armored.split('\n').filter((l) => l.length > 20)) expect(log).not.toContain(line);
    expect(run.summary).toContain('--prov');
    // Angle brackets are HTML-escaped in the summary: text from a key or a chart cannot add HTML.
    expect(run.summary).toContain(`Signed with the RSA 3072 key ${rsa.fingerprint} (Chart Signer &lt;signer@example.invalid&gt;)`);
  });

  it('signs in a dry-run too, and pushes nothing', async () => {
    const ws = workspace();
    const run = await runAction({
      workspace: ws,
      inputs: {
        charts: 'examples/shared-config',
        'dry-run': 'true',
        registry: `oci://${registry.host}/dry`,
        'plain-http': 'true',
        'signing-key': armored,
        'signing-passphrase': ' spaced pass ',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts[0]!.status).toBe('dry-run');
    expect(run.charts[0]!.provenanceDigest).toMatch(/^sha256:/);
    const keyring = await gpg.exportPublicKeyring([rsa]);
    expect((await gpg.gpgv(keyring, `${run.charts[0]!.package}.prov`)).exitCode).toBe(0);
  });

  it.each([
    ['a wrong passphrase', 'own', { 'signing-passphrase': 'wrong' }, /Input "signing-passphrase": does not unlock the signing key/],
    ['a missing passphrase', 'own', {}, /Input "signing-passphrase"/],
    ['a public key', 'public', { 'signing-passphrase': ' spaced pass ' }, /Input "signing-key"/],
    [
      'a key id that is not there',
      'own',
      { 'signing-passphrase': ' spaced pass ', 'signing-key-id': 'nobody@example.invalid' },
      /Input "signing-key-id"/,
    ],
    ['text that is no key', 'garbage', {}, /Input "signing-key"/],
    ['an expired key', 'expired', {}, /Input "signing-key".*expired/],
    ['a revoked key', 'revoked', {}, /Input "signing-key".*revoked/],
    ['a key that cannot sign', 'certifyOnly', {}, /Input "signing-key".*sign/],
  ] as const)('%s fails clearly and nothing is pushed', async (_what, keyKind, extra, message) => {
    const ws = workspace();
    const namespace = `bad${process.pid}${Math.floor(Math.random() * 1e6)}`;
    const key =
      keyKind === 'public'
        ? await gpg.exportPublicKey(rsa)
        : keyKind === 'garbage'
          ? '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnot a key at all\n-----END PGP PRIVATE KEY BLOCK-----\n'
          : keyKind === 'own'
            ? armored
            : unusable[keyKind];
    const run = await publishHelloWeb(ws, namespace, { 'signing-key': key, ...extra });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(message);
    expect(run.charts).toEqual([]);
    expect(run.outputs).toMatchObject({ charts: '[]', matrix: '{"include":[]}', changed: 'false', published: '' });
    expect(run.summary).toContain('❌ Input "signing-');
    // The repository was never created: the registry does not know its name.
    await expect(skopeoFor(registry).listTags(`${namespace}/hello-web`)).rejects.toThrow(/404|name unknown|NAME_UNKNOWN/i);
  });
});
