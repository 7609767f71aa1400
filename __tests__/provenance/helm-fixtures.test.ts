import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeClearsigned } from '../../src/provenance/cleartext.js';
import { provenanceMessage } from '../../src/provenance/message.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import { ProvenanceError } from '../../src/provenance/provenance-error.js';
import { loadSigningKey } from '../../src/provenance/signing-key.js';
import { readKeyring, verifyClearsigned, verifyProvenance } from '../../src/provenance/verify.js';
import { systemClock } from '../../src/shared/clock.js';
import { corpusPath } from '../support/corpus.js';
import { GpgHome } from '../support/gpg.js';
import { readChartArchive } from './chart-archive.js';
import { MemoryLogger } from '../support/memory-logger.js';

/**
 * Helm's own fixtures (pkg/provenance/testdata, cmd/helm/testdata; __tests__/corpus/helm-testdata):
 * archives with the .prov files Helm wrote for them, signed by Helm's public test key.
 */
const testdata = (...parts: string[]) => corpusPath('helm-testdata', ...parts);
const HELM_TEST_KEY_FINGERPRINT = '5E615389B53CA37F0EE60BD3843BBF981FC18762';
const HELM_TEST_KEY_UID = 'Helm Testing (This key should only be used for testing. DO NOT TRUST.) <helm-testing@helm.sh>';

const fixtures = [
  { archive: testdata('provenance', 'hashtest-1.2.3.tgz'), prov: testdata('provenance', 'hashtest-1.2.3.tgz.prov') },
  { archive: testdata('signtest-0.1.0.tgz'), prov: testdata('signtest-0.1.0.tgz.prov') },
];

/** The cleartext of a .prov with dash-escaping undone, read line by line (not with our decoder). */
function signedBody(prov: string): string {
  const lines = prov.split('\n');
  const start = lines.indexOf('') + 1; // after the armor headers
  const end = lines.indexOf('-----BEGIN PGP SIGNATURE-----');
  return lines
    .slice(start, end)
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
    .join('\n');
}

describe("the message block for Helm's fixture archives (spec §2.1)", () => {
  it.each(fixtures)('equals the body Helm signed for $archive', ({ archive, prov }) => {
    const chart = readChartArchive(archive);
    const message = provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes));
    // Helm ≤ 3.21.3 (these fixtures) did not sign the final newline, so no empty line follows it.
    expect(message).toBe(`${signedBody(readFileSync(prov, 'utf8'))}\n`);
    expect(message).toContain(`\n...\nfiles:\n  ${chart.fileName}: sha256:${sha256Hex(chart.bytes)}\n`);
  });

  it("equals Helm's msgblock.yaml fixture byte for byte", () => {
    const chart = readChartArchive(testdata('provenance', 'hashtest-1.2.3.tgz'));
    const message = provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes));
    expect(message).toBe(readFileSync(testdata('provenance', 'msgblock.yaml'), 'utf8'));
  });

  it('decodes the fixtures to the same plaintext as go-crypto', () => {
    const block = decodeClearsigned(readFileSync(testdata('provenance', 'hashtest-1.2.3.tgz.prov')));
    expect(block?.hashes).toEqual(['SHA512']);
    expect(block?.plaintext).toBe(readFileSync(testdata('provenance', 'msgblock.yaml'), 'utf8').replace(/\n$/, ''));
  });
});

describe("Helm's .prov files with our verifier (spec §2.4)", () => {
  const publicKeys = readFileSync(testdata('provenance', 'helm-test-key.pub'));

  it.each(fixtures)('$prov verifies against helm-test-key.pub', async ({ archive, prov }) => {
    const chart = readChartArchive(archive);
    const result = await verifyProvenance({
      provenance: readFileSync(prov),
      publicKeys,
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    expect(result.fingerprint).toBe(HELM_TEST_KEY_FINGERPRINT);
    expect(result.signedBy).toEqual([HELM_TEST_KEY_UID]);
    expect(result.sha256).toBe(sha256Hex(chart.bytes));
  });

  it('verifies with the mixed keyring (RSA + ed25519) as well', async () => {
    const chart = readChartArchive(fixtures[0]!.archive);
    const result = await verifyProvenance({
      provenance: readFileSync(fixtures[0]!.prov),
      publicKeys: readFileSync(testdata('provenance', 'helm-mixed-keyring.pub')),
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    expect(result.fingerprint).toBe(HELM_TEST_KEY_FINGERPRINT);
  });

  it('accepts msgblock.yaml.asc and rejects msgblock.yaml.tampered', async () => {
    const keyring = await readKeyring(publicKeys);
    const good = await verifyClearsigned(readFileSync(testdata('provenance', 'msgblock.yaml.asc')), keyring, systemClock);
    expect(good.fingerprint).toBe(HELM_TEST_KEY_FINGERPRINT);
    await expect(verifyClearsigned(readFileSync(testdata('provenance', 'msgblock.yaml.tampered')), keyring, systemClock)).rejects.toThrow(
      /^openpgp: invalid signature: hash tag doesn't match/,
    );
  });

  it('names the file when the archive is verified under another name (Helm keys by file name)', async () => {
    const chart = readChartArchive(fixtures[0]!.archive);
    const attempt = verifyProvenance({
      provenance: readFileSync(fixtures[0]!.prov),
      publicKeys,
      archiveFileName: 'renamed-1.2.3.tgz',
      archiveBytes: chart.bytes,
    });
    await expect(attempt).rejects.toThrow(ProvenanceError);
    await expect(attempt).rejects.toThrow('provenance does not contain a SHA for a file named "renamed-1.2.3.tgz"');
  });

  it("rejects a fixture .prov for another archive with Helm's sha256 message", async () => {
    const other = readChartArchive(fixtures[1]!.archive);
    await expect(
      verifyProvenance({
        provenance: readFileSync(fixtures[0]!.prov),
        publicKeys,
        archiveFileName: 'hashtest-1.2.3.tgz',
        archiveBytes: other.bytes,
      }),
    ).rejects.toThrow(
      `sha256 sum does not match for hashtest-1.2.3.tgz: "sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888" != "sha256:${sha256Hex(other.bytes)}"`,
    );
  });

  it('does not find the signer in a keyring without the key', async () => {
    const gpg = GpgHome.create();
    try {
      const stranger = await gpg.generateKey({ name: 'Stranger', email: 'stranger@example.invalid', algorithm: 'ed25519' });
      const chart = readChartArchive(fixtures[0]!.archive);
      await expect(
        verifyProvenance({
          provenance: readFileSync(fixtures[0]!.prov),
          publicKeys: await gpg.exportPublicKey(stranger),
          archiveFileName: chart.fileName,
          archiveBytes: chart.bytes,
        }),
      ).rejects.toThrow(/^openpgp: signature made by unknown entity: the signing key 843BBF981FC18762 is not in the keyring/);
    } finally {
      gpg.dispose();
    }
  });
});

describe("signing with Helm's test keys (binary legacy keyrings)", () => {
  let gpg: GpgHome;
  beforeAll(() => {
    gpg = GpgHome.create();
  });
  afterAll(() => gpg.dispose());

  it.each([
    { key: 'helm-test-key.secret', passphrase: undefined, fingerprint: HELM_TEST_KEY_FINGERPRINT },
    { key: 'helm-password-key.secret', passphrase: 'secret', fingerprint: 'E18D0BE258CB62933597C3527A891631B10DA2B1' },
  ])('$key signs a .prov that gpgv and our verifier accept', async ({ key, passphrase, fingerprint }) => {
    const logger = new MemoryLogger();
    const signer = await loadSigningKey({ key: readFileSync(testdata('provenance', key)), passphrase, logger });
    expect(signer.fingerprint).toBe(fingerprint);
    expect(signer.algorithm).toBe('RSA 2048');

    const chart = readChartArchive(fixtures[0]!.archive);
    const message = provenanceMessage(chart.metadata, chart.fileName, sha256Hex(chart.bytes));
    const prov = await signer.sign(message);
    const provPath = join(gpg.dir, `${key}.hashtest-1.2.3.tgz.prov`);
    writeFileSync(provPath, prov);

    const keyring = await gpg.keyringFrom(signer.publicKey, `${key}.pub.gpg`);
    const gpgv = await gpg.gpgv(keyring, provPath);
    expect(gpgv.stderr).toContain('Good signature');
    expect(gpgv.exitCode).toBe(0);

    // Helm's own public key file verifies what its secret key signed.
    const publicKeys = key === 'helm-test-key.secret' ? readFileSync(testdata('provenance', 'helm-test-key.pub')) : signer.publicKey;
    const result = await verifyProvenance({ provenance: prov, publicKeys, archiveFileName: chart.fileName, archiveBytes: chart.bytes });
    expect(result.fingerprint).toBe(fingerprint);
    expect(decodeClearsigned(prov)?.plaintext).toBe(message);
  });
});
