import { createMessage, decryptKey, enums, readSignature, sign, type Key, type PrivateKey, type Subkey } from 'openpgp';
import { systemClock, type Clock } from '../shared/clock.js';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { formatClearsigned, signedText } from './cleartext.js';
import {
  algorithmName,
  describeKey,
  fingerprintOf,
  keyIdOf,
  KeyFormatError,
  lacksSecret,
  libraryReason,
  partForRecentHelmOnly,
  readKeyMaterial,
  type KeyMaterial,
} from './openpgp-keys.js';
import { SigningError } from './provenance-error.js';

export const SIGNING_KEY_INPUT = 'signing-key';
export const SIGNING_PASSPHRASE_INPUT = 'signing-passphrase';
export const SIGNING_KEY_ID_INPUT = 'signing-key-id';

/** Helm's signature hash (`packet.Config{DefaultHash: crypto.SHA512}`, §2.1). */
const PREFERRED_HASH = enums.hash.sha512;

/** Below this, a key expiring is worth a warning: Helm stops accepting its signatures then. */
const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;

/** Cleartext `Hash:` names (RFC 4880 §9.4) for the hashes openpgp.js can sign with. */
const HASH_HEADER_NAMES = new Map<number, string>([
  [enums.hash.sha1, 'SHA1'],
  [enums.hash.sha224, 'SHA224'],
  [enums.hash.sha256, 'SHA256'],
  [enums.hash.sha384, 'SHA384'],
  [enums.hash.sha512, 'SHA512'],
  [enums.hash.sha3_256, 'SHA3-256'],
  [enums.hash.sha3_512, 'SHA3-512'],
]);

export interface SigningKeyOptions {
  /**
   * `signing-key`: `gpg --armor --export-secret-keys` output (several blocks are fine), the
   * base64 of a binary export, or binary key bytes (a legacy `secring.gpg`).
   */
  key: KeyMaterial;
  /** `signing-passphrase`; only its first line is used, as with Helm's `--passphrase-file`. */
  passphrase?: string | undefined;
  /**
   * `signing-key-id`: a fingerprint, a long or short key id (of the primary key or a subkey), or
   * a case-insensitive part of a user id. Default: the first key that can sign.
   */
  keyId?: string | undefined;
  logger: Logger;
  clock?: Clock;
}

/** Makes `.prov` files with one unlocked key. */
export interface Signer {
  /** Fingerprint of the primary key, upper-case hex: what `helm verify` prints. */
  readonly fingerprint: string;
  /** Key id of the key that makes the signatures (the primary key or a signing subkey). */
  readonly signingKeyId: string;
  readonly userIds: readonly string[];
  /** e.g. "RSA 3072", "EdDSA ed25519". */
  readonly algorithm: string;
  /** When the signing key stops being valid (Helm then rejects its signatures); undefined: never. */
  readonly expires: Date | undefined;
  /** The armored public key: what consumers put in their keyring to verify. */
  readonly publicKey: string;
  /**
   * The complete `.prov` text for `message` (use provenanceMessage), framed as Helm ≥ 3.21.4
   * writes it. Not verified here: createChartProvenance verifies it against the archive, once,
   * before it can be published.
   */
  sign(message: string): Promise<string>;
}

/**
 * The signing key of the action: read from the `signing-key` secret (no gpg, no keyring file),
 * chosen by `signing-key-id`, checked, unlocked with `signing-passphrase`, and wrapped in a
 * Signer that writes `.prov` files as Helm ≥ 3.21.4 does (../shared/spec/helm-oci.md §2).
 *
 * Which key signs: Helm signs with the primary key of the chosen entity (§2.1); so do we when
 * the primary key may sign. When it may not (a certify-only primary, or a primary kept offline
 * and exported with `--export-secret-subkeys`), the newest valid signing subkey signs instead:
 * every verifier Helm has used (x/crypto, go-crypto) and gpgv look the issuer up among subkeys,
 * so the signature verifies everywhere, although `helm package --sign` could not have made it.
 */
export async function loadSigningKey(options: SigningKeyOptions): Promise<Signer> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  // Masked before anything else can print them, including an error thrown below.
  if (typeof options.key === 'string') maskKeyText(logger, options.key);
  if (options.passphrase) maskPassphrase(logger, options.passphrase);

  const keys = await readSecretKeys(options.key);
  const now = new Date(clock.now());
  const keyId = options.keyId?.trim() ?? '';
  const { key, signingKey } = keyId === '' ? await firstUsableKey(keys, now, logger) : await keyById(keys, keyId, now);

  const unlocked = await unlock(key, signingKey, options.passphrase, logger);
  const unlockedSigningKey = unlocked.getKeys(signingKey.getKeyID())[0] as PrivateKey | Subkey;
  const publicKey = unlocked.toPublic();
  const expires = await expiryOf(key, signingKey);

  const description = `${algorithmName(signingKey)} key ${describeKey(key)}`;
  logger.info(`Signing provenance with ${description}${expires ? `, valid until ${expires.toISOString()}` : ''}`);
  if (signingKey !== key) {
    logger.info(
      `The primary key of ${fingerprintOf(key)} cannot sign; signing subkey ${keyIdOf(signingKey)} signs instead ` +
        '(Helm and gpgv verify subkey signatures; `helm package --sign` itself only signs with primary keys).',
    );
  }
  const recentOnly = partForRecentHelmOnly(key);
  if (recentOnly) {
    logger.warning(
      `${SIGNING_KEY_INPUT}: ${fingerprintOf(key)} contains the ${algorithmName(recentOnly)} key ${keyIdOf(recentOnly)}, which ` +
        'Helm 3.21.3 and older cannot read ("openpgp: unsupported feature: public key type: ' +
        `${recentOnly.keyPacket.algorithm}"), so they cannot verify these charts; Helm 3.21.4 and newer, Helm 4 and gpg can. ` +
        'Use an RSA 3072 key without EdDSA subkeys if your users may run older Helm.',
    );
  }
  if (expires && expires.getTime() - now.getTime() < EXPIRY_WARNING_MS) {
    logger.warning(
      `${SIGNING_KEY_INPUT}: ${fingerprintOf(key)} expires on ${expires.toISOString()}. Helm refuses signatures of expired ` +
        'keys, also those made before, so charts signed now stop verifying then. Extend it ' +
        `(gpg --quick-set-expire ${fingerprintOf(key)} 2y) and publish the updated public key.`,
    );
  }

  return {
    fingerprint: fingerprintOf(key),
    signingKeyId: keyIdOf(signingKey),
    userIds: key.getUserIDs(),
    algorithm: algorithmName(signingKey),
    expires,
    publicKey: publicKey.armor(),
    sign: (message) => signMessage(message, unlocked, unlockedSigningKey, clock),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading and choosing

async function readSecretKeys(material: KeyMaterial): Promise<PrivateKey[]> {
  let keys: Key[];
  try {
    keys = await readKeyMaterial(material);
  } catch (error) {
    if (!(error instanceof KeyFormatError)) throw error;
    throw new InputError(
      SIGNING_KEY_INPUT,
      `is not a usable OpenPGP secret key: ${error.message}. Expected the output of ` +
        '"gpg --armor --export-secret-keys <fingerprint>", which starts with "-----BEGIN PGP PRIVATE KEY BLOCK-----".',
      { cause: error },
    );
  }
  // The same key twice (a public export pasted after the secret one): keep the secret copy.
  const byFingerprint = new Map<string, Key>();
  for (const key of keys) {
    const seen = byFingerprint.get(key.getFingerprint());
    if (!seen || (!seen.isPrivate() && key.isPrivate())) byFingerprint.set(key.getFingerprint(), key);
  }
  const unique = [...byFingerprint.values()];
  const secret = unique.filter((k): k is PrivateKey => k.isPrivate());
  if (secret.length === 0) {
    throw new InputError(
      SIGNING_KEY_INPUT,
      `holds only public keys (${unique.map(describeKey).join('; ')}), and a public key cannot sign. ` +
        'Store the secret key instead: gpg --armor --export-secret-keys <fingerprint>.',
    );
  }
  return secret;
}

type Assessment =
  | { usable: true; signingKey: PrivateKey | Subkey }
  | { usable: false; kind: 'expired' | 'revoked' | 'cannot-sign' | 'unsupported' | 'invalid'; problem: string };

interface Choice {
  key: PrivateKey;
  signingKey: PrivateKey | Subkey;
}

async function firstUsableKey(keys: readonly PrivateKey[], now: Date, logger: Logger): Promise<Choice> {
  const rejected: Array<{ key: PrivateKey; assessment: Exclude<Assessment, { usable: true }> }> = [];
  for (const key of keys) {
    const assessment = await assess(key, now);
    if (assessment.usable) {
      if (keys.length > 1) {
        logger.debug(`${SIGNING_KEY_INPUT} holds ${keys.length} keys; using the first that can sign: ${describeKey(key)}`);
      }
      return { key, signingKey: assessment.signingKey };
    }
    logger.debug(`${SIGNING_KEY_INPUT}: skipping ${describeKey(key)}: it ${assessment.problem}`);
    rejected.push({ key, assessment });
  }
  const only = rejected.length === 1 ? rejected[0] : undefined;
  if (only) throw unusableKeyError(only.key, only.assessment);
  throw new InputError(
    SIGNING_KEY_INPUT,
    `none of its ${rejected.length} keys can sign: ` +
      rejected.map(({ key, assessment }) => `${describeKey(key)} ${assessment.problem}`).join('; ') +
      '. Fix one of them as its reason suggests, or store another key that can sign.',
  );
}

async function keyById(keys: readonly PrivateKey[], keyId: string, now: Date): Promise<Choice> {
  const matches = matchKeyId(keys, keyId);
  if (matches.length === 0) {
    throw new InputError(
      SIGNING_KEY_ID_INPUT,
      `no key in ${SIGNING_KEY_INPUT} matches "${keyId}"; it holds ${keys.map(describeKey).join('; ')}. ` +
        'Give the fingerprint, the key id or a part of a user id of one of these.',
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      SIGNING_KEY_ID_INPUT,
      `"${keyId}" matches ${matches.length} keys in ${SIGNING_KEY_INPUT}: ${matches.map(describeKey).join('; ')}. ` +
        'Give the full fingerprint of the one to sign with.',
    );
  }
  const key = matches[0] as PrivateKey;
  const assessment = await assess(key, now);
  if (!assessment.usable) throw unusableKeyError(key, assessment);
  return { key, signingKey: assessment.signingKey };
}

/**
 * `signing-key-id` as gpg's `--local-user` takes it: a fingerprint or key id (of the primary
 * key or of a subkey; either selects the whole key), else a user id. Helm matches user ids only
 * (exact first, then substring; §2.3); we add ids and ignore case.
 */
function matchKeyId(keys: readonly PrivateKey[], keyId: string): PrivateKey[] {
  const hex = keyId.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  if (/^(?:[0-9A-F]{8}|[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{64})$/.test(hex)) {
    const byId = keys.filter((key) =>
      key.getKeys().some((part) => {
        if (hex.length >= 40) return fingerprintOf(part) === hex;
        const id = keyIdOf(part);
        return hex.length === 16 ? id === hex : id.endsWith(hex);
      }),
    );
    if (byId.length > 0) return byId;
  }
  const wanted = keyId.toLowerCase();
  const exact = keys.filter((key) => key.getUserIDs().some((uid) => uid.toLowerCase() === wanted));
  if (exact.length > 0) return exact;
  return keys.filter((key) => key.getUserIDs().some((uid) => uid.toLowerCase().includes(wanted)));
}

/** Whether the key can sign now, and with which of its keys (see loadSigningKey). */
async function assess(key: PrivateKey, now: Date): Promise<Assessment> {
  try {
    await key.verifyPrimaryKey(now);
  } catch (error) {
    const reason = libraryReason(error);
    if (/expired/i.test(reason)) {
      const expires = await key.getExpirationTime().catch(() => null);
      return { usable: false, kind: 'expired', problem: `expired${expires instanceof Date ? ` on ${expires.toISOString()}` : ''}` };
    }
    if (/revoked/i.test(reason)) return { usable: false, kind: 'revoked', problem: 'has been revoked' };
    return { usable: false, kind: 'invalid', problem: `is not a valid key (${reason})` };
  }

  let refusal: string | undefined;
  const consider = (error: unknown) => {
    const reason = libraryReason(error);
    if (!/could not find valid signing key/i.test(reason)) refusal = reason;
  };
  if (!lacksSecret(key)) {
    try {
      const signing = await key.getSigningKey(key.getKeyID(), now);
      if (signing === key) return { usable: true, signingKey: key };
    } catch (error) {
      consider(error);
    }
  }
  const subkeys = key.subkeys
    .filter((subkey) => !lacksSecret(subkey))
    .sort((a, b) => b.getCreationTime().getTime() - a.getCreationTime().getTime());
  for (const subkey of subkeys) {
    try {
      return { usable: true, signingKey: (await key.getSigningKey(subkey.getKeyID(), now)) as Subkey };
    } catch (error) {
      consider(error);
    }
  }
  if (refusal !== undefined) return { usable: false, kind: 'unsupported', problem: `cannot be used: ${refusal}` };
  return { usable: false, kind: 'cannot-sign', problem: await noSigningKeyProblem(key, now) };
}

async function noSigningKeyProblem(key: PrivateKey, now: Date): Promise<string> {
  const primary = lacksSecret(key)
    ? 'its primary secret key is not included (an --export-secret-subkeys export)'
    : `its primary key may only ${capabilities(await primaryFlags(key, now))}`;
  const subkeys = key.subkeys.map((s) => `${keyIdOf(s)} ${capabilities(s.bindingSignatures.at(-1)?.keyFlags?.[0])}`);
  const others = subkeys.length ? `no valid signing subkey (subkeys: ${subkeys.join(', ')})` : 'no subkeys';
  return `has no key that can sign: ${primary}, and it has ${others}`;
}

async function primaryFlags(key: PrivateKey, now: Date): Promise<number | undefined> {
  try {
    return (await key.getPrimaryUser(now)).selfCertification.keyFlags?.[0];
  } catch {
    return undefined;
  }
}

/** Key flags (RFC 4880 §5.2.3.21) in words. */
function capabilities(flags: number | undefined): string {
  if (flags === undefined) return 'do nothing (no key flags)';
  const words: string[] = [];
  if (flags & enums.keyFlags.certifyKeys) words.push('certify');
  if (flags & enums.keyFlags.signData) words.push('sign');
  if (flags & (enums.keyFlags.encryptCommunication | enums.keyFlags.encryptStorage)) words.push('encrypt');
  if (flags & enums.keyFlags.authentication) words.push('authenticate');
  return words.length ? words.join('+') : 'do nothing';
}

function unusableKeyError(key: PrivateKey, assessment: Exclude<Assessment, { usable: true }>): InputError {
  const fingerprint = fingerprintOf(key);
  const advice = {
    expired:
      `Extend it (gpg --quick-set-expire ${fingerprint} 2y), export it again, and publish the updated public key; ` + 'or use another key.',
    revoked:
      'A revoked key must not sign again: create a new signing key ' +
      '(gpg --quick-generate-key "Name <email>" rsa3072 sign 2y) and publish its public key.',
    'cannot-sign': `Add a signing subkey (gpg --quick-add-key ${fingerprint} rsa3072 sign) or use a key whose primary key can sign.`,
    unsupported: 'Use an RSA key of at least 3072 bits (or ed25519, which only Helm 3.21.4 and newer verify).',
    invalid: `Export the key again with gpg --armor --export-secret-keys ${fingerprint}.`,
  }[assessment.kind];
  return new InputError(SIGNING_KEY_INPUT, `the key ${describeKey(key)} ${assessment.problem}. ${advice}`);
}

// ---------------------------------------------------------------------------------------------
// Unlocking

async function unlock(
  key: PrivateKey,
  signingKey: PrivateKey | Subkey,
  passphrase: string | undefined,
  logger: Logger,
): Promise<PrivateKey> {
  // Helm's --passphrase-file also uses the first line only; a secret saved with a newline works.
  const phrase = passphrase?.split(/\r?\n/)[0] ?? '';
  if (signingKey.keyPacket.isDecrypted()) {
    if (phrase !== '') {
      logger.warning(
        `${SIGNING_PASSPHRASE_INPUT} is set, but the signing key ${fingerprintOf(key)} is not protected by a passphrase; ` +
          'the passphrase is ignored.',
      );
    }
    return key;
  }
  if (phrase === '') {
    throw new InputError(
      SIGNING_PASSPHRASE_INPUT,
      `is required: the signing key ${describeKey(key)} is protected by a passphrase. ` +
        `Store the passphrase in a secret and pass it as ${SIGNING_PASSPHRASE_INPUT}.`,
    );
  }
  try {
    return await decryptKey({ privateKey: key, passphrase: phrase });
  } catch (error) {
    const reason = libraryReason(error);
    if (/incorrect key passphrase/i.test(reason)) {
      throw new InputError(
        SIGNING_PASSPHRASE_INPUT,
        `does not unlock the signing key ${describeKey(key)}. Check that the secret holds this key's passphrase ` +
          '(only its first line is used).',
        { cause: error },
      );
    }
    throw new InputError(SIGNING_KEY_INPUT, `the secret key ${describeKey(key)} cannot be unlocked: ${reason}.`, { cause: error });
  }
}

async function expiryOf(key: PrivateKey, signingKey: PrivateKey | Subkey): Promise<Date | undefined> {
  const dates = [await key.getExpirationTime()];
  if (signingKey !== key) dates.push(await (signingKey as Subkey).getExpirationTime());
  const finite = dates.filter((d): d is Date => d instanceof Date);
  return finite.length ? new Date(Math.min(...finite.map((d) => d.getTime()))) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Signing

async function signMessage(message: string, key: PrivateKey, signingKey: PrivateKey | Subkey, clock: Clock): Promise<string> {
  const text = signedText(message);
  // openpgp.js would turn a lone CR into CRLF before hashing; go-crypto hashes it as it is.
  if (text.replaceAll('\r\n', '').includes('\r')) {
    throw new SigningError('the provenance message has a carriage return inside a line, which OpenPGP implementations hash differently');
  }
  const date = new Date(clock.now());
  let signature: Uint8Array;
  try {
    signature = (await sign({
      message: await createMessage({ text }),
      signingKeys: key,
      signingKeyIDs: [signingKey.getKeyID()],
      detached: true,
      format: 'binary',
      date,
      config: { preferredHashAlgorithm: PREFERRED_HASH },
    })) as Uint8Array;
  } catch (error) {
    throw new SigningError(`signing with key ${fingerprintOf(key)} failed: ${libraryReason(error)}`, { cause: error });
  }

  const packet = (await readSignature({ binarySignature: signature })).packets[0];
  if (!packet) throw new SigningError('openpgp.js returned no signature packet');
  // go-crypto writes no Hash header for v6 signatures (§2.2).
  const hashName = packet.version === 6 ? undefined : HASH_HEADER_NAMES.get(packet.hashAlgorithm ?? -1);
  if (packet.version !== 6 && hashName === undefined) {
    throw new SigningError(`the signature uses hash algorithm ${packet.hashAlgorithm}, which Helm's decoder does not accept`);
  }
  return formatClearsigned(message, signature, hashName);
}

// ---------------------------------------------------------------------------------------------
// Masking

/**
 * GitHub masks a registered secret line by line only when each line is registered: a multi-line
 * value alone would leak every line of the key. Armor boundary and header lines are public and
 * appear in our own messages, so they stay readable.
 */
function maskKeyText(logger: Logger, text: string): void {
  if (text.trim() === '') return;
  logger.mask(text);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.length < 4 || /^-----(BEGIN|END) /.test(line) || /^[A-Za-z-]+: /.test(line)) continue;
    logger.mask(line);
  }
}

function maskPassphrase(logger: Logger, passphrase: string): void {
  logger.mask(passphrase);
  for (const line of passphrase.split(/\r?\n/)) {
    if (line !== '' && line !== passphrase) logger.mask(line);
    if (line.trim() !== '' && line.trim() !== line) logger.mask(line.trim());
  }
}
