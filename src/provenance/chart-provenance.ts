import type { Metadata } from '../chart/metadata.js';
import type { Clock } from '../shared/clock.js';
import { signedText } from './cleartext.js';
import { provenanceMessage } from './message.js';
import { sha256Hex } from '../shared/sha256.js';
import { ProvenanceError, SigningError } from './provenance-error.js';
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
 * nothing unverifiable is ever pushed. This is the one verification of every signature: the
 * signer does not verify what it signs.
 */
export async function createChartProvenance(options: ChartProvenanceOptions): Promise<ChartProvenance> {
  const { signer } = options;
  const message = provenanceMessage(options.metadata, options.archiveFileName, sha256Hex(options.archiveBytes));
  const provenance = await signer.sign(message);
  const fail = (what: string, cause?: unknown) =>
    new SigningError(`the provenance just signed by ${signer.fingerprint} does not verify (${what}); nothing was published`, { cause });
  let verification: ProvenanceVerification;
  try {
    verification = await verifyProvenance({
      provenance,
      publicKeys: signer.publicKey,
      archiveFileName: options.archiveFileName,
      archiveBytes: options.archiveBytes,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (error) {
    if (error instanceof ProvenanceError) throw fail(error.message, error);
    throw error;
  }
  // The digest entry alone does not prove the metadata part was framed and read back intact.
  if (verification.plaintext !== signedText(message).replaceAll('\r\n', '\n')) {
    throw fail('the signed text read back differs from the message');
  }
  return { provenance, verification };
}
