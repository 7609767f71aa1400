import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { RegistryError } from '../../src/oci/registry-error.js';
import { requireTool, startRegistry, type RegistryMode, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { makeArtifact, pushArtifact } from './artifact.js';
import { inputCredentials, runChild } from './helpers.js';

describe.each<RegistryMode>(['plain', 'htpasswd', 'token'])('push to a %s registry', (mode) => {
  let registry: TestRegistry;
  let layoutDir: string;
  beforeAll(async () => {
    registry = await startRegistry({ mode });
    layoutDir = await mkdtemp(join(tmpdir(), 'oci-layout-'));
  });
  afterAll(async () => {
    await registry?.stop();
    if (layoutDir) await rm(layoutDir, { recursive: true, force: true });
  });

  test('what skopeo reads back is byte for byte what we pushed', async () => {
    const credentials =
      registry.username && registry.password ? inputCredentials(registry.host, registry.username, registry.password) : undefined;
    const client = new RegistryClient({ plainHttp: true, credentials });
    const repo = client.repository(registry.host, 'charts/demo', { push: true });
    const artifact = makeArtifact('demo', '0.1.0');

    expect(await pushArtifact(repo, '0.1.0', artifact)).toBe('pushed');

    const skopeo = skopeoFor(registry);
    expect((await skopeo.inspectRaw('charts/demo:0.1.0')).equals(Buffer.from(artifact.manifest))).toBe(true);
    expect((await skopeo.inspectRaw(`charts/demo@${artifact.manifestDigest}`)).equals(Buffer.from(artifact.manifest))).toBe(true);
    expect((await skopeo.inspectConfigRaw('charts/demo:0.1.0')).equals(Buffer.from(artifact.config.bytes))).toBe(true);
    expect(await skopeo.copyToOciLayout('charts/demo:0.1.0', layoutDir)).toBe(artifact.manifestDigest);
    const layerInLayout = await readFile(join(layoutDir, 'blobs', 'sha256', artifact.layer.descriptor.digest.slice(7)));
    expect(layerInLayout.equals(Buffer.from(artifact.layer.bytes))).toBe(true);
    expect(await skopeo.listTags('charts/demo')).toEqual(['0.1.0']);

    // Pushing the same artifact again changes nothing.
    expect(await pushArtifact(repo, '0.1.0', artifact)).toBe('unchanged');
  });

  test('reads: HEAD and GET manifest, blobs, tags', async () => {
    const credentials =
      registry.username && registry.password ? inputCredentials(registry.host, registry.username, registry.password) : undefined;
    const client = new RegistryClient({ plainHttp: true, credentials });
    const repo = client.repository(registry.host, 'charts/reader', { push: true });
    const artifact = makeArtifact('reader', '1.0.0');
    await pushArtifact(repo, '1.0.0', artifact);
    await repo.putManifest('1.0.0_build.1', 'application/vnd.oci.image.manifest.v1+json', artifact.manifest);

    const reader = new RegistryClient({ plainHttp: true, credentials }).repository(registry.host, 'charts/reader');
    expect(await reader.headManifest('1.0.0')).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: artifact.manifestDigest,
      size: artifact.manifest.byteLength,
    });
    expect(await reader.headManifest('2.0.0')).toBeUndefined();
    const manifest = await reader.getManifest(artifact.manifestDigest);
    expect(Buffer.from(manifest.bytes).equals(Buffer.from(artifact.manifest))).toBe(true);
    expect(manifest.descriptor.digest).toBe(artifact.manifestDigest);
    expect(Buffer.from(await reader.fetchBlob(artifact.layer.descriptor.digest)).equals(Buffer.from(artifact.layer.bytes))).toBe(true);
    expect(await reader.blobExists(artifact.config.descriptor.digest)).toBe(true);
    expect(await reader.blobExists(`sha256:${'0'.repeat(64)}`)).toBe(false);
    expect((await reader.listTags()).sort()).toEqual(['1.0.0', '1.0.0_build.1']);
  });
});

describe.each<RegistryMode>(['tls', 'tls-htpasswd'])('push to a %s registry over https', (mode) => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode });
  });
  afterAll(async () => registry?.stop());

  test('with NODE_EXTRA_CA_CERTS (in a child process, where Node reads it at start)', async () => {
    const args = [registry.host, 'charts/tls-demo', ...(registry.username ? [registry.username, registry.password ?? ''] : [])];
    const result = await runChild('push-over-tls.ts', args, { NODE_EXTRA_CA_CERTS: registry.caFile ?? '' });
    const artifact = makeArtifact('tls-demo', '0.1.0');
    expect(result).toEqual({ first: 'pushed', second: 'unchanged', digest: artifact.manifestDigest, expected: artifact.manifestDigest });
    const raw = await skopeoFor(registry).inspectRaw('charts/tls-demo:0.1.0');
    expect(raw.equals(Buffer.from(artifact.manifest))).toBe(true);
  });

  test('without the CA the certificate is refused, without retrying', async () => {
    const result = await runChild('push-over-tls.ts', [registry.host, 'charts/untrusted'], { NODE_EXTRA_CA_CERTS: '' });
    expect(result.error).toMatch(/self-signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/);
    expect(result.error).toMatch(/not trusted: give Node its CA certificate with NODE_EXTRA_CA_CERTS/);
    expect(result.error).not.toMatch(/attempts/);
  });

  test('speaking plain http to the https port fails with the registry saying so', async () => {
    const repo = new RegistryClient({ plainHttp: true, retry: { maxRetries: 0 } }).repository(registry.host, 'charts/demo');
    const error = await repo.getManifest('0.1.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(400);
    expect((error as RegistryError).message).toMatch(/HTTP request to an HTTPS server.*turn plain http off/);
  });

  test('a HEAD in plain http to the https port, whose 400 has no body to read, gets the hint too', async () => {
    const repo = new RegistryClient({ plainHttp: true, retry: { maxRetries: 0 } }).repository(registry.host, 'charts/demo');
    const error = await repo.headManifest('0.1.0').catch((e: unknown) => e);
    expect((error as RegistryError).message).toMatch(
      /→ HTTP 400\)\. The registry answered 400 without saying why \(a HEAD has no body\); if it speaks https on this port, turn plain http off$/,
    );
  });
});

describe('plain http to a TLS port that closes the connection unanswered (Node, nginx-like)', () => {
  test('says the registry may speak https', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oci-tls-port-'));
    await promisify(execFile)(requireTool('openssl'), [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    ]);
    const server = createServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (_req, res) =>
      res.end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const repo = new RegistryClient({ plainHttp: true, retry: { maxRetries: 1 } }).repository(host, 'charts/demo');
      const error = await repo.headManifest('0.1.0').catch((e: unknown) => e);
      expect((error as RegistryError).message).toBe(
        `Request failed after 2 attempts: socket hang up (ECONNRESET) (HEAD http://${host}/v2/charts/demo/manifests/0.1.0). ` +
          'The registry closed the plain-http connection without answering; if it speaks https on this port, turn plain http off',
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
