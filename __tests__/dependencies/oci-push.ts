import { loadChartArchive } from '../../src/chart/chart-loader.js';
import { ociTag } from '../../src/chart/metadata.js';
import { OCI_MANIFEST_MEDIA_TYPE } from '../../src/oci/media-types.js';
import type { RegistryClient } from '../../src/oci/registry-client.js';
import { helmArtifact } from '../../src/publish/artifact.js';
import { silentLogger } from '../../src/shared/logger.js';

/** Pushes a chart archive the way `helm push` does: config, chart layer, manifest under the version tag. */
export async function pushArchive(client: RegistryClient, host: string, namespace: string, archive: Buffer, tag?: string): Promise<string> {
  const chart = await loadChartArchive(archive, 'archive', silentLogger);
  const artifact = helmArtifact({ metadata: chart.metadata, chart: archive, created: 1_700_000_000 });
  const repository = client.repository(host, `${namespace}/${chart.metadata.name}`, { push: true });
  for (const blob of [artifact.config, ...artifact.layers]) await repository.pushBlob(blob, blob.bytes);
  await repository.putManifest(tag ?? ociTag(chart.metadata.version), OCI_MANIFEST_MEDIA_TYPE, artifact.manifest.bytes);
  return artifact.manifest.digest;
}
