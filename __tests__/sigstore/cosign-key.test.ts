import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCosignKey } from '../../src/sigstore/cosign-key.js';
import { cosignKeyPair } from '../support/cosign-keys.js';
import { MemoryLogger } from '../support/memory-logger.js';

// The encrypted keys are made in the test with scrypt and tweetnacl's secretbox, in the format
// cosign generate-key-pair writes (see support/cosign-keys.ts): the cosign binary is not installed.
describe('loadCosignKey', () => {
  it('opens the cosign generate-key-pair format, current and legacy label, to the same public key', async () => {
    for (const label of ['ENCRYPTED SIGSTORE PRIVATE KEY', 'ENCRYPTED COSIGN PRIVATE KEY']) {
      const pair = cosignKeyPair('p4ss word ', { label });
      const key = await loadCosignKey({ key: pair.privateKey, password: pair.password, logger: new MemoryLogger() });
      expect(key.publicKeyPem).toBe(pair.publicKey);
      expect(key.hint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
  });

  it('reads an unencrypted PKCS#8 PEM P-256 key and an encrypted PKCS#8 one with its password', async () => {
    const pair = cosignKeyPair('x');
    expect((await loadCosignKey({ key: pair.pkcs8Pem, logger: new MemoryLogger() })).publicKeyPem).toBe(pair.publicKey);
    const encrypted = pair.keyObject.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pem pass' }).toString();
    expect((await loadCosignKey({ key: encrypted, password: 'pem pass', logger: new MemoryLogger() })).publicKeyPem).toBe(pair.publicKey);
  });

  it('names the input to fix: a wrong password, a non-key, another curve', async () => {
    const pair = cosignKeyPair('right');
    await expect(loadCosignKey({ key: pair.privateKey, password: 'wrong', logger: new MemoryLogger() })).rejects.toThrow(
      /Input "cosign-key-password": does not decrypt cosign-key/,
    );
    await expect(loadCosignKey({ key: pair.privateKey, logger: new MemoryLogger() })).rejects.toThrow(
      /Input "cosign-key-password": is empty, and cosign-key is encrypted/,
    );
    await expect(loadCosignKey({ key: 'not a key', logger: new MemoryLogger() })).rejects.toThrow(/Input "cosign-key": is not a PEM key/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(loadCosignKey({ key: p384, logger: new MemoryLogger() })).rejects.toThrow(/not an ECDSA P-256 key/);
  });

  it('masks the key, each of its lines and the password before anything else', async () => {
    const pair = cosignKeyPair('secret pass');
    const logger = new MemoryLogger();
    await loadCosignKey({ key: pair.privateKey, password: pair.password, logger });
    expect(logger.masked).toContain(pair.privateKey);
    expect(logger.masked).toContain(pair.password);
    for (const line of pair.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(logger.masked).toContain(line);
    expect(logger.entries).toEqual([]);
  });
});
