import { createHash, createPrivateKey, createPublicKey, scrypt, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/**
 * The `cosign-key` input: the private key `cosign generate-key-pair` writes, or a PKCS#8 PEM
 * ECDSA P-256 key. cosign's file is PEM `ENCRYPTED SIGSTORE PRIVATE KEY` (older releases:
 * `ENCRYPTED COSIGN PRIVATE KEY`) around JSON: a scrypt KDF with its salt and parameters, and a
 * NaCl secretbox (XSalsa20-Poly1305) holding the PKCS#8 DER key (sigstore/sigstore
 * `pkg/cryptoutils` and `secure-systems-lab/go-securesystemslib/encrypted`). scrypt is Node's,
 * secretbox is tweetnacl's: no cryptography is written here.
 */

export interface CosignKey {
  privateKey: KeyObject;
  /** SPKI PEM of the public key: what `cosign verify --key` is given. */
  publicKeyPem: string;
  /** The bundle's public-key hint, as cosign writes it: base64 of the SHA-256 of the SPKI DER. */
  hint: string;
}

const ENCRYPTED_LABELS = ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY'];
// scrypt with cosign's N = 2^15..2^16 and r = 8 needs 32–64 MiB; Node's default cap is 32 MiB.
const SCRYPT_MAX_MEMORY = 512 * 1024 * 1024;
const MAX_SCRYPT_COST = 1 << 20;

interface EncryptedKeyFile {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

/** Reads and decrypts the key; masks the key text, the password and the decrypted key at once. */
export async function loadCosignKey(options: { key: string; password?: string; logger: Logger }): Promise<CosignKey> {
  const { key, password, logger } = options;
  maskLines(key, logger);
  if (password) logger.mask(password);
  const pem = pemBlock(key);
  if (!pem) {
    throw new InputError('cosign-key', 'is not a PEM key: give the cosign.key that `cosign generate-key-pair` writes, or a PKCS#8 PEM key');
  }
  let privateKey: KeyObject;
  if (ENCRYPTED_LABELS.includes(pem.label)) {
    privateKey = await decryptCosignKey(pem.body, password ?? '');
  } else if (pem.label === 'PRIVATE KEY' || pem.label === 'EC PRIVATE KEY') {
    try {
      privateKey = createPrivateKey({ key: key.trim(), format: 'pem' });
    } catch (error) {
      throw new InputError('cosign-key', 'is not a readable PEM private key', { cause: error });
    }
  } else if (pem.label === 'ENCRYPTED PRIVATE KEY') {
    try {
      privateKey = createPrivateKey({ key: key.trim(), format: 'pem', passphrase: password ?? '' });
    } catch (error) {
      throw new InputError('cosign-key-password', wrongPassword(password, 'the encrypted PKCS#8 key in cosign-key'), { cause: error });
    }
  } else {
    throw new InputError('cosign-key', `holds a "${pem.label}" PEM block: give a private key (cosign.key or PKCS#8 PEM)`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new InputError('cosign-key', 'is not an ECDSA P-256 key: cosign signs with P-256 (cosign generate-key-pair)');
  }
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKeyPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  return { privateKey, publicKeyPem, hint: createHash('sha256').update(spki).digest('base64') };
}

/** An empty password is tried (cosign allows one), but a failure then says the input is empty. */
function wrongPassword(password: string | undefined, key: string): string {
  const hint = 'give the password given to cosign generate-key-pair';
  return password ? `does not decrypt ${key}: ${hint}` : `is empty, and ${key} is encrypted: ${hint}`;
}

async function decryptCosignKey(body: Buffer, password: string): Promise<KeyObject> {
  let file: EncryptedKeyFile;
  try {
    file = JSON.parse(body.toString('utf8')) as EncryptedKeyFile;
  } catch (error) {
    throw new InputError('cosign-key', 'is an encrypted cosign key whose content is not JSON', { cause: error });
  }
  const params = file.kdf?.params ?? {};
  const { N, r, p } = params;
  if (
    file.kdf?.name !== 'scrypt' ||
    file.cipher?.name !== 'nacl/secretbox' ||
    !file.kdf.salt ||
    !file.cipher.nonce ||
    !file.ciphertext ||
    !Number.isSafeInteger(N) ||
    !Number.isSafeInteger(r) ||
    !Number.isSafeInteger(p) ||
    (N as number) > MAX_SCRYPT_COST
  ) {
    throw new InputError('cosign-key', 'is an encrypted key in an unknown form: expected scrypt and nacl/secretbox, as cosign writes');
  }
  const salt = Buffer.from(file.kdf.salt, 'base64');
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, nacl.secretbox.keyLength, { N, r, p, maxmem: SCRYPT_MAX_MEMORY }, (e, k) => (e ? reject(e) : resolve(k))),
  );
  const opened = nacl.secretbox.open(
    Buffer.from(file.ciphertext, 'base64'),
    Buffer.from(file.cipher.nonce, 'base64'),
    new Uint8Array(derived),
  );
  if (!opened) throw new InputError('cosign-key-password', wrongPassword(password, 'cosign-key'));
  try {
    return createPrivateKey({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new InputError('cosign-key', 'decrypts to something that is not a PKCS#8 private key', { cause: error });
  } finally {
    opened.fill(0);
    derived.fill(0);
  }
}

function pemBlock(text: string): { label: string; body: Buffer } | undefined {
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return undefined;
  return { label: match[1] as string, body: Buffer.from((match[2] as string).replace(/\s+/g, ''), 'base64') };
}

/** The runner masks within single lines: every line of a multi-line secret is registered. */
function maskLines(secret: string, logger: Logger): void {
  logger.mask(secret);
  for (const line of secret.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('-----')) logger.mask(trimmed);
  }
}
