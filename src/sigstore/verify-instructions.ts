import type { SignerIdentity } from './bundle-signer.js';

/**
 * The job summary's "how to check" block: `cosign verify` with the certificate identity and
 * issuer (keyless) or the public key (keyed), `gh attestation verify` for the provenance, and
 * the `verify` stanza of a Flux OCIRepository/HelmChart.
 */

export interface SignedChart {
  /** `host/namespace/name:tag`. */
  reference: string;
  digest?: string;
  signature?: string;
  attestation?: string;
}

export interface InstructionOptions {
  signer: SignerIdentity | undefined;
  /** `owner/repo` of the workflow, for `gh attestation verify --repo`. */
  repository: string | undefined;
  /** Signed with GitHub's own Sigstore instance: cosign needs its trusted root. */
  githubInstance?: boolean;
}

export function verifyInstructions(charts: readonly SignedChart[], options: InstructionOptions): string {
  const signed = charts.filter((c) => c.digest && (c.signature || c.attestation));
  if (signed.length === 0) return '';
  const lines = ['### Verify', '', '```sh'];
  const signer = options.signer;
  for (const chart of signed) {
    const pinned = `${chart.reference.slice(0, chart.reference.lastIndexOf(':'))}@${chart.digest ?? ''}`;
    if (chart.signature && signer?.kind === 'keyless') {
      lines.push(
        `cosign verify --certificate-identity '${signer.subject}' --certificate-oidc-issuer '${signer.issuer}'` +
          `${options.githubInstance ? ' --trusted-root github-trusted-root.json' : ''} ${pinned}`,
      );
    } else if (chart.signature && signer?.kind === 'key') {
      lines.push(`cosign verify --key cosign.pub${signer.transparencyLog ? '' : ' --insecure-ignore-tlog=true'} ${pinned}`);
    }
    if (chart.attestation) {
      lines.push(`gh attestation verify oci://${pinned} --bundle-from-oci${options.repository ? ` --repo ${options.repository}` : ''}`);
    }
  }
  lines.push('```', '');
  if (signer && signed.some((c) => c.signature)) {
    lines.push('Flux (`OCIRepository` or `HelmChart` spec):', '', '```yaml', 'verify:', '  provider: cosign');
    if (signer.kind === 'keyless') {
      lines.push(
        '  matchOIDCIdentity:',
        `    - issuer: '^${escapeRegExp(signer.issuer)}$'`,
        `      subject: '^${escapeRegExp(signer.subject)}$'`,
      );
    } else {
      lines.push('  secretRef:', '    name: cosign-pub # a Secret holding cosign.pub');
    }
    lines.push('```', '');
  }
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
