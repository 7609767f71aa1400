import type { SerializedBundle } from '@sigstore/bundle';
import { bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { runAction, visibleLog } from '../support/action-runner.js';
import { cosignKeyPair, type TestCosignKey } from '../support/cosign-keys.js';
import { repoRoot } from '../support/corpus.js';
import { GpgHome } from '../support/gpg.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { startSigstoreServices, type SigstoreServices, type WorkflowClaims } from '../support/sigstore-services.js';
import { bundleStatement, parseJson, verifyWithPublicKey, type IndexJson, type ManifestJson } from '../support/sigstore-verify.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * Sigstore signing end to end through `node dist/index.js` (run `npm run build` first): keyless
 * against local OIDC, Fulcio and Rekor stand-ins (Sigstore's @sigstore/mock handlers behind a
 * real HTTP server) reached through the sigstore-*-url inputs, and keyed with a cosign key.
 */

const claims: WorkflowClaims = {
  repository: 'acme/charts',
  workflowRef: 'acme/charts/.github/workflows/release.yml@refs/heads/main',
  jobWorkflowRef: 'acme/shared/.github/workflows/publish.yml@refs/tags/v2',
  ref: 'refs/heads/main',
  sha: '1111111111111111111111111111111111111111',
  runId: '987654',
  runAttempt: '2',
  eventName: 'push',
};

let registry: TestRegistry;
let services: SigstoreServices;
let key: TestCosignKey;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  services = await startSigstoreServices(claims);
  key = cosignKeyPair('bundle test password');
});
afterAll(async () => {
  await services?.stop();
  await registry?.stop();
});

let counter = 0;
function setup() {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  const artifacts = join(tempDir('ocp-artifacts-'), 'artifacts');
  writeFileSync(artifacts, 'oci://earlier.example/step@sha256:' + 'a'.repeat(64) + '\n');
  return { ws, namespace: `sigstore${process.pid}/run${++counter}`, artifacts };
}

function keylessEnv(artifacts: string): Record<string, string> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: services.oidcUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: services.oidcRequestToken,
    GITHUB_API_URL: services.apiUrl,
    GITHUB_ARTIFACTS: artifacts,
    GITHUB_REPOSITORY: claims.repository,
    GITHUB_RUN_ID: claims.runId,
  };
}

async function referrerBundle(repository: string, referrer: string): Promise<SerializedBundle> {
  const repo = new RegistryClient({ plainHttp: true }).repository(registry.host, repository);
  const manifest = parseJson<ManifestJson>((await repo.getManifest(referrer)).bytes);
  return parseJson<SerializedBundle>(await repo.fetchBlob(manifest.layers[0]!.digest));
}

describe('Sigstore through the bundle', () => {
  it('signs keyless and attests provenance: the certificate is the workflow identity, the bundles verify against the trust root', async () => {
    const { ws, namespace, artifacts } = setup();
    const run = await runAction({
      workspace: ws,
      inputs: {
        charts: 'examples/hello-web',
        'dry-run': 'false',
        'plain-http': 'true',
        registry: `oci://${registry.host}/${namespace}`,
        'cosign-keyless': 'true',
        attest: 'true',
        'github-token': 'ghs_attestationtoken123',
        'sigstore-fulcio-url': services.fulcioUrl,
        'sigstore-rekor-url': services.rekorUrl,
      },
      env: keylessEnv(artifacts),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const chart = run.charts[0]!;
    expect(chart.status).toBe('published');
    expect(chart.signature).toMatch(/^sha256:/);
    expect(chart.attestation).toMatch(/^sha256:/);
    expect(services.audiences.every((a) => a === 'sigstore')).toBe(true);

    const repository = `${namespace}/hello-web`;
    const subject = `https://github.com/${claims.jobWorkflowRef}`;
    const verifier = new Verifier(toTrustMaterial(services.trustedRoot), { tlogThreshold: 1, ctlogThreshold: 1 });
    for (const [digest, predicateType] of [
      [chart.signature!, 'https://sigstore.dev/cosign/sign/v1'],
      [chart.attestation!, 'https://slsa.dev/provenance/v1'],
    ] as const) {
      const bundle = await referrerBundle(repository, digest);
      const signer = verifier.verify(toSignedEntity(bundleFromJSON(bundle)), {
        subjectAlternativeName: subject,
        extensions: { issuer: services.issuer },
      });
      expect(signer.identity?.subjectAlternativeName).toBe(subject);
      const statement = bundleStatement(bundle);
      expect(statement.predicateType).toBe(predicateType);
      expect(statement.subject).toEqual([{ name: `${registry.host}/${repository}`, digest: { sha256: chart.digest!.slice(7) } }]);
      const raw = (bundle.verificationMaterial as { certificate?: { rawBytes: string } }).certificate?.rawBytes ?? '';
      expect(X509Certificate.parse(Buffer.from(raw, 'base64')).subjectAltName).toBe(subject);
      expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    }

    // The SLSA provenance of the run, as actions/attest-build-provenance states it.
    const provenance = bundleStatement(await referrerBundle(repository, chart.attestation!));
    expect(provenance.predicate).toEqual({
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: {
          workflow: { ref: 'refs/heads/main', repository: 'https://github.com/acme/charts', path: '.github/workflows/release.yml' },
        },
        internalParameters: {
          github: { event_name: 'push', repository_id: '123456', repository_owner_id: '654321', runner_environment: 'github-hosted' },
        },
        resolvedDependencies: [{ uri: 'git+https://github.com/acme/charts@refs/heads/main', digest: { gitCommit: claims.sha } }],
      },
      runDetails: {
        builder: { id: subject },
        metadata: { invocationId: 'https://github.com/acme/charts/actions/runs/987654/attempts/2' },
      },
    });

    // The attestation went to GitHub's API too, with the token, as the same bundle.
    expect(services.attestationRequests).toHaveLength(1);
    const request = services.attestationRequests[0]!;
    expect(request.url).toBe('/api/repos/acme/charts/attestations');
    expect(request.headers.authorization).toBe('Bearer ghs_attestationtoken123');
    const sent = JSON.parse(request.body) as { bundle: SerializedBundle };
    expect(sent.bundle).toEqual(await referrerBundle(repository, chart.attestation!));

    // Both referrers are listed in the tag-schema index (Distribution 2.8 has no referrers API).
    const index = parseJson<IndexJson>(await skopeoFor(registry).inspectRaw(`${repository}:${chart.digest!.replace(':', '-')}`));
    expect(index.manifests.map((m) => m.digest).sort()).toEqual([chart.signature, chart.attestation].sort());

    // $GITHUB_ARTIFACTS keeps what was there and gets the chart.
    expect(readFileSync(artifacts, 'utf8')).toBe(
      `oci://earlier.example/step@sha256:${'a'.repeat(64)}\noci://${registry.host}/${repository}@${chart.digest}\n`,
    );
    // The summary says how to verify.
    expect(run.summary).toContain(
      `cosign verify --certificate-identity '${subject}' --certificate-oidc-issuer '${services.issuer}' ${registry.host}/${repository}@${chart.digest}`,
    );
    expect(run.summary).toContain(
      `gh attestation verify oci://${registry.host}/${repository}@${chart.digest} --bundle-from-oci --repo acme/charts`,
    );
    expect(run.summary).toContain('matchOIDCIdentity:');

    // OIDC tokens are masked, and none appears in the visible log.
    expect(services.issuedTokens.length).toBeGreaterThan(0);
    const log = visibleLog(run.stdout);
    for (const token of [...services.issuedTokens, services.oidcRequestToken, 'ghs_attestationtoken123']) {
      expect(run.stdout).toContain(`::add-mask::${token}`);
      expect(log).not.toContain(token);
    }

    // A re-run adds nothing: the same identity already signed and attested this manifest.
    const fulcioBefore = services.fulcioRequests;
    const again = await runAction({
      workspace: ws,
      inputs: {
        charts: 'examples/hello-web',
        'dry-run': 'false',
        'plain-http': 'true',
        registry: `oci://${registry.host}/${namespace}`,
        'cosign-keyless': 'true',
        attest: 'true',
        'sigstore-fulcio-url': services.fulcioUrl,
        'sigstore-rekor-url': services.rekorUrl,
      },
      env: keylessEnv(artifacts),
    });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.charts[0]).toMatchObject({ status: 'unchanged', signature: chart.signature, attestation: chart.attestation });
    expect(services.fulcioRequests).toBe(fulcioBefore);
  });

  it('signs with a cosign key through the bundle; the summary gives cosign verify --key; no key material is logged', async () => {
    const { ws, namespace, artifacts } = setup();
    const run = await runAction({
      workspace: ws,
      inputs: {
        charts: 'examples/hello-web',
        'dry-run': 'false',
        'plain-http': 'true',
        registry: `oci://${registry.host}/${namespace}`,
        'cosign-key': key.privateKey,
        'cosign-key-password': key.password,
      },
      env: { GITHUB_ARTIFACTS: artifacts },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const chart = run.charts[0]!;
    expect(chart.status).toBe('published');
    const repository = `${namespace}/hello-web`;
    const bundle = await referrerBundle(repository, chart.signature!);
    expect(verifyWithPublicKey(bundle, key.publicKey)).toBeDefined();
    expect(bundle.verificationMaterial.tlogEntries ?? []).toEqual([]);
    expect(run.summary).toContain(
      `cosign verify --key cosign.pub --insecure-ignore-tlog=true ${registry.host}/${repository}@${chart.digest}`,
    );
    expect(run.summary).toContain('secretRef:');

    const log = visibleLog(run.stdout);
    expect(log).not.toContain(key.password);
    for (const line of key.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(log).not.toContain(line);
    expect(run.stdout).toContain(`::add-mask::${key.password}`);
  });

  it('signs with .prov and Sigstore at once: the cosign signature is about the manifest that carries the .prov', async () => {
    const gpg = GpgHome.create();
    try {
      const pgp = await gpg.generateKey({ name: 'Chart Signer', email: 'signer@example.invalid', algorithm: 'rsa3072' });
      const { ws, namespace } = setup();
      const run = await runAction({
        workspace: ws,
        inputs: {
          charts: 'examples/hello-web',
          'dry-run': 'false',
          'plain-http': 'true',
          registry: `oci://${registry.host}/${namespace}`,
          'signing-key': await gpg.exportSecretKey(pgp),
          'cosign-key': key.pkcs8Pem,
        },
      });
      expect(run.exitCode, run.stdout).toBe(0);
      const chart = run.charts[0]!;
      expect(chart.provenanceDigest).toMatch(/^sha256:/);
      const manifest = parseJson<ManifestJson>(await skopeoFor(registry).inspectRaw(`${namespace}/hello-web@${chart.digest}`));
      expect(manifest.layers.map((l) => l.digest)).toContain(chart.provenanceDigest);
      const statement = bundleStatement(await referrerBundle(`${namespace}/hello-web`, chart.signature!));
      expect(statement.subject[0]!.digest).toEqual({ sha256: chart.digest!.slice(7) });
    } finally {
      gpg.dispose();
    }
  });

  it('skips keyless signing in a pull-request dry-run and says so; without id-token permission a release fails before pushing', async () => {
    const { ws, namespace, artifacts } = setup();
    const inputs = {
      charts: 'examples/hello-web',
      'plain-http': 'true',
      registry: `oci://${registry.host}/${namespace}`,
      'cosign-keyless': 'true',
    };
    const dry = await runAction({
      workspace: ws,
      inputs,
      event: { name: 'pull_request', payload: {} },
      env: { GITHUB_ARTIFACTS: artifacts },
    });
    expect(dry.exitCode, dry.stdout).toBe(0);
    expect(dry.charts[0]!.status).toBe('dry-run');
    expect(dry.stdout).toContain('keyless signing is skipped in a dry-run');
    expect(readFileSync(artifacts, 'utf8')).toBe(`oci://earlier.example/step@sha256:${'a'.repeat(64)}\n`);

    const release = await runAction({ workspace: ws, inputs: { ...inputs, 'dry-run': 'false' } });
    expect(release.exitCode).not.toBe(0);
    expect(release.stdout).toContain('id-token: write');
    expect(
      await skopeoFor(registry)
        .listTags(`${namespace}/hello-web`)
        .catch(() => []),
    ).toEqual([]);
  });
});
