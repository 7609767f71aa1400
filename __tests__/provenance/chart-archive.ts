import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { mergeRequirements, parseChartYaml, validateMetadata, type Metadata } from '../../src/chart/metadata.js';

/** A packaged chart as the signer sees it: the archive bytes and the metadata inside it. */
export interface ChartArchive {
  path: string;
  fileName: string;
  bytes: Buffer;
  metadata: Metadata;
}

/**
 * Reads `<chart>/Chart.yaml` (and `<chart>/requirements.yaml` for apiVersion v1) out of a real
 * .tgz with tar, as Helm re-loads the archive it signs (as Helm's pkg/provenance does).
 */
export function readChartArchive(path: string): ChartArchive {
  const entries = execFileSync('tar', ['tzf', path], { encoding: 'utf8' }).split('\n');
  const chartYaml = entries.find((e) => /^[^/]+\/Chart\.yaml$/.test(e));
  if (!chartYaml) throw new Error(`${path} has no <chart>/Chart.yaml`);
  const extract = (entry: string) => execFileSync('tar', ['xzOf', path, entry]).toString('utf8');
  const { metadata, source } = parseChartYaml(extract(chartYaml), chartYaml);
  const requirements = chartYaml.replace(/Chart\.yaml$/, 'requirements.yaml');
  if (metadata.apiVersion === 'v1' && entries.includes(requirements)) {
    mergeRequirements(metadata, extract(requirements), requirements);
  }
  validateMetadata(metadata, source);
  return { path, fileName: basename(path), bytes: readFileSync(path), metadata };
}
