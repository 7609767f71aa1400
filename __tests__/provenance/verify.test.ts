import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChartProvenance } from '../../src/provenance/chart-provenance.js';
import { ProvenanceError, SigningError } from '../../src/provenance/provenance-error.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import { loadSigningKey, type Signer } from '../../src/provenance/signing-key.js';
import { verifyProvenance, type VerifyProvenanceOptions } from '../../src/provenance/verify.js';
import type { Clock } from '../../src/shared/clock.js';
import { corpusPath } from '../support/corpus.js';
import { GpgHome, type GeneratedKey } from '../support/gpg.js';
import { readChartArchive, type ChartArchive } from './chart-archive.js';
import { MemoryLogger } from '../support/memory-logger.js';

/** verifyProvenance against what `helm verify` rejects (as Helm's pkg/provenance does). */

let gpg: GpgHome;
let chart: ChartArchive;
let key: GeneratedKey;
let signer: Signer;
let prov: string;

beforeAll(async () => {
  gpg = GpgHome.create();
  chart = readChartArchive(corpusPath('packaged', 'arielevs', 'external-secrets-crd-0.0.7', 'external-secrets-crd-0.0.7.tgz'));
  key = await gpg.generateKey({ name: 'Verify Me', email: 'verify@example.invalid', algorithm: 'rsa3072' });
  signer = await loadSigningKey({ key: await gpg.exportSecretKey(key), logger: new MemoryLogger() });
  ({ provenance: prov } = await createChartProvenance({
    signer,
    metadata: chart.metadata,
    archiveFileName: chart.fileName,
    archiveBytes: chart.bytes,
  }));
});

afterAll(() => gpg?.dispose());

function options(overrides: Partial<VerifyProvenanceOptions> = {}): VerifyProvenanceOptions {
  return { provenance: prov, publicKeys: signer.publicKey, archiveFileName: chart.fileName, archiveBytes: chart.bytes, ...overrides };
}

async function expectRejection(o: VerifyProvenanceOptions, message: string | RegExp): Promise<void> {
  const attempt = verifyProvenance(o);
  await expect(attempt).rejects.toBeInstanceOf(ProvenanceError);
  await expect(attempt).rejects.toThrow(message);
}

describe('verifyProvenance', () => {
  it('reports what helm verify prints, with a binary keyring as Helm takes it', async () => {
    const keyring = readFileSync(await gpg.exportPublicKeyring([key]));
    const result = await verifyProvenance(options({ publicKeys: keyring }));
    expect(result).toMatchObject({
      signedBy: [key.uid],
      fingerprint: key.fingerprint,
      signingKeyId: key.keyId,
      fileName: chart.fileName,
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.signedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('rejects text that holds no clear-signed block', async () => {
    await expectRejection(options({ provenance: 'apiVersion: v2\n' }), /^signature block not found$/);
  });

  it("rejects a cleartext header Helm's decoder does not accept", async () => {
    await expectRejection(
      options({ provenance: prov.replace('Hash: SHA512\n', 'Hash: SHA512\nCharset: UTF-8\n') }),
      /^signature block not found$/,
    );
  });

  it("rejects an unreadable keyring with Helm's prefix", async () => {
    await expectRejection(options({ publicKeys: 'pubring.kbx' }), /^failed to load keyring: /);
  });

  it('rejects a signature of a key that has expired since, as go-crypto does', async () => {
    const later: Clock = { now: () => Date.now() + 3 * 24 * 3600 * 1000, sleep: async () => {} };
    await expectRejection(options({ clock: later }), /^openpgp: key expired \(/);
  });

  it('rejects a signature of a key that has been revoked since', async () => {
    const revocable = await gpg.generateKey({ name: 'Soon Revoked', email: 'soon@example.invalid', algorithm: 'ed25519' });
    const revocableSigner = await loadSigningKey({ key: await gpg.exportSecretKey(revocable), logger: new MemoryLogger() });
    const { provenance } = await createChartProvenance({
      signer: revocableSigner,
      metadata: chart.metadata,
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    await gpg.revoke(revocable);
    await expectRejection(options({ provenance, publicKeys: await gpg.exportPublicKey(revocable) }), /^openpgp: key revoked \(/);
  });

  it('rejects a signed message without the `...` separator', async () => {
    await expectRejection(
      options({ provenance: await signer.sign('files:\n  x.tgz: sha256:00\n') }),
      'message block must have at least two parts',
    );
  });

  it('rejects a signature whose body was edited', async () => {
    await expectRejection(
      options({ provenance: prov.replace('name: external-secrets-crd', 'name: external-secrets-crds') }),
      /hash tag doesn't match/,
    );
  });
});

describe('createChartProvenance verifies what was signed before returning it', () => {
  /** The real signer, with what it returns or signs altered: signatures that must not get out. */
  function altered(change: { message?: (m: string) => string; provenance?: (p: string) => string }): Signer {
    return { ...signer, sign: async (m) => (change.provenance ?? ((p) => p))(await signer.sign((change.message ?? ((x) => x))(m))) };
  }

  async function expectRefused(s: Signer, message: string | RegExp): Promise<void> {
    const attempt = createChartProvenance({
      signer: s,
      metadata: chart.metadata,
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    await expect(attempt).rejects.toBeInstanceOf(SigningError);
    await expect(attempt).rejects.toThrow(`the provenance just signed by ${key.fingerprint} does not verify (`);
    await expect(attempt).rejects.toThrow(message);
  }

  it('returns the verification helm verify would print', async () => {
    const { verification } = await createChartProvenance({
      signer,
      metadata: chart.metadata,
      archiveFileName: chart.fileName,
      archiveBytes: chart.bytes,
    });
    expect(verification).toMatchObject({ fingerprint: key.fingerprint, fileName: chart.fileName, sha256: sha256Hex(chart.bytes) });
  });

  it('refuses a .prov whose body changed after signing (the signature check)', async () => {
    await expectRefused(altered({ provenance: (p) => p.replace('name: external-secrets-crd', 'name: changed') }), /hash tag doesn't match/);
  });

  it("refuses a good signature over a message without the archive's digest under its name (the files entry check)", async () => {
    await expectRefused(
      altered({ message: (m) => m.replace(`  ${chart.fileName}: sha256:`, '  other.tgz: sha256:') }),
      `provenance does not contain a SHA for a file named "${chart.fileName}"`,
    );
  });

  it("refuses a good signature over other metadata than the chart's (the signed text check)", async () => {
    await expectRefused(
      altered({ message: (m) => m.replace('name: external-secrets-crd', 'name: changed') }),
      'the signed text read back differs from the message',
    );
  });
});
