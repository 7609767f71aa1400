import { createMessage, PacketList, readSignature, Signature, verify, type Key, type SignaturePacket, type Subkey } from 'openpgp';
import { systemClock, type Clock } from '../shared/clock.js';
import { decodeClearsigned } from './cleartext.js';
import { parseMessageFiles } from './message.js';
import { sha256Hex } from '../shared/sha256.js';
import { fingerprintOf, keyIdOf, KeyFormatError, libraryReason, readKeyMaterial, type KeyMaterial } from './openpgp-keys.js';
import { ProvenanceError } from './provenance-error.js';

export interface VerifyProvenanceOptions {
  /** The `.prov` file. */
  provenance: string | Uint8Array;
  /**
   * The public keys to trust: a binary keyring as Helm takes it (`gpg --export > pubring.gpg`),
   * or armored keys (one or more blocks), or base64 of a binary keyring.
   */
  publicKeys: KeyMaterial;
  /** The name the archive is verified under; Helm looks its checksum up by this name. */
  archiveFileName: string;
  archiveBytes: Uint8Array;
  clock?: Clock;
}

export interface SignatureVerification {
  /** The signed message, as Helm reads it back (dash-escapes undone, LF line ends). */
  plaintext: string;
  /** User ids of the key that signed, as `helm verify` prints them ("Signed by: …"). */
  signedBy: string[];
  /** Fingerprint of the signer's primary key, upper-case hex ("Using Key With Fingerprint: …"). */
  fingerprint: string;
  /** Key id of the key that made the signature: the primary key or a signing subkey. */
  signingKeyId: string;
  signedAt: Date;
}

export interface ProvenanceVerification extends SignatureVerification {
  /** The archive's sha256, lower-case hex ("Chart Hash Verified: sha256:…"). */
  sha256: string;
  fileName: string;
}

/**
 * Checks a `.prov` against its archive as `helm verify` does (../shared/spec/helm-oci.md §2.4,
 * `Signatory.Verify` in pkg/provenance/sign.go): the first clear-signed block decodes as
 * go-crypto decodes it, its signature is good and made by a key of the keyring that is neither
 * expired nor revoked now, and the message lists the sha256 of the archive under the archive's
 * file name.
 */
export async function verifyProvenance(options: VerifyProvenanceOptions): Promise<ProvenanceVerification> {
  const keyring = await readKeyring(options.publicKeys);
  const verified = await verifyClearsigned(options.provenance, keyring, options.clock ?? systemClock);

  const name = options.archiveFileName;
  const files = parseMessageFiles(verified.plaintext);
  const sha256 = sha256Hex(options.archiveBytes);
  const listed = files.get(name);
  if (listed === undefined) {
    const names = [...files.keys()];
    throw new ProvenanceError(
      `provenance does not contain a SHA for a file named "${name}"` +
        (names.length ? ` (it lists ${names.map((n) => `"${n}"`).join(', ')}; Helm looks the checksum up by the archive's file name)` : ''),
    );
  }
  if (listed !== `sha256:${sha256}`) {
    throw new ProvenanceError(
      `sha256 sum does not match for ${name}: "${listed}" != "sha256:${sha256}" (the archive is not the one that was signed)`,
    );
  }
  return { ...verified, sha256, fileName: name };
}

/** Reads the trusted keys; Helm's wording for an unreadable keyring. */
export async function readKeyring(material: KeyMaterial): Promise<Key[]> {
  try {
    return await readKeyMaterial(material);
  } catch (error) {
    if (error instanceof KeyFormatError) throw new ProvenanceError(`failed to load keyring: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Checks the first clear-signed block of `data` against `keyring`, as go-crypto's
 * `CheckDetachedSignature` does for Helm: the first signature whose issuer is in the keyring
 * decides; the key must have been valid when it signed (openpgp.js) and must still be valid now
 * (go-crypto checks expiry and revocation at verification time).
 */
export async function verifyClearsigned(data: string | Uint8Array, keyring: readonly Key[], clock: Clock): Promise<SignatureVerification> {
  const block = decodeClearsigned(data);
  if (!block) throw new ProvenanceError('signature block not found');

  let packets: SignaturePacket[];
  try {
    packets = [...(await readSignature({ armoredSignature: block.armoredSignature })).packets];
  } catch (error) {
    throw new ProvenanceError(`signature block not found: the armored signature cannot be read (${libraryReason(error)})`, {
      cause: error,
    });
  }

  let issuer: { key: Key; packet: SignaturePacket } | undefined;
  for (const packet of packets) {
    const key = keyring.find((k) => k.getKeys(packet.issuerKeyID).length > 0);
    if (key) {
      issuer = { key, packet };
      break;
    }
  }
  if (!issuer) {
    const ids = packets.map((p) => p.issuerKeyID.toHex().toUpperCase());
    throw new ProvenanceError(
      `openpgp: signature made by unknown entity: the signing key ${ids.join(', ')} is not in the keyring; ` +
        "add the signer's public key to it",
    );
  }

  const now = new Date(clock.now());
  const { key, packet } = issuer;
  const signingKey = key.getKeys(packet.issuerKeyID)[0] as Key | Subkey;
  // Only the deciding signature is checked, as go-crypto does; others may be from unknown keys.
  const deciding = new PacketList<SignaturePacket>();
  deciding.push(packet);
  const signature = new Signature(deciding);
  const result = await verify({
    message: await createMessage({ binary: block.signed }),
    signature,
    verificationKeys: key,
    date: now,
  });
  const outcome = result.signatures[0];
  if (!outcome) throw new ProvenanceError('signature block not found: it holds no data signature');
  try {
    await outcome.verified;
  } catch (error) {
    throw new ProvenanceError(invalidSignatureMessage(libraryReason(error), key), { cause: error });
  }
  try {
    // go-crypto refuses keys that are expired or revoked at verification time, even for
    // signatures made while they were valid.
    await key.getSigningKey(packet.issuerKeyID, now);
  } catch (error) {
    throw new ProvenanceError(invalidSignatureMessage(libraryReason(error), key), { cause: error });
  }

  return {
    plaintext: block.plaintext,
    signedBy: key.getUserIDs(),
    fingerprint: fingerprintOf(key),
    signingKeyId: keyIdOf(signingKey),
    signedAt: packet.created ?? now,
  };
}

/** go-crypto's error texts (what Helm prints), with what they mean here. */
function invalidSignatureMessage(reason: string, key: Key): string {
  const who = fingerprintOf(key);
  if (/digest did not match|signature verification failed/i.test(reason)) {
    return `openpgp: invalid signature: hash tag doesn't match (the signed text was changed after signing, or ${who} did not sign it)`;
  }
  if (/expired/i.test(reason)) return `openpgp: key expired (${who}: ${reason}; Helm refuses signatures of expired keys)`;
  if (/revoked/i.test(reason)) return `openpgp: key revoked (${who}: ${reason})`;
  if (/could not find valid signing key/i.test(reason)) {
    return `openpgp: signature made by unknown entity (${who} is in the keyring, but the key that signed may not sign now: ${reason})`;
  }
  return `openpgp: invalid signature: ${reason} (key ${who})`;
}
