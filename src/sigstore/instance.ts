/**
 * Which Sigstore deployment signs keyless, chosen as `@actions/attest` chooses
 * (`packages/attest/src/endpoints.ts`): a public repository uses the public-good instance
 * (Fulcio and the Rekor log at sigstore.dev); a private or internal one uses GitHub's own
 * instance (its Fulcio and timestamp authority, no public log), so that private names stay
 * private. A `sigstore-fulcio-url` input names a private deployment and overrides both.
 */

export interface SigstoreInstance {
  name: string;
  fulcioUrl: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

export const PUBLIC_GOOD: SigstoreInstance = {
  name: 'the public-good Sigstore instance',
  fulcioUrl: 'https://fulcio.sigstore.dev',
  rekorUrl: 'https://rekor.sigstore.dev',
};

export const GITHUB_INSTANCE: SigstoreInstance = {
  name: "GitHub's Sigstore instance",
  fulcioUrl: 'https://fulcio.githubapp.com',
  tsaUrl: 'https://timestamp.githubapp.com',
};

export function sigstoreInstance(
  urls: { fulcioUrl?: string; rekorUrl?: string; tsaUrl?: string },
  visibility: string | undefined,
): SigstoreInstance {
  if (urls.fulcioUrl) {
    return {
      name: `the Sigstore deployment at ${urls.fulcioUrl}`,
      fulcioUrl: urls.fulcioUrl,
      ...(urls.rekorUrl ? { rekorUrl: urls.rekorUrl } : {}),
      ...(urls.tsaUrl ? { tsaUrl: urls.tsaUrl } : {}),
    };
  }
  const base = visibility === 'public' ? PUBLIC_GOOD : GITHUB_INSTANCE;
  return {
    ...base,
    ...(urls.rekorUrl ? { rekorUrl: urls.rekorUrl } : {}),
    ...(urls.tsaUrl ? { tsaUrl: urls.tsaUrl } : {}),
  };
}
