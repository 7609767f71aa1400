import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConstraint } from '../../src/chart/go/version-constraints.js';
import type { ExistingPackage } from '../../src/migrate/existing-packages.js';
import { planMigration, type PlanOptions } from '../../src/migrate/migration-plan.js';
import { standInArchive } from '../support/chart-repo.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { tempDir } from '../support/temp-workspace.js';

/** The plan over in-memory packages: what is refused before anything is pushed, and why. */

function listed(name: string, version: string, archive: Buffer | undefined, extra: Partial<ExistingPackage> = {}): ExistingPackage {
  let downloads = 0;
  return {
    name,
    version,
    deprecated: false,
    location: `https://charts.example.com/${name}-${version}.tgz`,
    downloadUrl: `https://charts.example.com/${name}-${version}.tgz`,
    archive: () => {
      downloads++;
      if (!archive) return Promise.reject(new Error(`${name} ${version} must not be downloaded (download ${downloads})`));
      return Promise.resolve(archive);
    },
    provenance: () => Promise.resolve(undefined),
    ...extra,
  };
}

function options(extra: Partial<PlanOptions> = {}): PlanOptions {
  return {
    target: { registry: 'registry.example.com', namespace: 'charts' },
    downloadDir: tempDir('ocp-plan-'),
    concurrency: 2,
    charts: [],
    versions: undefined,
    logger: new MemoryLogger(),
    ...extra,
  };
}

const reasons = (planned: Awaited<ReturnType<typeof planMigration>>) =>
  planned.map((p) => [`${p.outcome.name} ${p.outcome.version}`, p.prepared ? 'ready' : p.outcome.reason]);

describe('planMigration', () => {
  it('refuses versions and names OCI cannot carry before downloading them', async () => {
    const long = `1.0.0-${'a'.repeat(130)}`;
    const planned = await planMigration(
      [
        listed('web', long, undefined),
        listed('Web', '1.0.0', undefined),
        listed('web', 'latest', undefined),
        listed('web', '1.0.0', await standInArchive('web', '1.0.0')),
      ],
      options(),
    );
    expect(reasons(planned)).toEqual([
      [`web ${long}`, expect.stringMatching(/cannot become an OCI tag/)],
      ['Web 1.0.0', expect.stringMatching(/chart name "Web" cannot be an OCI repository name/)],
      ['web latest', expect.stringMatching(/version "latest" is not SemVer: Helm itself skips this entry/)],
      ['web 1.0.0', 'ready'],
    ]);
  });

  it("checks the index digest and the archive's own Chart.yaml against the listing", async () => {
    const archive = await standInArchive('api', '2.0.0');
    const digest = createHash('sha256').update(archive).digest('hex');
    const planned = await planMigration(
      [
        listed('api', '2.0.0', archive, { expectedDigest: digest }),
        listed('api', '2.0.1', archive),
        listed('api', '3.0.0', Buffer.from('<html>not found</html>')),
        listed('api', '2.0.0', archive, { location: 'https://mirror.example.com/api-2.0.0.tgz' }),
      ],
      options(),
    );
    expect(reasons(planned)).toEqual([
      ['api 2.0.0', 'ready'],
      ['api 2.0.1', "index.yaml lists api 2.0.1, but the archive's Chart.yaml is api 2.0.0"],
      ['api 3.0.0', expect.stringMatching(/not a gzipped chart archive/)],
      ['api 2.0.0', 'api 2.0.0 is also at https://charts.example.com/api-2.0.0.tgz: only the first is migrated'],
    ]);
    expect(planned[0]?.prepared?.package.sha256).toBe(digest);
  });

  it('a .prov that fails to download, or is not text, stops that version', async () => {
    const archive = await standInArchive('signed', '1.0.0');
    const planned = await planMigration(
      [
        listed('signed', '1.0.0', archive, {
          provenance: () => Promise.reject(new Error('HTTP 403 Forbidden')),
        }),
        listed('signed', '1.0.0', archive, { provenance: () => Promise.resolve(Buffer.from([0xff, 0xfe, 0x00])) }),
      ],
      options(),
    );
    expect(reasons(planned)).toEqual([
      ['signed 1.0.0', 'cannot download its .prov: HTTP 403 Forbidden'],
      ['signed 1.0.0', 'its .prov is not UTF-8 text'],
    ]);
  });

  it('a .prov that does not sign this archive is pushed as it is, with a warning', async () => {
    const logger = new MemoryLogger();
    const archive = await standInArchive('signed', '1.0.0');
    const prov = Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\n...\nfiles:\n  signed-1.0.0.tgz: sha256:0000\n');
    const planned = await planMigration(
      [listed('signed', '1.0.0', archive, { provenance: () => Promise.resolve(prov) })],
      options({ logger }),
    );
    expect(reasons(planned)).toEqual([['signed 1.0.0', 'ready']]);
    expect(planned[0]?.prepared?.provenance?.text).toBe(prov.toString('utf8'));
    expect(logger.lines).toContain("warning: signed 1.0.0: its .prov does not name this archive's sha256, so `helm verify` will reject it");
  });

  it('migrate-charts and migrate-versions select before downloading; files are selected by their Chart.yaml', async () => {
    const logger = new MemoryLogger();
    const file = (name: string, version: string, archive: Buffer): ExistingPackage => ({
      ...listed('', '', archive),
      location: `dist/${name}-${version}.tgz`,
    });
    const planned = await planMigration(
      [
        listed('a', '1.0.0', undefined),
        listed('b', '1.0.0', undefined),
        listed('b', 'latest', undefined),
        listed('b', '2.1.0', await standInArchive('b', '2.1.0')),
        file('b', '0.1.0', await standInArchive('b', '0.1.0')),
        file('b', '3.0.0', await standInArchive('b', '3.0.0')),
      ],
      options({ charts: ['b'], versions: parseConstraint('>=2.0.0'), logger }),
    );
    expect(reasons(planned)).toEqual([
      ['b 2.1.0', 'ready'],
      ['b 3.0.0', 'ready'],
    ]);
    expect(logger.text()).toMatch(/\[3\/3\] b \S+: (\d+ bytes|not selected) \(\d+ bytes so far\)/);
  });

  it('a chart in migrate-charts that the source does not have is an input error, before any download', async () => {
    await expect(
      planMigration([listed('web', '1.0.0', undefined), listed('api', '1.0.0', undefined)], options({ charts: ['web', 'wbe'] })),
    ).rejects.toThrow('Input "migrate-charts": "wbe" is not among the charts to migrate (api, web)');
  });
});
