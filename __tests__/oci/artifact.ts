import { sha256Digest } from '../../src/oci/digest.js';
import type { Repository } from '../../src/oci/registry-client.js';
import type { Descriptor } from '../../src/oci/media-types.js';

/** A small artifact as Helm pushes one: a config blob, one layer, a manifest without `mediaType`. */
export interface TestArtifact {
  config: { descriptor: Descriptor; bytes: Uint8Array };
  layer: { descriptor: Descriptor; bytes: Uint8Array };
  manifest: Uint8Array;
  manifestDigest: string;
}

export function makeArtifact(name: string, version: string, payload = `${name}-${version}`): TestArtifact {
  const configBytes = new TextEncoder().encode(JSON.stringify({ name, version, apiVersion: 'v2' }));
  // Any bytes do for the layer: the registry and skopeo treat it as opaque.
  const layerBytes = new TextEncoder().encode(`layer of ${payload}\n`.repeat(20));
  const config: Descriptor = {
    mediaType: 'application/vnd.example.config.v1+json',
    digest: sha256Digest(configBytes),
    size: configBytes.byteLength,
  };
  const layer: Descriptor = {
    mediaType: 'application/vnd.example.layer.v1.tar+gzip',
    digest: sha256Digest(layerBytes),
    size: layerBytes.byteLength,
  };
  const manifest = new TextEncoder().encode(
    JSON.stringify({ schemaVersion: 2, config, layers: [layer], annotations: { 'org.opencontainers.image.title': name } }),
  );
  return {
    config: { descriptor: config, bytes: configBytes },
    layer: { descriptor: layer, bytes: layerBytes },
    manifest,
    manifestDigest: sha256Digest(manifest),
  };
}

/**
 * A push reduced to what the client's tests need (src/publish/push-chart.ts is the real one):
 * HEAD the manifest by tag, stop when it is already there with the same digest, else upload both
 * blobs and PUT the manifest by tag. Returns whether anything was pushed.
 */
export async function pushArtifact(repository: Repository, tag: string, artifact: TestArtifact): Promise<'pushed' | 'unchanged'> {
  const existing = await repository.headManifest(tag);
  if (existing?.digest === artifact.manifestDigest) return 'unchanged';
  await repository.pushBlob(artifact.config.descriptor, artifact.config.bytes);
  await repository.pushBlob(artifact.layer.descriptor, artifact.layer.bytes);
  await repository.putManifest(tag, 'application/vnd.oci.image.manifest.v1+json', artifact.manifest);
  return 'pushed';
}
