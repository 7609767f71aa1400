import { enums, readKeys, type Key, type Subkey } from 'openpgp';
import { trimTrailing } from '../shared/trim.js';

/**
 * Reading OpenPGP keys from what users have: an armored export (one or several blocks, as
 * `gpg --armor --export[-secret-keys]` writes them and as a repository secret holds them), the
 * base64 of a binary export (a common way to store binary files in secrets), or the binary
 * legacy keyring bytes Helm itself uses (../shared/spec/helm-oci.md §2.3).
 */

export type KeyMaterial = string | Uint8Array;

/** RFC 4880 §6.2 armor of a transferable key, public or secret. */
const ARMOR_BLOCK = /-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----\n[\s\S]*?\n-----END PGP \1 KEY BLOCK-----/g;
const BASE64_ONLY = /^[A-Za-z0-9+/=\s]+$/;

/** Thrown with a reason that is safe to show: it never contains key material. */
export class KeyFormatError extends Error {}

/** Every key (public or secret) in the material, in order. */
export async function readKeyMaterial(material: KeyMaterial): Promise<Key[]> {
  if (typeof material !== 'string') {
    // Armored text handed over as bytes (e.g. a file read without an encoding).
    const head = Buffer.from(material.subarray(0, 64)).toString('latin1');
    if (!head.trimStart().startsWith('-----BEGIN PGP')) return readBinary(material);
    material = Buffer.from(material).toString('utf8');
  }
  // Secrets pasted from Windows or indented in YAML: armor lines carry no meaningful whitespace.
  const text = material
    .split(/\r?\n/)
    .map((line) => line.trim())
    .join('\n')
    .trim();
  if (text === '') throw new KeyFormatError('it is empty');
  if (text.includes('-----BEGIN PGP')) {
    const blocks = text.match(ARMOR_BLOCK);
    if (!blocks) {
      const kind = /-----BEGIN PGP ([A-Z ]+)-----/.exec(text)?.[1] ?? 'unknown';
      throw new KeyFormatError(
        kind.endsWith('KEY BLOCK') ? `the armored ${kind} has no matching END line` : `it is an armored "${kind}", not a key`,
      );
    }
    const keys: Key[] = [];
    for (const block of blocks) {
      try {
        keys.push(...(await readKeys({ armoredKeys: `${block}\n` })));
      } catch (error) {
        throw new KeyFormatError(`the armored key block cannot be read (${libraryReason(error)})`);
      }
    }
    return keys;
  }
  if (BASE64_ONLY.test(text)) {
    const bytes = Buffer.from(text.replace(/\s+/g, ''), 'base64');
    if (bytes.length > 0) return readBinary(bytes);
  }
  throw new KeyFormatError('it is neither an ASCII-armored key ("-----BEGIN PGP … KEY BLOCK-----") nor base64 of a binary key');
}

async function readBinary(bytes: Uint8Array): Promise<Key[]> {
  try {
    return await readKeys({ binaryKeys: new Uint8Array(bytes) });
  } catch (error) {
    throw new KeyFormatError(`the binary key data cannot be read (${libraryReason(error)})`);
  }
}

/**
 * openpgp.js's own words for a failure. Its messages are fixed texts about structure (never
 * packet contents), so they are safe to show and tell the user more than "invalid key".
 */
export function libraryReason(error: unknown): string {
  // Without its final full stop, so that it can sit inside our own sentences.
  return trimTrailing(error instanceof Error ? error.message : String(error), '.');
}

/** Upper-case hex, the way gpg and `helm verify` print fingerprints and key ids. */
export function fingerprintOf(key: Key | Subkey): string {
  return key.getFingerprint().toUpperCase();
}

export function keyIdOf(key: Key | Subkey): string {
  return key.getKeyID().toHex().toUpperCase();
}

/** "5E61…8762 (Helm Testing <helm-testing@helm.sh>)": what identifies a key in messages. */
export function describeKey(key: Key): string {
  const uids = key.getUserIDs();
  return uids.length ? `${fingerprintOf(key)} (${uids.join(', ')})` : fingerprintOf(key);
}

/** "RSA 3072", "EdDSA ed25519", "ECDSA nistP256": the algorithm as people name it. */
export function algorithmName(key: Key | Subkey): string {
  const info = key.getAlgorithmInfo();
  switch (info.algorithm) {
    case 'rsaEncryptSign':
    case 'rsaSign':
    case 'rsaEncrypt':
      return `RSA ${info.bits ?? '?'}`;
    case 'eddsaLegacy':
      return `EdDSA ${info.curve === 'ed25519Legacy' ? 'ed25519' : (info.curve ?? '?')}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    case 'ecdsa':
      return `ECDSA ${info.curve ?? '?'}`;
    case 'dsa':
      return `DSA ${info.bits ?? '?'}`;
    default:
      return info.algorithm;
  }
}

/**
 * The first part of the key (primary key or subkey) that Helm 3.21.3 and older cannot read:
 * golang.org/x/crypto/openpgp rejects a keyring holding any EdDSA key with "openpgp: unsupported
 * feature: public key type: 22" (../shared/spec/helm-oci.md §2.3), so a published public key
 * with such a part cannot verify anything there, whichever part signed. go-crypto (Helm ≥
 * 3.21.4, Helm 4) reads them. v6 keys are unknown to x/crypto as well.
 */
export function partForRecentHelmOnly(key: Key): Key | Subkey | undefined {
  const recentOnly = new Set<number>([enums.publicKey.eddsaLegacy, enums.publicKey.ed25519, enums.publicKey.ed448]);
  return key.getKeys().find((part) => recentOnly.has(part.keyPacket.algorithm) || part.keyPacket.version === 6);
}

/**
 * True when this (sub)key has no usable secret: a public packet, or a GnuPG stub
 * (`--export-secret-subkeys` leaves the primary key as one; so do smartcard keys).
 */
export function lacksSecret(part: Key | Subkey): boolean {
  const packet = part.keyPacket;
  return !('isDummy' in packet) || packet.isDummy();
}
