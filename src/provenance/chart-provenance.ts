import type { Metadata } from '../chart/metadata.js';
import type { Clock } from '../shared/clock.js';
import { provenanceMessage, sha256Hex } from './message.js';
import type { Signer } from './signing-key.js';
import { verifyProvenance, type ProvenanceVerification } from './verify.js';

export interface ChartProvenanceOptions {
  signer: Signer;
  /** The chart's metadata as it is inside the archive, validated (see provenanceMessage). */
  metadata: Metadata;
  /** The name the archive is published under, e.g. `demo-1.2.3.tgz`. */
  archiveFileName: string;
  archiveBytes: Uint8Array;
  clock?: Clock;
}

export interface ChartProvenance {
  /** The `.prov` text: push it as the provenance layer or write it beside the archive. */
  provenance: string;
  /** What `helm verify` will report for it; already checked against the archive. */
  verification: ProvenanceVerification;
}

/**
 * What `helm package --sign` produces for an archive (../shared/spec/helm-oci.md §2.1), checked
 * the way `helm verify` checks it (§2.4) against the archive bytes before it is returned, so that
 * nothing unverifiable is ever pushed.
 */
export async function createChartProvenance(options: ChartProvenanceOptions): Promise<ChartProvenance> {
  const message = provenanceMessage(options.metadata, options.archiveFileName, sha256Hex(options.archiveBytes));
  const provenance = await options.signer.sign(message);
  const verification = await verifyProvenance({
    provenance,
    publicKeys: options.signer.publicKey,
    archiveFileName: options.archiveFileName,
    archiveBytes: options.archiveBytes,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { provenance, verification };
}
