/**
 * The Sigstore inputs, read by the action. Types only: importing this module loads none of the
 * signing code, which `main.ts` imports on demand.
 */
export interface SigstoreSettings {
  /** `cosign-keyless`: sign with a Fulcio certificate for the workflow's OIDC identity. */
  keyless: boolean;
  /** `cosign-key`: a cosign.key or PKCS#8 PEM ECDSA P-256 key. */
  key?: string;
  /** `cosign-key-password`. */
  keyPassword?: string;
  /** `attest`: SLSA build provenance, keyless, for every chart. */
  attest: boolean;
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

/** True when any chart is to be signed or attested with Sigstore. */
export function sigstoreWanted(settings: SigstoreSettings): boolean {
  return settings.keyless || settings.key !== undefined || settings.attest;
}
