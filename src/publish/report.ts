/**
 * What a run did, per chart: the shape of the `charts` output and the job summary.
 */

export type ChartStatus = 'published' | 'unchanged' | 'dry-run' | 'skipped' | 'failed';

export interface ChartOutcome {
  name: string;
  version: string;
  /** Chart directory relative to the workspace. */
  path: string;
  /** host/namespace/name:tag */
  reference: string;
  tag: string;
  /** Manifest digest, when pushed or found in the registry. */
  digest?: string;
  /** sha256 of the .tgz, `sha256:<hex>`. */
  chartDigest?: string;
  /** sha256 of the .prov, when signed. */
  provenanceDigest?: string;
  /** Absolute path of the .tgz. */
  package?: string;
  /** Size of the .tgz in bytes. */
  size?: number;
  status: ChartStatus;
  reason?: string;
  /** Marked `deprecated: true` in the chart repository it was migrated from. */
  deprecated?: boolean;
}

export interface RunReport {
  dryRun: boolean;
  /** oci://host/namespace the charts go to. */
  registry: string;
  charts: ChartOutcome[];
  /** How the charts were selected (base commit, event), for the summary. */
  selection?: string;
  /** Charts deleted by the change: reported, never published. */
  deleted: string[];
  /** The signing key, when charts were signed. */
  signing?: string;
}

export function failedCount(report: RunReport): number {
  return report.charts.filter((c) => c.status === 'failed').length;
}
