import { bundleFromJSON, bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Signer, type Witness } from '@sigstore/sign';
import { toSignedEntity } from '@sigstore/verify';
import { createPublicKey, sign as cryptoSign } from 'node:crypto';
import { describeError } from '../shared/errors.js';
import type { CosignKey } from './cosign-key.js';
import { claim, type RunnerIdentity } from './runner-identity.js';
import { SigstoreError } from './sigstore-error.js';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from './statements.js';

/**
 * Makes Sigstore bundles (v0.3, DSSE around an in-toto statement) with `@sigstore/sign`: with
 * a cosign key, or keyless with a Fulcio certificate for the workflow's OIDC identity.
 */

export interface BundleSigner {
  kind: 'key' | 'keyless';
  /** Who signs: the certificate identity (keyless) or the key's hint. */
  identity(): Promise<SignerIdentity>;
  sign(statement: Statement): Promise<SerializedBundle>;
  /** True when the bundle was signed by this key or this certificate identity. */
  isOwn(bundle: SerializedBundle): Promise<boolean>;
}

export type SignerIdentity =
  | { kind: 'key'; hint: string; publicKeyPem: string; transparencyLog: boolean }
  | { kind: 'keyless'; subject: string; issuer: string; transparencyLog: boolean };

/** Sigstore service URLs; absent ones are not used. */
export interface SigstoreServices {
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

const SERVICE_TIMEOUT_MS = 30_000;
const SERVICE_RETRY = { retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 8000 };

export function keyedBundleSigner(key: CosignKey, services: SigstoreServices): BundleSigner {
  const signer: Signer = {
    sign: (data) =>
      Promise.resolve({
        signature: cryptoSign('sha256', data, key.privateKey),
        key: { $case: 'publicKey', publicKey: key.publicKeyPem, hint: key.hint },
      }),
  };
  const builder = new DSSEBundleBuilder({ signer, witnesses: witnesses(services) });
  const publicKey = createPublicKey(key.privateKey);
  return {
    kind: 'key',
    identity: () => Promise.resolve({ kind: 'key', hint: key.hint, publicKeyPem: key.publicKeyPem, transparencyLog: !!services.rekorUrl }),
    sign: (statement) => build(builder, statement),
    isOwn: (json) => {
      try {
        const bundle = bundleFromJSON(json);
        if (bundle.verificationMaterial.content.$case !== 'publicKey') return Promise.resolve(false);
        if (bundle.verificationMaterial.content.publicKey.hint !== key.hint) return Promise.resolve(false);
        return Promise.resolve(toSignedEntity(bundle).signature.verifySignature(publicKey));
      } catch {
        return Promise.resolve(false);
      }
    },
  };
}

export interface KeylessOptions extends SigstoreServices {
  fulcioUrl: string;
  identity: RunnerIdentity;
  /** The GitHub server, e.g. https://github.com: Fulcio's certificate identity for a workflow is `<server>/<job_workflow_ref>`. */
  serverUrl: string;
}

export function keylessBundleSigner(options: KeylessOptions): BundleSigner {
  const signer = new FulcioSigner({
    fulcioBaseURL: options.fulcioUrl,
    identityProvider: { getToken: async () => (await options.identity.token()).jwt },
    timeout: SERVICE_TIMEOUT_MS,
    retry: SERVICE_RETRY,
  });
  const builder = new DSSEBundleBuilder({ signer, witnesses: witnesses(options) });
  const identity = async (): Promise<SignerIdentity> => {
    const { claims } = await options.identity.token();
    const workflow = claim(claims, 'job_workflow_ref');
    const issuer = claim(claims, 'iss');
    if (!workflow || !issuer) throw new SigstoreError('the OIDC token has no job_workflow_ref or iss claim: is it a GitHub Actions token?');
    return { kind: 'keyless', subject: `${options.serverUrl}/${workflow}`, issuer, transparencyLog: !!options.rekorUrl };
  };
  return {
    kind: 'keyless',
    identity,
    sign: (statement) => build(builder, statement),
    isOwn: async (json) => {
      const expected = await identity();
      if (expected.kind !== 'keyless') return false;
      try {
        const bundle = bundleFromJSON(json);
        const content = bundle.verificationMaterial.content;
        const raw =
          content.$case === 'certificate'
            ? content.certificate.rawBytes
            : content.$case === 'x509CertificateChain'
              ? content.x509CertificateChain.certificates[0]?.rawBytes
              : undefined;
        if (!raw) return false;
        return X509Certificate.parse(Buffer.from(raw)).subjectAltName === expected.subject;
      } catch {
        return false;
      }
    },
  };
}

function witnesses(services: SigstoreServices): Witness[] {
  const list: Witness[] = [];
  if (services.rekorUrl) {
    list.push(new RekorWitness({ rekorBaseURL: services.rekorUrl, entryType: 'dsse', timeout: SERVICE_TIMEOUT_MS, retry: SERVICE_RETRY }));
  }
  if (services.tsaUrl) list.push(new TSAWitness({ tsaBaseURL: services.tsaUrl, timeout: SERVICE_TIMEOUT_MS, retry: SERVICE_RETRY }));
  return list;
}

async function build(builder: DSSEBundleBuilder, statement: Statement): Promise<SerializedBundle> {
  try {
    const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement), 'utf8'), type: IN_TOTO_PAYLOAD_TYPE });
    return bundleToJSON(bundle);
  } catch (error) {
    throw new SigstoreError(`cannot make the Sigstore bundle: ${describeError(error)}`, { cause: error });
  }
}
