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
  /** What the pre-publish checks found (schema, Artifact Hub), for the summary only. */
  checks?: string[];
  /** In a dry-run, when the registry was read: what the release would do with the chart. */
  wouldBe?: 'published' | 'unchanged' | 'skipped';
  /** Digest of the Sigstore signature's referrer manifest. */
  signature?: string;
  /** Digest of the build-provenance attestation's referrer manifest. */
  attestation?: string;
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
  /** Why nothing was pushed (or, in a dry-run, would be), when charts that passed were held back. */
  blocked?: string;
  /** The on-invalid the run followed (`fail` when absent). */
  onInvalid?: 'fail' | 'skip';
  /** The signing key, when charts were signed. */
  signing?: string;
  /** Markdown: how to verify the Sigstore signatures and attestations. */
  verification?: string;
}

export function failedCount(report: RunReport): number {
  return report.charts.filter((c) => c.status === 'failed').length;
}

/**
 * Why nothing was (or, in a dry-run, would be) pushed, if so. In a dry-run the failures found
 * after the run (a version not bumped in a pull request) count too: with on-invalid: fail, a
 * release of this state would push nothing.
 */
export function blockedReason(report: RunReport): string | undefined {
  const failed = failedCount(report);
  if (!report.dryRun) return report.blocked;
  // Counted now, not when the engine finished: later checks may have failed more charts.
  if (report.onInvalid !== 'skip' && failed > 0) {
    return (
      `a real run would push nothing: ${failed} of ${report.charts.length} selected chart(s) failed, ` +
      'and nothing is pushed unless every selected chart validates (on-invalid: fail)'
    );
  }
  return undefined;
}
