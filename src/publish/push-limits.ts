import { ChartError } from '../shared/errors.js';
import type { HelmArtifact } from './artifact.js';
import { plannedManifest } from './push-chart.js';
import type { MetadataSource } from '../chart/metadata.js';
import type { PreparedChart } from './run.js';
import type { ChartReference } from './target.js';

/**
 * Limits a registry enforces only when the chart is pushed, checked in the plan so that a chart
 * that can never be pushed fails validation and nothing of the run is pushed:
 * - the repository name: at most 255 characters (Distribution `reference.NameTotalLengthMax`;
 *   the registry answers NAME_INVALID);
 * - the tag: at most 128 characters (OCI distribution-spec tag grammar, helm-oci.md §3.6);
 * - the manifest: at most 4 MiB (Distribution's `maxManifestBodySize`, the size most registries
 *   accept). Chart.yaml's description, maintainers and annotations go into its annotations.
 */

export const MAX_REPOSITORY_LENGTH = 255;
export const MAX_TAG_LENGTH = 128;
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Builds the manifest exactly as the push will (annotations input, revision, source). */
export type ManifestBuilder = (chart: PreparedChart) => Pick<HelmArtifact, 'manifest' | 'annotations'>;

/** The reference's limits, known as soon as the reference is: checked before packaging. */
export function checkReferenceLimits(reference: ChartReference, source: MetadataSource): void {
  const at = (key: string) => ({ file: source.file, line: source.keyLines.get(key) });
  if (reference.repository.length > MAX_REPOSITORY_LENGTH) {
    throw new ChartError(
      `the repository ${reference.registry}/${reference.repository.slice(0, 60)}… is ${reference.repository.length} characters long; ` +
        `registries accept at most ${MAX_REPOSITORY_LENGTH}: shorten the chart name or the registry namespace`,
      at('name'),
    );
  }
  if (reference.tag.length > MAX_TAG_LENGTH) {
    throw new ChartError(
      `the tag "${reference.tag.slice(0, 40)}…" is ${reference.tag.length} characters long; an OCI tag has at most ${MAX_TAG_LENGTH}: shorten the version`,
      at('version'),
    );
  }
}

/** The manifest's size, built as the push will build it, once the chart is packaged and signed. */
export function checkManifestSize(chart: PreparedChart, build: ManifestBuilder = plannedManifest): void {
  const { source, metadata } = chart.chart;
  const at = (key: string) => ({ file: source.file, line: source.keyLines.get(key) });
  const artifact = build(chart);
  if (artifact.manifest.size > MAX_MANIFEST_BYTES) {
    const largest = [...artifact.annotations].sort((a, b) => b[1].length - a[1].length)[0];
    const key = largest?.[0] === 'org.opencontainers.image.description' ? 'description' : 'annotations';
    throw new ChartError(
      `the OCI manifest of ${metadata.name} ${metadata.version} would be ${artifact.manifest.size} bytes; registries accept at most ` +
        `${MAX_MANIFEST_BYTES} (4 MiB). Chart.yaml's description, maintainers and annotations are copied into it` +
        (largest ? ` (the largest, ${largest[0]}, has ${largest[1].length} characters)` : '') +
        ': shorten them',
      at(key),
    );
  }
}
