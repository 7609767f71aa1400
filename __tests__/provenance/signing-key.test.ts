import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, type SigningKeyOptions } from '../../src/provenance/signing-key.js';
import { verifyProvenance } from '../../src/provenance/verify.js';
import { provenanceMessage } from '../../src/provenance/message.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import type { Clock } from '../../src/shared/clock.js';
import { describeError, InputError } from '../../src/shared/errors.js';
import { corpusPath } from '../support/corpus.js';
import { GpgHome, type GeneratedKey } from '../support/gpg.js';
import { readChartArchive, type ChartArchive } from './chart-archive.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { expectMaskedAndNotLogged } from './masking.js';

/**
 * Loading the `signing-key` secret: which key is chosen, and every way it can be unusable, each
 * with a message that names the input and says what to do, and without a trace of the secret.
 */

const PASSPHRASE = 'hunter2 is not a passphrase';

let gpg: GpgHome;
let chart: ChartArchive;
const k = {} as Record<
  'alice' | 'aliceOther' | 'protected' | 'expired' | 'revoked' | 'certifyOnly' | 'subkeySigner' | 'offlinePrimary' | 'ed',
  GeneratedKey
>;
const armored = {} as Record<keyof typeof k, string>;

beforeAll(async () => {
  gpg = GpgHome.create();
  chart = readChartArchive(corpusPath('packaged', 'arielevs', 'mosquitto-0.0.12', 'mosquitto-0.0.12.tgz'));
  k.alice = await gpg.generateKey({ name: 'Alice Signer', email: 'alice@example.invalid', algorithm: 'rsa3072' });
  k.aliceOther = await gpg.generateKey({ name: 'Alice Other', email: 'alice.other@example.invalid', algorithm: 'ed25519' });
  k.protected = await gpg.generateKey({
    name: 'Pat Protected',
    email: 'pat@example.invalid',
    algorithm: 'rsa3072',
    passphrase: PASSPHRASE,
  });
  k.expired = await gpg.generateKey({ name: 'Old Timer', email: 'old@example.invalid', algorithm: 'rsa3072', at: '20200101T000000' });
  k.revoked = await gpg.generateKey({ name: 'Rita Revoked', email: 'rita@example.invalid', algorithm: 'rsa3072' });
  await gpg.revoke(k.revoked);
  k.certifyOnly = await gpg.generateKey({ name: 'Cert Only', email: 'cert@example.invalid', algorithm: 'rsa3072', usage: 'cert' });
  await gpg.addSubkey(k.certifyOnly, 'rsa3072', 'encr');
  k.subkeySigner = await gpg.generateKey({ name: 'Sub Signer', email: 'sub@example.invalid', algorithm: 'rsa3072', usage: 'cert' });
  await gpg.addSubkey(k.subkeySigner, 'ed25519', 'sign');
  k.offlinePrimary = await gpg.generateKey({ name: 'Offline Primary', email: 'offline@example.invalid', algorithm: 'rsa3072' });
  await gpg.addSubkey(k.offlinePrimary, 'rsa3072', 'sign');
  k.ed = await gpg.generateKey({ name: 'Ed Edwards', email: 'ed@example.invalid', algorithm: 'ed25519' });
  for (const name of Object.keys(k) as Array<keyof typeof k>) {
    armored[name] = await gpg.exportSecretKey(k[name], { subkeysOnly: name === 'offlinePrimary' });
  }
});

afterAll(() => gpg?.dispose());

async function load(options: Omit<SigningKeyOptions, 'logger'>, logger: MemoryLogger = new MemoryLogger()) {
  return loadSigningKey({ ...options, logger });
}

/** Signs the mosquitto archive and has gpgv (against the exported public key) judge it. */
async function signAndGpgv(signer: Awaited<ReturnType<typeof load>>, key: GeneratedKey) {
  const prov = await signer.sign(provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes)));
  const provPath = join(gpg.dir, `${key.fingerprint}.prov`);
  writeFileSync(provPath, prov);
  const keyring = await gpg.exportPublicKeyring([key], `${key.fingerprint}.gpg`);
  const result = await gpg.gpgv(keyring, provPath);
  expect(result.stderr).toContain('Good signature');
  expect(result.exitCode).toBe(0);
  return prov;
}

/**
 * Runs a load that must fail; checks the input it names, the message, and that neither the key
 * text nor the passphrase appears in the message, its causes, or anything logged.
 */
async function expectInputError(options: Omit<SigningKeyOptions, 'logger'>, input: string, message: RegExp): Promise<InputError> {
  const logger = new MemoryLogger();
  const error = await load(options, logger).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  const inputError = error as InputError;
  expect(inputError.input).toBe(input);
  expect(inputError.message.startsWith(`Input "${input}": `)).toBe(true);
  expect(inputError.message).toMatch(message);
  const shown = `${describeError(inputError)}\n${logger.lines.join('\n')}`;
  if (typeof options.key === 'string') {
    for (const line of options.key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
      expect(shown).not.toContain(line);
      expect(logger.masked).toContain(line);
    }
  }
  if (options.passphrase) {
    expect(shown).not.toContain(options.passphrase);
    expect(logger.masked).toContain(options.passphrase);
  }
  return inputError;
}

describe('error cases: each names the input and says what to do', () => {
  it('malformed key text', async () => {
    await expectInputError(
      { key: 'this is not a key, it is a note to self' },
      'signing-key',
      new RegExp(
        '^Input "signing-key": is not a usable OpenPGP secret key: it is neither an ASCII-armored key .* ' +
          'Expected the output of "gpg --armor --export-secret-keys <fingerprint>", ' +
          'which starts with "-----BEGIN PGP PRIVATE KEY BLOCK-----"\\.$',
      ),
    );
  });

  it('an armored key whose base64 is damaged', async () => {
    const lines = armored.alice.split('\n');
    lines[5] = lines[5]!.split('').reverse().join('');
    lines.splice(8, 3);
    await expectInputError(
      { key: lines.join('\n') },
      'signing-key',
      /is not a usable OpenPGP secret key: the armored key block cannot be read \(.+\)\. Expected/,
    );
  });

  it('an armored key without its end line', async () => {
    const cut = armored.alice.slice(0, armored.alice.indexOf('-----END'));
    await expectInputError({ key: cut }, 'signing-key', /the armored PRIVATE KEY BLOCK has no matching END line/);
  });

  it('something armored that is not a key', async () => {
    await expectInputError(
      { key: '-----BEGIN PGP MESSAGE-----\n\nhQEMA0123456789abcdef\n-----END PGP MESSAGE-----\n' },
      'signing-key',
      /it is an armored "MESSAGE", not a key/,
    );
  });

  it('a public key given', async () => {
    const error = await expectInputError(
      { key: await gpg.exportPublicKey(k.alice) },
      'signing-key',
      /holds only public keys \(.+\), and a public key cannot sign\. Store the secret key instead: gpg --armor --export-secret-keys <fingerprint>\.$/,
    );
    expect(error.message).toContain(`${k.alice.fingerprint} (${k.alice.uid})`);
  });

  it('a wrong passphrase', async () => {
    const error = await expectInputError(
      { key: armored.protected, passphrase: 'not the passphrase' },
      'signing-passphrase',
      /^Input "signing-passphrase": does not unlock the signing key .+\. Check that the secret holds this key's passphrase/,
    );
    expect(error.message).toContain(k.protected.fingerprint);
  });

  it('a missing passphrase for a protected key', async () => {
    await expectInputError(
      { key: armored.protected },
      'signing-passphrase',
      /^Input "signing-passphrase": is required: the signing key .+ is protected by a passphrase\. Store the passphrase in a secret and pass it as signing-passphrase\.$/,
    );
    await expectInputError({ key: armored.protected, passphrase: '' }, 'signing-passphrase', /is required/);
  });

  it('no signing-capable key: a certify-only primary key with an encryption subkey', async () => {
    const [encryption] = await gpg.subkeys(k.certifyOnly);
    const error = await expectInputError(
      { key: armored.certifyOnly },
      'signing-key',
      new RegExp(
        'has no key that can sign: its primary key may only certify, and it has no valid signing subkey ' +
          '\\(subkeys: [0-9A-F]{16} encrypt\\)\\. Add a signing subkey \\(gpg --quick-add-key [0-9A-F]{40} rsa3072 sign\\)',
      ),
    );
    expect(error.message).toContain(encryption!.keyId);
  });

  it('an expired key', async () => {
    await expectInputError(
      { key: armored.expired },
      'signing-key',
      new RegExp(
        `^Input "signing-key": the key ${k.expired.fingerprint} \\(Old Timer <old@example.invalid>\\) expired on 2020-01-02T00:00:00.000Z\\. ` +
          `Extend it \\(gpg --quick-set-expire ${k.expired.fingerprint} 2y\\), export it again`,
      ),
    );
  });

  it('a key that expires before the clock says now', async () => {
    const later: Clock = { now: () => Date.now() + 3 * 24 * 3600 * 1000, sleep: async () => {} };
    const logger = new MemoryLogger();
    await expect(loadSigningKey({ key: armored.alice, logger, clock: later })).rejects.toThrow(/expired on/);
  });

  it('a revoked key', async () => {
    await expectInputError(
      { key: armored.revoked },
      'signing-key',
      /the key [0-9A-F]{40} \(Rita Revoked <rita@example\.invalid>\) has been revoked\. A revoked key must not sign again: create a new signing key/,
    );
  });

  it('signing-key-id not found', async () => {
    const error = await expectInputError(
      { key: await gpg.exportSecretKey([k.alice, k.aliceOther]), keyId: 'bob@example.invalid' },
      'signing-key-id',
      /^Input "signing-key-id": no key in signing-key matches "bob@example\.invalid"; it holds .+\. Give the fingerprint, the key id or a part of a user id of one of these\.$/,
    );
    expect(error.message).toContain(k.alice.fingerprint);
    expect(error.message).toContain(k.aliceOther.fingerprint);
  });

  it('an ambiguous signing-key-id lists the candidates', async () => {
    const error = await expectInputError(
      { key: await gpg.exportSecretKey([k.alice, k.aliceOther, k.ed]), keyId: 'ALICE' },
      'signing-key-id',
      /^Input "signing-key-id": "ALICE" matches 2 keys in signing-key: .+\. Give the full fingerprint of the one to sign with\.$/,
    );
    expect(error.message).toContain(`${k.alice.fingerprint} (${k.alice.uid})`);
    expect(error.message).toContain(`${k.aliceOther.fingerprint} (${k.aliceOther.uid})`);
    expect(error.message).not.toContain(k.ed.fingerprint);
  });

  it('several keys, none of which can sign, are each explained', async () => {
    await expectInputError(
      { key: `${armored.expired}\n${armored.revoked}` },
      'signing-key',
      /none of its 2 keys can sign: .*Old Timer.* expired on .*; .*Rita Revoked.* has been revoked\./,
    );
  });

  it('an RSA key below 2048 bits', async () => {
    const weak = await gpg.generateKey({ name: 'Weak', email: 'weak@example.invalid', algorithm: 'rsa1024' });
    await expectInputError(
      { key: await gpg.exportSecretKey(weak) },
      'signing-key',
      /cannot be used: .*RSA keys shorter than 2047 bits are considered too weak.*\. Use an RSA key of at least 3072 bits/,
    );
  });
});

describe('choosing the key', () => {
  it('defaults to the first key that can sign, skipping unusable ones', async () => {
    const logger = new MemoryLogger();
    const signer = await load({ key: `${armored.expired}${armored.alice}${armored.ed}` }, logger);
    expect(signer.fingerprint).toBe(k.alice.fingerprint);
    expect(logger.lines).toContain(
      `debug: signing-key: skipping ${k.expired.fingerprint} (${k.expired.uid}): it expired on 2020-01-02T00:00:00.000Z`,
    );
  });

  it.each([
    ['a full fingerprint, lower case with spaces', () => k.ed.fingerprint.toLowerCase().replace(/(.{4})/g, '$1 ')],
    ['a 0x long key id', () => `0x${k.ed.keyId}`],
    ['a short key id', () => k.ed.keyId.slice(-8)],
    ['a part of the user id in another case', () => 'ED EDWARDS'],
    ['the e-mail address', () => 'ed@example.invalid'],
  ])('selects by %s', async (_what, keyId) => {
    const signer = await load({ key: await gpg.exportSecretKey([k.alice, k.ed]), keyId: keyId() });
    expect(signer.fingerprint).toBe(k.ed.fingerprint);
  });

  it('prefers an exact user id over substring matches, as Helm does', async () => {
    const signer = await load({ key: await gpg.exportSecretKey([k.alice, k.aliceOther]), keyId: k.alice.uid });
    expect(signer.fingerprint).toBe(k.alice.fingerprint);
  });

  it('selects a key by the id of one of its subkeys', async () => {
    const [subkey] = await gpg.subkeys(k.subkeySigner);
    const signer = await load({ key: `${armored.alice}${armored.subkeySigner}`, keyId: subkey!.keyId });
    expect(signer.fingerprint).toBe(k.subkeySigner.fingerprint);
  });

  it('reads the base64 of a binary export and a public key pasted after the secret one', async () => {
    const binary = (await gpg.exportSecretKeyring(k.alice)).toString('base64').replace(/(.{76})/g, '$1\n');
    expect((await load({ key: binary })).fingerprint).toBe(k.alice.fingerprint);
    const both = `${armored.alice}\n${await gpg.exportPublicKey(k.alice)}`;
    expect((await load({ key: both })).fingerprint).toBe(k.alice.fingerprint);
  });

  it('reads armor pasted with CRLF line ends and indentation', async () => {
    const pasted = armored.alice
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\r\n');
    expect((await load({ key: pasted })).fingerprint).toBe(k.alice.fingerprint);
  });
});

describe('unlocking and signing', () => {
  it('unlocks a protected key, masks the passphrase, and uses only its first line', async () => {
    const logger = new MemoryLogger();
    const signer = await load({ key: armored.protected, passphrase: `${PASSPHRASE}\n` }, logger);
    await signAndGpgv(signer, k.protected);
    expectMaskedAndNotLogged(logger, armored.protected, PASSPHRASE);
  });

  it('warns that a passphrase for an unprotected key is ignored', async () => {
    const logger = new MemoryLogger();
    await load({ key: armored.alice, passphrase: 'unneeded' }, logger);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warning: signing-passphrase is set, but the signing key .* is not protected/),
    );
  });

  it('signs with the signing subkey when the primary key may only certify; gpgv and our verifier accept it', async () => {
    const logger = new MemoryLogger();
    const signer = await load({ key: armored.subkeySigner }, logger);
    const [subkey] = await gpg.subkeys(k.subkeySigner);
    expect(signer.signingKeyId).toBe(subkey!.keyId);
    expect(signer.algorithm).toBe('EdDSA ed25519');
    expect(logger.lines.some((l) => l.includes(`signing subkey ${subkey!.keyId} signs instead`))).toBe(true);
    // The RSA primary alone would be fine for old Helm; the ed25519 subkey is not.
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warning: signing-key: ${k.subkeySigner.fingerprint} contains the EdDSA ed25519 key ${subkey!.keyId}, ` +
            'which Helm 3.21.3 and older cannot read \\("openpgp: unsupported feature: public key type: 22"\\)',
        ),
      ),
    );
    const prov = await signAndGpgv(signer, k.subkeySigner);
    const result = await verifyProvenance({
      provenance: prov,
      publicKeys: signer.publicKey,
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    expect(result.fingerprint).toBe(k.subkeySigner.fingerprint);
    expect(result.signingKeyId).toBe(subkey!.keyId);
  });

  it('signs with the primary key when it can sign, even if a signing subkey exists (as Helm does)', async () => {
    const withSubkey = await gpg.exportSecretKey(k.offlinePrimary);
    const signer = await load({ key: withSubkey });
    expect(signer.signingKeyId).toBe(k.offlinePrimary.keyId);
  });

  it('signs with the subkey of an --export-secret-subkeys export (primary key kept offline)', async () => {
    const signer = await load({ key: armored.offlinePrimary });
    const [subkey] = await gpg.subkeys(k.offlinePrimary);
    expect(signer.signingKeyId).toBe(subkey!.keyId);
    await signAndGpgv(signer, k.offlinePrimary);
  });

  it('unlocks a protected --export-secret-subkeys export (the stub primary key has no secret to decrypt)', async () => {
    const key = await gpg.generateKey({
      name: 'Offline Protected',
      email: 'offline.pw@example.invalid',
      algorithm: 'rsa3072',
      passphrase: PASSPHRASE,
    });
    await gpg.addSubkey(key, 'rsa3072', 'sign');
    const logger = new MemoryLogger();
    const exported = await gpg.exportSecretKey(key, { subkeysOnly: true });
    await expectInputError({ key: exported }, 'signing-passphrase', /is required/);
    const signer = await load({ key: exported, passphrase: PASSPHRASE }, logger);
    expect(signer.signingKeyId).not.toBe(key.keyId);
    await signAndGpgv(signer, key);
    expectMaskedAndNotLogged(logger, exported, PASSPHRASE);
  });

  it('exposes what the summary needs', async () => {
    const signer = await load({ key: armored.alice });
    expect(signer).toMatchObject({
      fingerprint: k.alice.fingerprint,
      signingKeyId: k.alice.keyId,
      userIds: [k.alice.uid],
      algorithm: 'RSA 3072',
    });
    expect(signer.expires).toBeInstanceOf(Date);
    expect(signer.publicKey).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(signer.publicKey).not.toContain('PRIVATE');
  });
});
