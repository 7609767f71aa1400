import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCleartextMessage, readKey, verify } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChartProvenance } from '../../src/provenance/chart-provenance.js';
import { decodeClearsigned } from '../../src/provenance/cleartext.js';
import { parseMessageFiles, provenanceMessage } from '../../src/provenance/message.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import { loadSigningKey } from '../../src/provenance/signing-key.js';
import { verifyProvenance } from '../../src/provenance/verify.js';
import { corpusPath } from '../support/corpus.js';
import { GpgHome, type GeneratedKey } from '../support/gpg.js';
import { readChartArchive, type ChartArchive } from './chart-archive.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { expectMaskedAndNotLogged } from './masking.js';

/**
 * Keys made by real gpg the way users make them (gpg 2.2), .prov
 * files made by the action's signer, and gpgv — an independent OpenPGP implementation — as the
 * judge, next to our own Helm-compatible verifier.
 */

interface KeyCase {
  label: string;
  algorithm: string;
  passphrase: string | undefined;
  /** What gpgv names the algorithm in "using … key". */
  gpgName: string;
  helmWarning: boolean;
}

const CASES: KeyCase[] = [
  { label: 'RSA 3072', algorithm: 'rsa3072', passphrase: undefined, gpgName: 'RSA', helmWarning: false },
  {
    label: 'RSA 3072 with passphrase',
    algorithm: 'rsa3072',
    passphrase: 'correct horse battery staple',
    gpgName: 'RSA',
    helmWarning: false,
  },
  { label: 'ed25519', algorithm: 'ed25519', passphrase: undefined, gpgName: 'EDDSA', helmWarning: true },
  { label: 'ed25519 with passphrase', algorithm: 'ed25519', passphrase: 'pässwörd with spaces ', gpgName: 'EDDSA', helmWarning: true },
];

let gpg: GpgHome;
let chart: ChartArchive;
let keyring: string;
const keys = new Map<string, { key: GeneratedKey; armored: string }>();

beforeAll(async () => {
  gpg = GpgHome.create();
  chart = readChartArchive(corpusPath('packaged', 'arielevs', 'mosquitto-0.0.12', 'mosquitto-0.0.12.tgz'));
  for (const [i, c] of CASES.entries()) {
    const key = await gpg.generateKey({
      name: `Chart Signer ${i}`,
      email: `signer${i}@example.invalid`,
      algorithm: c.algorithm,
      passphrase: c.passphrase,
    });
    keys.set(c.label, { key, armored: await gpg.exportSecretKey(key) });
  }
  keyring = await gpg.exportPublicKeyring([...keys.values()].map((k) => k.key));
});

afterAll(() => gpg?.dispose());

/** Writes the archive and its .prov side by side, as `helm package --sign` leaves them. */
function writePair(name: string, archive: Uint8Array, prov: string): { archivePath: string; provPath: string } {
  const archivePath = join(gpg.dir, `${name}-${chart.fileName}`);
  writeFileSync(archivePath, archive);
  writeFileSync(`${archivePath}.prov`, prov);
  return { archivePath, provPath: `${archivePath}.prov` };
}

describe.each(CASES)('$label key made by gpg', (c) => {
  let prov: string;
  let logger: MemoryLogger;
  const label = c.label.replace(/\W+/g, '-');

  beforeAll(async () => {
    const { armored } = keys.get(c.label)!;
    logger = new MemoryLogger();
    const signer = await loadSigningKey({ key: armored, passphrase: c.passphrase, logger });
    prov = (await createChartProvenance({ signer, metadata: chart.metadata, archiveFileName: chart.fileName, archiveBytes: chart.bytes }))
      .provenance;
  });

  it('makes a .prov that gpgv accepts: Good signature, SHA512 text signature', async () => {
    const { provPath } = writePair(label, chart.bytes, prov);
    const result = await gpg.gpgv(keyring, provPath);
    expect(result.stderr).toContain('Good signature from "Chart Signer');
    expect(result.stderr).toContain(`using ${c.gpgName} key ${keys.get(c.label)!.key.fingerprint}`);
    expect(result.exitCode).toBe(0);
    expect((await gpg.verify(provPath)).exitCode).toBe(0);

    const signaturePath = `${provPath}.sig.asc`;
    writeFileSync(signaturePath, prov.slice(prov.indexOf('-----BEGIN PGP SIGNATURE-----')));
    const packets = await gpg.listPackets(signaturePath);
    expect(packets).toMatch(/sigclass 0x01/); // canonical text (spec §2.2)
    expect(packets).toMatch(/digest algo 10,/); // SHA-512 (spec §2.1)
  });

  it('is accepted by our verifier and by openpgp.js, with the archive digest in its body', async () => {
    const result = await verifyProvenance({
      provenance: prov,
      publicKeys: readFileSync(keyring),
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    expect(result.fingerprint).toBe(keys.get(c.label)!.key.fingerprint);
    expect(result.signedBy).toEqual([keys.get(c.label)!.key.uid]);
    expect(result.sha256).toBe(execSha256(chart.path));

    const block = decodeClearsigned(prov)!;
    expect(parseMessageFiles(block.plaintext).get(chart.fileName)).toBe(`sha256:${execSha256(chart.path)}`);
    expect(block.plaintext).toBe(provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes)));

    const outcome = await verify({
      message: await readCleartextMessage({ cleartextMessage: prov }),
      verificationKeys: await readKey({ armoredKey: await gpg.exportPublicKey(keys.get(c.label)!.key) }),
      expectSigned: true,
    });
    await expect(outcome.signatures[0]!.verified).resolves.toBe(true);
  });

  it('is framed as Helm ≥ 3.21.4 writes it (spec §2.2)', () => {
    expect(prov).not.toContain('\r');
    const lines = prov.split('\n');
    expect(lines.slice(0, 3)).toEqual(['-----BEGIN PGP SIGNED MESSAGE-----', 'Hash: SHA512', '']);
    const begin = lines.indexOf('-----BEGIN PGP SIGNATURE-----');
    // The message's final newline is signed: an empty line precedes the signature block.
    expect(lines[begin - 1]).toBe('');
    expect(lines[begin - 2]).toBe(`  ${chart.fileName}: sha256:${sha256Hex(chart.bytes)}`);
    // YAML list items are dash-escaped.
    expect(lines).toContain('- - email: levinsonarie@gmail.com');
    expect(lines).toContain('- - mosquitto');
    // No armor headers, 64-column base64, no newline after the end line.
    expect(lines[begin + 1]).toBe('');
    const armor = lines.slice(begin + 2, -1);
    // No CRC-24 line, except where GnuPG needs one to find the end (unpadded base64; T7071).
    const crc = armor.at(-1)!.startsWith('=') ? armor.pop() : undefined;
    expect(crc === undefined).toBe(armor.at(-1)!.endsWith('='));
    if (crc !== undefined) expect(crc).toMatch(/^=[A-Za-z0-9+/]{4}$/);
    expect(armor.every((l) => /^[A-Za-z0-9+/]+=*$/.test(l))).toBe(true);
    expect(armor.slice(0, -1).every((l) => l.length === 64)).toBe(true);
    expect(armor.at(-1)!.length).toBeLessThanOrEqual(64);
    expect(prov).not.toMatch(/^(Version|Comment|Charset):/m);
    expect(prov.endsWith('\n-----END PGP SIGNATURE-----')).toBe(true);
  });

  it('fails in gpgv and in our verifier when the .prov body is changed', async () => {
    const tampered = prov.replace('version: 0.0.12', 'version: 0.0.13');
    expect(tampered).not.toBe(prov);
    const { provPath } = writePair(`${label}-tampered-prov`, chart.bytes, tampered);
    const result = await gpg.gpgv(keyring, provPath);
    expect(result.stderr).toContain('BAD signature');
    expect(result.exitCode).not.toBe(0);
    await expect(
      verifyProvenance({
        provenance: tampered,
        publicKeys: readFileSync(keyring),
        archiveFileName: chart.fileName,
        archiveBytes: chart.bytes,
      }),
    ).rejects.toThrow(/^openpgp: invalid signature: hash tag doesn't match/);
  });

  it('fails the digest check in both when the .tgz is changed', async () => {
    const archive = Buffer.from(chart.bytes);
    archive[archive.length - 10]! ^= 0xff;
    const { archivePath, provPath } = writePair(`${label}-tampered-tgz`, archive, prov);
    // gpgv checks the signature only; the digest check is what helm verify adds (spec §2.4).
    expect((await gpg.gpgv(keyring, provPath)).exitCode).toBe(0);
    const listed = parseMessageFiles(decodeClearsigned(readFileSync(provPath))!.plaintext).get(chart.fileName);
    expect(listed).not.toBe(`sha256:${execSha256(archivePath)}`);
    await expect(
      verifyProvenance({ provenance: prov, publicKeys: readFileSync(keyring), archiveFileName: chart.fileName, archiveBytes: archive }),
    ).rejects.toThrow(`sha256 sum does not match for ${chart.fileName}: "${listed}" != "sha256:${execSha256(archivePath)}"`);
  });

  it('logs the key, warns about old Helm for EdDSA only, and never logs the secrets', () => {
    const { key, armored } = keys.get(c.label)!;
    expect(logger.lines.some((l) => l.startsWith('info: Signing provenance with') && l.includes(key.fingerprint))).toBe(true);
    expect(logger.lines.some((l) => l.startsWith('warning:') && l.includes('Helm 3.21.3 and older cannot read'))).toBe(c.helmWarning);
    // Test keys expire in a day: the expiry warning is due.
    expect(logger.lines.some((l) => l.startsWith('warning:') && l.includes('expires on'))).toBe(true);
    expectMaskedAndNotLogged(logger, armored, c.passphrase);
  });
});

describe('more than one signature', () => {
  it('every .prov of the same signer verifies; signatures differ only by time and salt', async () => {
    const { armored, key } = keys.get('RSA 3072')!;
    const signer = await loadSigningKey({ key: armored, logger: new MemoryLogger() });
    const message = provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes));
    const [a, b] = [await signer.sign(message), await signer.sign(message)];
    expect(decodeClearsigned(a)!.plaintext).toBe(decodeClearsigned(b)!.plaintext);
    for (const [i, prov] of [a, b].entries()) {
      const { provPath } = writePair(`twice-${i}`, chart.bytes, prov);
      expect((await gpg.gpgv(keyring, provPath)).exitCode).toBe(0);
    }
    expect(signer.fingerprint).toBe(key.fingerprint);
  });

  it('signs a chart copied under another name only for that name', async () => {
    const { armored } = keys.get('RSA 3072')!;
    const signer = await loadSigningKey({ key: armored, logger: new MemoryLogger() });
    const renamed = join(gpg.dir, 'renamed.tgz');
    copyFileSync(chart.path, renamed);
    const { provenance } = await createChartProvenance({
      signer,
      metadata: chart.metadata,
      archiveFileName: 'renamed.tgz',
      archiveBytes: chart.bytes,
    });
    expect(provenance).toContain(`  renamed.tgz: sha256:${sha256Hex(chart.bytes)}\n`);
    await expect(
      verifyProvenance({ provenance, publicKeys: signer.publicKey, archiveFileName: chart.fileName, archiveBytes: chart.bytes }),
    ).rejects.toThrow(`provenance does not contain a SHA for a file named "${chart.fileName}"`);
  });
});

describe('both armor endings', () => {
  it('gpgv accepts a signature whose base64 is padded (no CRC line) and one that is not (CRC line)', async () => {
    // EdDSA signatures are almost always 189 bytes (no padding), RSA 3072 ones 3n+2 bytes; a
    // shorter MPI now and then changes that, so sign until each ending has been seen.
    const signers = [
      await loadSigningKey({ key: keys.get('ed25519')!.armored, logger: new MemoryLogger() }),
      await loadSigningKey({ key: keys.get('RSA 3072')!.armored, logger: new MemoryLogger() }),
    ];
    const message = provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes));
    const seen = new Map<boolean, string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const prov = await signers[i % 2]!.sign(message);
      seen.set(/\n=[A-Za-z0-9+/]{4}\n-----END PGP SIGNATURE-----$/.test(prov), prov);
    }
    expect([...seen.keys()].sort()).toEqual([false, true]);
    for (const [crc, prov] of seen) {
      const { provPath } = writePair(`ending-${crc}`, chart.bytes, prov);
      const result = await gpg.gpgv(keyring, provPath);
      expect(result.stderr).not.toContain('invalid radix64');
      expect(result.exitCode).toBe(0);
    }
  });
});

describe('the message itself', () => {
  it('signs trailing whitespace away and escapes every line that starts with a dash, as go-crypto does', async () => {
    const { armored } = keys.get('ed25519')!;
    const signer = await loadSigningKey({ key: armored, logger: new MemoryLogger() });
    const message = 'a: 1   \n-b\n--- c\n-----BEGIN PGP SIGNATURE-----\n\t\n...\nfiles:\n  x.tgz: sha256:00\n';
    const prov = await signer.sign(message);
    expect(prov).toContain('\n\na: 1\n- -b\n- --- c\n- -----BEGIN PGP SIGNATURE-----\n\n...\n');
    const { provPath } = writePair('odd-message', chart.bytes, prov);
    expect((await gpg.gpgv(keyring, provPath)).exitCode).toBe(0);
    expect(decodeClearsigned(prov)!.plaintext).toBe(message.replace('a: 1   ', 'a: 1').replace('\n\t\n', '\n\n'));
  });
});

/** The file's sha256 by coreutils' sha256sum: a digest that does not come from our sha256Hex. */
function execSha256(path: string): string {
  const result = spawnSync('sha256sum', ['--', path], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(
      `sha256sum failed (${result.error?.message ?? result.stderr.trim()}): these tests check digests with it; ` +
        'install GNU coreutils (e.g. `apt-get install coreutils`, `brew install coreutils`).',
    );
  }
  const hex = result.stdout.split(' ')[0] ?? '';
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`sha256sum printed no digest for ${path}: ${result.stdout}`);
  return hex;
}
