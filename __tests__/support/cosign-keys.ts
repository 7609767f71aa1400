import { generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';

/**
 * Keys in the file format `cosign generate-key-pair` writes, made without the cosign binary
 * (not installed here) from the same primitives cosign uses: a P-256 key as PKCS#8 DER, sealed
 * with NaCl secretbox (tweetnacl) under a key derived with scrypt (Node), the parameters and
 * salt in a JSON envelope, base64 in a PEM block labelled ENCRYPTED SIGSTORE PRIVATE KEY
 * (sigstore/sigstore `pkg/cryptoutils`, go-securesystemslib `encrypted`).
 */

export interface TestCosignKey {
  /** The encrypted private key file, as cosign.key holds it. */
  privateKey: string;
  /** cosign.pub: SPKI PEM. */
  publicKey: string;
  password: string;
  keyObject: KeyObject;
  /** PKCS#8 PEM of the same private key, unencrypted. */
  pkcs8Pem: string;
}

export function cosignKeyPair(password: string, options: { label?: string; N?: number } = {}): TestCosignKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  // cosign uses N = 32768, r = 8, p = 1 (go-securesystemslib's default scrypt cost).
  const params = { N: options.N ?? 32768, r: 8, p: 1 };
  const key = scryptSync(password, salt, nacl.secretbox.keyLength, { ...params, maxmem: 256 * 1024 * 1024 });
  const ciphertext = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), new Uint8Array(key));
  const file = {
    kdf: { name: 'scrypt', params, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  const label = options.label ?? 'ENCRYPTED SIGSTORE PRIVATE KEY';
  const body = Buffer.from(JSON.stringify(file))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return {
    privateKey: `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`,
    publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    password,
    keyObject: privateKey,
    pkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
