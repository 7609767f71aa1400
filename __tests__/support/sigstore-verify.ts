import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { PublicKeyDetails } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type Signer } from '@sigstore/verify';
import { createHash, createPublicKey } from 'node:crypto';

/** Verifies a keyed bundle with @sigstore/verify, given nothing but the public key (offline, no log). */
export function verifyWithPublicKey(json: SerializedBundle, publicKeyPem: string): Signer {
  const spki = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  const hint = createHash('sha256').update(spki).digest('base64');
  const trust = toTrustMaterial(
    { mediaType: '', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] },
    { [hint]: { rawBytes: spki, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256 } },
  );
  return new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundleFromJSON(json)));
}

/** The in-toto statement inside a DSSE bundle. */
export function bundleStatement(json: SerializedBundle): {
  _type: string;
  subject: Array<{ name: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: Record<string, unknown>;
} {
  const envelope = (json as { dsseEnvelope?: { payload: string; payloadType: string } }).dsseEnvelope;
  if (!envelope) throw new Error('not a DSSE bundle');
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as ReturnType<typeof bundleStatement>;
}

export interface IndexJson {
  mediaType?: string;
  manifests: Array<{ mediaType?: string; digest: string; size?: number; artifactType?: string; annotations?: Record<string, string> }>;
}

export interface ManifestJson {
  artifactType?: string;
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
  subject?: { mediaType: string; digest: string; size: number };
}

/** JSON bytes (a manifest, an index, a bundle) as the type the test expects. */
export function parseJson<T>(bytes: Uint8Array | string): T {
  return JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')) as T;
}
