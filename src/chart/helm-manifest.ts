import { HELM_CHART_MEDIA_TYPE, HELM_PROVENANCE_MEDIA_TYPE, LEGACY_CHART_MEDIA_TYPE } from './oci-media-types.js';

/** A manifest layer as listed; a field of the wrong JSON type is left out. */
export interface ManifestLayer {
  mediaType: string;
  digest?: string;
  size?: number;
}

/** The parts of an OCI image manifest that make it a Helm chart (../shared/spec/helm-oci.md §3.6). */
export interface HelmManifest {
  /** `config.mediaType` as written, whatever its JSON type (undefined when absent). */
  configMediaType: unknown;
  /** The chart archive: the last layer of the chart media type (or the legacy one). */
  chart: ManifestLayer | undefined;
  /** The .prov: the last layer of the provenance media type. */
  provenance: ManifestLayer | undefined;
}

/**
 * Reads a manifest's Helm parts the way `helm pull` picks them: of several layers of one media
 * type, the last wins (§3.6). Throws a SyntaxError when the bytes are not JSON.
 */
export function readHelmManifest(bytes: Uint8Array): HelmManifest {
  const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  const manifest = isObject(parsed) ? parsed : {};
  const layers = (Array.isArray(manifest.layers) ? (manifest.layers as unknown[]) : []).flatMap((entry): ManifestLayer[] => {
    if (!isObject(entry) || typeof entry.mediaType !== 'string') return [];
    return [
      {
        mediaType: entry.mediaType,
        ...(typeof entry.digest === 'string' ? { digest: entry.digest } : {}),
        ...(typeof entry.size === 'number' ? { size: entry.size } : {}),
      },
    ];
  });
  const last = (...types: string[]) => layers.filter((l) => types.includes(l.mediaType)).at(-1);
  return {
    configMediaType: isObject(manifest.config) ? manifest.config.mediaType : undefined,
    chart: last(HELM_CHART_MEDIA_TYPE, LEGACY_CHART_MEDIA_TYPE),
    provenance: last(HELM_PROVENANCE_MEDIA_TYPE),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
