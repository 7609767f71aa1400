import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { PublicKeyDetails, type TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { createHash, createPublicKey } from 'node:crypto';
import { describeError } from '../shared/errors.js';
import { SigstoreError } from './sigstore-error.js';
import type { Statement } from './statements.js';

/**
 * Verifies a keyed bundle with `@sigstore/verify` given only the public key, as Flux or
 * `cosign verify --key --insecure-ignore-tlog` would offline, and checks that its statement is
 * about `digest`. Returns the statement.
 */
export function verifyKeyedBundle(json: SerializedBundle, publicKeyPem: string, digest: string): Statement {
  const spki = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  const hint = createHash('sha256').update(spki).digest('base64');
  const root: TrustedRoot = { mediaType: '', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] };
  const trust = toTrustMaterial(root, { [hint]: { rawBytes: spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } });
  try {
    const bundle = bundleFromJSON(json);
    new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('the bundle holds no DSSE envelope');
    const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8')) as Statement;
    const [algorithm, hex] = digest.split(':') as [string, string];
    if (!statement.subject?.some((s) => s.digest?.[algorithm] === hex)) throw new Error(`the statement is not about ${digest}`);
    return statement;
  } catch (error) {
    throw new SigstoreError(`the signature does not verify with the public key of cosign-key: ${describeError(error)}`, { cause: error });
  }
}
