import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newestEntryTime, readChartArchive } from '../chart/archive-reader.js';
import { loadArchiveFiles } from '../chart/chart-loader.js';
import { isStrictSemver, ociTag } from '../chart/metadata.js';
import { parseVersion, type Constraint } from '../chart/go/version-constraints.js';
import { isValidRepository, isValidTag } from '../oci/reference.js';
import { chartReference, type RegistryNamespace } from '../publish/target.js';
import type { ChartOutcome } from '../publish/report.js';
import type { PreparedChart } from '../publish/run.js';
import { notStopped } from '../shared/deadline.js';
import { mapLimit } from '../shared/concurrency.js';
import { describeError, DomainError, InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { ExistingPackage } from './existing-packages.js';
import { sha256Hex } from '../shared/sha256.js';

/**
 * The plan of a migration: every selected package downloaded (or read), checked and turned into
 * a chart ready to push, before anything is pushed. A package that cannot be migrated (a
 * version no OCI tag can carry, a name no repository can have, a digest that does not match the
 * index, an archive Helm cannot load, a download that fails) is reported with the reason.
 */

export interface PlanOptions {
  target: RegistryNamespace;
  /** Where downloaded archives are kept until they are pushed. */
  downloadDir: string;
  concurrency: number;
  /** Chart names to migrate; all when empty. */
  charts: readonly string[];
  versions: Constraint | undefined;
  logger: Logger;
  /** The run's deadline: once it fires, no version is started (each says why), as in a publish. */
  signal?: AbortSignal | undefined;
}

export interface PlannedVersion {
  outcome: ChartOutcome;
  package: ExistingPackage;
  /** Ready to push; absent when the version cannot be migrated (the outcome says why). */
  prepared?: PreparedChart;
}

class NotMigratable extends DomainError {}

export async function planMigration(packages: readonly ExistingPackage[], options: PlanOptions): Promise<PlannedVersion[]> {
  const { logger } = options;
  // A name in migrate-charts that the source does not have is a mistake, said before downloading.
  if (packages.every((p) => p.name !== '')) unknownCharts(options.charts, new Set(packages.map((p) => p.name)));
  const selected = packages.filter((p) => p.name === '' || selects(options, p.name, p.version, logger));
  const total = selected.length;
  let done = 0;
  let bytes = 0;
  const excluded = new Set<PlannedVersion>();
  const planned = await mapLimit(selected, options.concurrency, async (pkg) => {
    const outcome: ChartOutcome = {
      name: pkg.name,
      version: pkg.version,
      path: pkg.location,
      reference: '',
      tag: '',
      status: 'failed',
      ...(pkg.deprecated ? { deprecated: true } : {}),
    };
    const result: PlannedVersion = { outcome, package: pkg };
    try {
      notStopped(options.signal);
      const prepared = await prepare(pkg, outcome, options);
      if (prepared) {
        result.prepared = prepared;
        bytes += prepared.package.size;
        outcome.status = 'skipped';
      } else excluded.add(result);
    } catch (error) {
      outcome.reason = error instanceof DomainError ? describeError(error) : `unexpected error: ${describeError(error)}`;
      logger.error(`${label(outcome)} cannot be migrated: ${outcome.reason}`);
    }
    done++;
    const size = result.prepared
      ? `${result.prepared.package.size} bytes${result.prepared.provenance ? ' and .prov' : ''}`
      : excluded.has(result)
        ? 'not selected'
        : 'cannot be migrated';
    logger.info(`[${done}/${total}] ${label(outcome)}: ${size} (${bytes} bytes so far)`);
    return result;
  });
  // Files are only known by their Chart.yaml: those outside migrate-charts/migrate-versions drop out now.
  const kept = planned.filter((p) => !excluded.has(p));
  unknownCharts(options.charts, new Set([...packages.map((p) => p.name), ...planned.map((p) => p.outcome.name)]));
  rejectDuplicates(kept, logger);
  logger.info(`Planned ${kept.filter((p) => p.prepared).length} of ${kept.length} version(s), ${bytes} bytes`);
  return kept;
}

function unknownCharts(charts: readonly string[], names: ReadonlySet<string>): void {
  const unknown = charts.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new InputError(
      'migrate-charts',
      `${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among the charts to migrate ` +
        `(${shortList([...names].filter(Boolean).sort())})`,
    );
  }
}

function shortList(names: string[]): string {
  if (names.length === 0) return 'none';
  return names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}

function selects(options: PlanOptions, name: string, version: string, logger: Logger): boolean {
  if (options.charts.length > 0 && !options.charts.includes(name)) return false;
  if (options.versions) {
    const parsed = parseVersion(version);
    if (!parsed || !options.versions.check(parsed)) {
      logger.debug(`${name} ${version} does not satisfy migrate-versions "${options.versions.text}"`);
      return false;
    }
  }
  return true;
}

async function prepare(pkg: ExistingPackage, outcome: ChartOutcome, options: PlanOptions): Promise<PreparedChart | undefined> {
  if (pkg.problem) throw new NotMigratable(pkg.problem);
  if (pkg.name) checkNameAndVersion(pkg.name, pkg.version);
  const archive = Buffer.from(await pkg.archive());
  const sha256 = sha256Hex(archive);
  outcome.chartDigest = `sha256:${sha256}`;
  outcome.size = archive.length;
  if (pkg.expectedDigest && pkg.expectedDigest !== sha256) {
    throw new NotMigratable(`the archive's sha256 is ${sha256}, but index.yaml says ${pkg.expectedDigest}: it was changed or corrupted`);
  }
  // The config blob is the metadata of the archive's own Chart.yaml, as `helm push` reads it (§3.2).
  const files = await readChartArchive(archive);
  const chart = await loadArchiveFiles(files, pkg.location, options.logger);
  const { name, version } = chart.metadata;
  if (pkg.name && (name !== pkg.name || version !== pkg.version)) {
    throw new NotMigratable(`index.yaml lists ${pkg.name} ${pkg.version}, but the archive's Chart.yaml is ${name} ${version}`);
  }
  outcome.name = name;
  outcome.version = version;
  if (!pkg.name) {
    if (!selects(options, name, version, options.logger)) return undefined;
    checkNameAndVersion(name, version);
  }
  if (!isStrictSemver(version)) {
    options.logger.warning(`${name} ${version}: not a strict SemVer 2 version; migrated as it is, but \`helm pull\` ranges cannot find it`);
  }
  const reference = chartReference(options.target, name, version);
  outcome.reference = reference.text;
  outcome.tag = reference.tag;

  const provenanceBytes = await pkg.provenance().catch((error: unknown) => {
    throw new NotMigratable(`cannot download its .prov: ${describeError(error)}`, { cause: error });
  });
  let provenance: PreparedChart['provenance'];
  if (provenanceBytes) {
    const text = Buffer.from(provenanceBytes).toString('utf8');
    // The engine carries the .prov as text; only UTF-8 survives the round trip byte for byte.
    if (!Buffer.from(text, 'utf8').equals(Buffer.from(provenanceBytes))) throw new NotMigratable('its .prov is not UTF-8 text');
    // Helm's .prov names the archive's sha256 in its `files:` map; pushed as it is, but said.
    if (!text.includes(`sha256:${sha256}`)) {
      options.logger.warning(`${name} ${version}: its .prov does not name this archive's sha256, so \`helm verify\` will reject it`);
    }
    const provSha = sha256Hex(provenanceBytes);
    provenance = { path: `${pkg.location}.prov`, sha256: provSha, text };
    outcome.provenanceDigest = `sha256:${provSha}`;
  }

  let path = pkg.file;
  if (!path) {
    // Kept on disk, not in memory: a repository may hold thousands of versions.
    await mkdir(join(options.downloadDir, name), { recursive: true });
    path = join(options.downloadDir, name, `${name}-${version}.tgz`);
    await writeFile(path, archive);
  }
  outcome.package = path;
  return {
    path: pkg.location,
    // Only the metadata is needed from here on; the files stay in the archive on disk, so that a
    // repository of thousands of versions is not held in memory until the pushes.
    chart: { ...chart, values: null, schema: null, templates: [], files: [], dependencies: [] },
    reference,
    package: { path, fileName: `${name}-${version}.tgz`, sha256, size: archive.length, entries: 0 },
    // When the archive was made, from its own entries, so that the same archive always gives the
    // same manifest, migrated from a repository or from a folder.
    epoch: newestEntryTime(files) ?? pkg.created ?? 0,
    ...(provenance ? { provenance } : {}),
  };
}

/** What OCI needs of a chart name and version (helm-oci.md §3.5); Helm's own index rules first. */
function checkNameAndVersion(name: string, version: string): void {
  if (name.includes('/') || !isValidRepository(name)) {
    throw new NotMigratable(
      `chart name "${name}" cannot be an OCI repository name: OCI allows lowercase letters and digits, ` +
        'separated by single ".", "_", "__" or runs of "-"',
    );
  }
  if (!parseVersion(version)) {
    throw new NotMigratable(`version "${version}" is not SemVer: Helm itself skips this entry of index.yaml`);
  }
  if (!isValidTag(ociTag(version))) {
    throw new NotMigratable(
      `version "${version}" cannot become an OCI tag ("${ociTag(version)}" is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`,
    );
  }
}

/** The same name and version listed twice would race for one tag: the later ones are reported. */
function rejectDuplicates(planned: PlannedVersion[], logger: Logger): void {
  const seen = new Map<string, PlannedVersion>();
  for (const item of planned) {
    const prepared = item.prepared;
    if (!prepared) continue;
    const first = seen.get(prepared.reference.text);
    if (!first) {
      seen.set(prepared.reference.text, item);
      continue;
    }
    delete item.prepared;
    item.outcome.status = 'failed';
    item.outcome.reason = `${item.outcome.name} ${item.outcome.version} is also at ${first.outcome.path}: only the first is migrated`;
    logger.error(`${label(item.outcome)} cannot be migrated: ${item.outcome.reason}`);
  }
}

export function label(outcome: ChartOutcome): string {
  return outcome.name ? `${outcome.name} ${outcome.version}` : outcome.path;
}
