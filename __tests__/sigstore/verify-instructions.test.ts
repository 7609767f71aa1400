import { describe, expect, it } from 'vitest';
import { sigstoreInstance } from '../../src/sigstore/instance.js';
import { cosignSignStatement } from '../../src/sigstore/statements.js';
import { verifyInstructions } from '../../src/sigstore/verify-instructions.js';

const digest = `sha256:${'b'.repeat(64)}`;
const chart = { reference: 'ghcr.io/acme/charts/web:1.0.0', digest, signature: `sha256:${'c'.repeat(64)}` };

describe('verify instructions', () => {
  it('keyless: cosign verify with identity and issuer, and a Flux matchOIDCIdentity with escaped regexes', () => {
    const text = verifyInstructions([{ ...chart, attestation: `sha256:${'d'.repeat(64)}` }], {
      signer: {
        kind: 'keyless',
        subject: 'https://github.com/acme/charts/.github/workflows/release.yml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
        transparencyLog: true,
      },
      repository: 'acme/charts',
    });
    expect(text).toContain(
      `cosign verify --certificate-identity 'https://github.com/acme/charts/.github/workflows/release.yml@refs/heads/main' --certificate-oidc-issuer 'https://token.actions.githubusercontent.com' ghcr.io/acme/charts/web@${digest}`,
    );
    expect(text).toContain(`gh attestation verify oci://ghcr.io/acme/charts/web@${digest} --bundle-from-oci --repo acme/charts`);
    expect(text).toContain(`subject: '^https://github\\.com/acme/charts/\\.github/workflows/release\\.yml@refs/heads/main$'`);
  });

  it('keyed: --key, and --insecure-ignore-tlog only when nothing was logged', () => {
    const signer = { kind: 'key' as const, hint: 'h', publicKeyPem: '', transparencyLog: false };
    expect(verifyInstructions([chart], { signer, repository: undefined })).toContain(
      `cosign verify --key cosign.pub --insecure-ignore-tlog=true ghcr.io/acme/charts/web@${digest}`,
    );
    expect(verifyInstructions([chart], { signer: { ...signer, transparencyLog: true }, repository: undefined })).toContain(
      `cosign verify --key cosign.pub ghcr.io/acme/charts/web@${digest}`,
    );
    expect(verifyInstructions([{ reference: chart.reference }], { signer, repository: undefined })).toBe('');
  });
});

describe('sigstoreInstance', () => {
  it('chooses public-good for public repositories and GitHub for the others, as @actions/attest does; inputs override', () => {
    expect(sigstoreInstance({}, 'public')).toMatchObject({
      fulcioUrl: 'https://fulcio.sigstore.dev',
      rekorUrl: 'https://rekor.sigstore.dev',
    });
    const github = sigstoreInstance({}, 'private');
    expect(github).toMatchObject({ fulcioUrl: 'https://fulcio.githubapp.com', tsaUrl: 'https://timestamp.githubapp.com' });
    expect(github.rekorUrl).toBeUndefined();
    expect(sigstoreInstance({}, undefined).fulcioUrl).toBe('https://fulcio.githubapp.com');
    expect(sigstoreInstance({ fulcioUrl: 'https://fulcio.internal', tsaUrl: 'https://tsa.internal' }, 'public')).toEqual({
      name: 'the Sigstore deployment at https://fulcio.internal',
      fulcioUrl: 'https://fulcio.internal',
      tsaUrl: 'https://tsa.internal',
    });
  });
});

describe('statements', () => {
  it("states cosign's sign predicate about the manifest digest", () => {
    expect(cosignSignStatement({ name: 'ghcr.io/acme/charts/web', digest })).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'ghcr.io/acme/charts/web', digest: { sha256: 'b'.repeat(64) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    });
  });
});
