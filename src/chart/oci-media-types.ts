/**
 * The media types a Helm chart has in an OCI registry (HIP-6; ../shared/spec/helm-oci.md §3.1):
 * part of the chart format, used to push charts and to pull dependencies.
 */
export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
export const HELM_PROVENANCE_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** The chart layer type before HIP-6; Helm still accepts it on pull, with a warning. */
export const LEGACY_CHART_MEDIA_TYPE = 'application/tar+gzip';
