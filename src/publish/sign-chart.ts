import { readFile, writeFile } from 'node:fs/promises';
import { createChartProvenance } from '../provenance/chart-provenance.js';
import type { Signer } from '../provenance/signing-key.js';
import type { PreparedChart } from './run.js';
import { sha256Hex } from '../shared/sha256.js';

/**
 * Signs a packaged chart: the .prov Helm would write for it, verified against the archive
 * before it is used (../shared/spec/helm-oci.md §2), written next to the .tgz.
 */
export async function signChart(chart: PreparedChart, signer: Signer): Promise<NonNullable<PreparedChart['provenance']>> {
  const archiveBytes = await readFile(chart.package.path);
  const { provenance } = await createChartProvenance({
    signer,
    metadata: chart.chart.metadata,
    archiveFileName: chart.package.fileName,
    archiveBytes,
  });
  const path = `${chart.package.path}.prov`;
  await writeFile(path, provenance, { mode: 0o644 });
  return { path, sha256: sha256Hex(provenance), text: provenance };
}
