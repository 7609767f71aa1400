import { ChartError } from '../shared/errors.js';
import { parseStrictVersion, parseVersion } from './go/version-constraints.js';
import { DEPENDENCY, LOCK, MAINTAINER, METADATA, type Dependency, type Lock, type Metadata } from './chart-fields.js';
import { sanitizeStruct, structJson, structYaml } from './field-table.js';
import { decodeStruct, HopError, zeroStruct, type DecodeReport, type DecodedStruct, type StructSchema } from './go/json-hop.js';
import { decodeYaml, yamlProblem, YamlSyntaxError, type YamlNode } from './go/yaml-decode.js';
import { marshalYaml, type GoValue } from './go/yaml-emit.js';

/**
 * Chart.yaml and Chart.lock as Helm models them (pkg/chart/v2/metadata.go, dependency.go;
 * ../shared/spec/helm-oci.md §1.6, §1.10, §3.2, §4.1): the same fields, the same coercions,
 * the same validation messages, and the same serialisations (YAML for the archive and the
 * .prov, JSON for the OCI config blob). The fields themselves are declared once, in
 * chart-fields.ts.
 */

export type { Dependency, Lock, Maintainer, Metadata } from './chart-fields.js';

/** Where each Chart.yaml key was written, for errors and annotations on the right line. */
export interface MetadataSource {
  /** Workspace-relative path of the Chart.yaml. */
  file: string;
  keyLines: Map<string, number>;
  /** YAML kind of each value as written: a `version` written as a YAML number is a mistake. */
  valueKinds: Map<string, YamlNode['kind']>;
  unknownKeys: Array<{ key: string; line: number }>;
}

export interface ParsedChartYaml {
  metadata: Metadata;
  source: MetadataSource;
}

/** Parses Chart.yaml as Helm does. Errors name the file and line. */
export function parseChartYaml(text: string | Uint8Array, file: string): ParsedChartYaml {
  const report: DecodeReport = { unknownKeys: [], keyPositions: new Map(), valueKinds: new Map() };
  const metadata = decodeWith(text, file, METADATA.schema, zeroStruct(METADATA.schema), report) as unknown as Metadata;
  // Helm 2 charts had no apiVersion; the loader reads them as v1.
  if (metadata.apiVersion === '') metadata.apiVersion = 'v1';
  return {
    metadata,
    source: {
      file,
      keyLines: new Map([...report.keyPositions].map(([k, p]) => [k, p.line])),
      valueKinds: report.valueKinds,
      unknownKeys: report.unknownKeys.map(({ key, pos }) => ({ key, line: pos.line })),
    },
  };
}

/**
 * requirements.yaml (apiVersion v1): Helm unmarshals it over the already loaded metadata,
 * so its `dependencies` (and any other Chart.yaml key it happens to contain) win.
 */
export function mergeRequirements(metadata: Metadata, text: string | Uint8Array, file: string): void {
  decodeWith(text, file, METADATA.schema, metadata as unknown as DecodedStruct);
}

export function parseLock(text: string | Uint8Array, file: string): Lock {
  return decodeWith(text, file, LOCK.schema, zeroStruct(LOCK.schema)) as unknown as Lock;
}

function decodeWith(
  text: string | Uint8Array,
  file: string,
  schema: StructSchema,
  target: DecodedStruct,
  report?: DecodeReport,
): DecodedStruct {
  let node: YamlNode | undefined;
  try {
    node = decodeYaml(text);
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new ChartError(`${file} ${yamlProblem(error)}: ${error.message}`, { file, line: error.line, column: error.column });
    }
    throw error;
  }
  try {
    return decodeStruct(node, schema, target, report);
  } catch (error) {
    if (error instanceof HopError) {
      throw new ChartError(`cannot load ${baseName(file)}: ${error.message}`, {
        file,
        line: error.pos.line,
        column: error.pos.column,
      });
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const ALIAS_FORMAT = /^[a-zA-Z0-9_-]+$/;

/**
 * Helm's Metadata.Validate: sanitises the free-text fields (mutating the metadata, as Helm
 * does, which changes what is written) and checks the rest, with Helm's messages.
 */
export function validateMetadata(md: Metadata, source: MetadataSource): void {
  sanitizeStruct(METADATA, md);

  const fail = (message: string, key?: string): never => {
    throw new ChartError(`validation: ${message}`, { file: source.file, line: key ? lineOf(source, key) : undefined });
  };
  if (md.apiVersion === '') fail('chart.metadata.apiVersion is required', 'apiVersion');
  if (md.name === '') fail('chart.metadata.name is required: add `name: <chart name>` to Chart.yaml', 'name');
  if (md.name === '.' || md.name === '..') fail(`chart.metadata.name "${md.name}" is not allowed`, 'name');
  if (md.name.includes('/')) fail(`chart.metadata.name "${md.name}" is invalid: it must not contain "/"`, 'name');
  if (md.version === '') fail('chart.metadata.version is required: add `version: <semver>` to Chart.yaml', 'version');
  if (!isLooseSemver(md.version)) {
    fail(`chart.metadata.version "${md.version}" is invalid: it must be a semantic version such as 1.2.3`, 'version');
  }
  if (!['', 'application', 'library'].includes(md.type)) {
    fail('chart.metadata.type must be application or library', 'type');
  }
  for (const m of md.maintainers ?? []) {
    if (m === null) fail('maintainers must not contain empty or null nodes', 'maintainers');
    else sanitizeStruct(MAINTAINER, m);
  }
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d === null) {
      fail('dependencies must not contain empty or null nodes', 'dependencies');
      continue;
    }
    sanitizeStruct(DEPENDENCY, d);
    if (d.alias !== '' && !ALIAS_FORMAT.test(d.alias)) {
      fail(`dependency "${d.name}" has disallowed characters in the alias`, 'dependencies');
    }
    const key = d.alias !== '' ? d.alias : d.name;
    if (seen.has(key)) fail(`more than one dependency with name or alias "${key}"`, 'dependencies');
    seen.add(key);
  }
}

/** Masterminds/semver NewVersion (loose, coercing): what Helm accepts as a chart version (§1.6.3). */
export function isLooseSemver(v: string): boolean {
  return parseVersion(v) !== undefined;
}

/** Masterminds/semver StrictNewVersion: SemVer 2 exactly, the only tags `helm pull` can find (§3.6). */
export function isStrictSemver(v: string): boolean {
  return parseStrictVersion(v) !== undefined;
}

/** One path component of an OCI repository name (distribution-spec; helm-oci.md §3.5). */
const OCI_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*$/;

/** The OCI tag Helm pushes a version under (§3.5): `+` becomes `_`. */
export function ociTag(version: string): string {
  return version.replaceAll('+', '_');
}

/**
 * What publishing additionally requires (HIP-6, ../shared/spec/helm-oci.md §4.2 DECIDE, §5):
 * checks Helm only trips over at push time, or never, but which make a chart unpublishable or
 * unfindable. Returns the problems found, each pointing at its Chart.yaml line.
 */
export function publishingProblems(md: Metadata, source: MetadataSource): ChartError[] {
  const problems: ChartError[] = [];
  const at = (key: string) => ({ file: source.file, line: lineOf(source, key) });
  if (ociTag(md.version).length > 128) {
    problems.push(new ChartError(`version "${md.version}" is longer than the 128 characters an OCI tag allows`, at('version')));
  }
  if (!OCI_PATH_COMPONENT.test(md.name)) {
    problems.push(
      new ChartError(
        `chart name "${md.name}" cannot be an OCI repository name: use lowercase letters and digits, ` +
          'separated by single ".", "_", "__" or runs of "-" (e.g. "my-chart")',
        at('name'),
      ),
    );
  }
  if (md.apiVersion !== 'v1' && md.apiVersion !== 'v2') {
    problems.push(
      new ChartError(`apiVersion "${md.apiVersion}" is not supported: Helm packages only apiVersion v1 and v2 charts`, at('apiVersion')),
    );
  }
  return problems;
}

/**
 * What `helm lint` refuses in Chart.yaml but `helm package` and `helm push` accept (helm-oci.md
 * §1.10, §4.2): a version or appVersion written as a YAML number or boolean, which Helm turns into
 * text (`1.10` becomes "1.1", `1.0` "1", `on` "true"), and a chart `type` in an apiVersion v1 chart.
 * The chart is published as Helm would publish it; the caller warns on the line (and refuses a
 * typed `version` under `strict-versions`). `version` says the problem is the version's.
 */
export function lintOnlyProblems(md: Metadata, source: MetadataSource): Array<{ problem: ChartError; version: boolean }> {
  const found: Array<{ problem: ChartError; version: boolean }> = [];
  const at = (key: string) => ({ file: source.file, line: lineOf(source, key) });
  const versionKind = source.valueKinds.get('version');
  if (versionKind === 'int' || versionKind === 'float') {
    const message =
      `version is written as a YAML number, which Helm reads and publishes as "${md.version}"` +
      `${versionKind === 'float' ? ' (a float such as 1.10 reads as 1.1)' : ''}; ` +
      `quote it, e.g. version: "${md.version}" (helm lint refuses it; helm package accepts it)`;
    found.push({ problem: new ChartError(message, at('version')), version: true });
  }
  const appVersionKind = source.valueKinds.get('appVersion');
  if (appVersionKind === 'int' || appVersionKind === 'float' || appVersionKind === 'bool') {
    const message =
      `appVersion is written as a YAML ${appVersionKind === 'bool' ? 'boolean' : 'number'}, which Helm reads and publishes as ` +
      `"${md.appVersion}"; quote it, e.g. appVersion: "${md.appVersion}" (helm lint refuses it; helm package accepts it)`;
    found.push({ problem: new ChartError(message, at('appVersion')), version: false });
  }
  if (md.type !== '' && md.apiVersion !== 'v2') {
    const message = `chart type is not valid in apiVersion '${md.apiVersion}'. It is valid in apiVersion 'v2' (helm lint refuses it; helm package accepts it)`;
    found.push({ problem: new ChartError(message, at('type')), version: false });
  }
  return found;
}

/**
 * A version Helm packages and pushes but that is not strict SemVer 2 (`v1.2.3`, `1.2`, `01.2.3`):
 * the tag is the version as written, which an exact `--version` finds, while range and "latest"
 * resolution list only strict SemVer tags (../shared/spec/helm-oci.md §3.6, §6 rows 2 and 3).
 * Returned as a problem for the caller to warn about, or refuse under `strict-versions`;
 * undefined for a strict version, and for one validation refuses anyway.
 */
export function nonStrictVersionProblem(md: Metadata, source: MetadataSource, from?: string): ChartError | undefined {
  if (isStrictSemver(md.version) || !isLooseSemver(md.version)) return undefined;
  const version = md.version;
  return new ChartError(
    `version "${version}"${from ? ` (from ${from})` : ''} is not strict SemVer 2 (MAJOR.MINOR.PATCH, no "v" prefix, no leading zeros). ` +
      `It is published as tag ${ociTag(version)}, and an exact \`--version ${version}\` finds it; but version ranges ` +
      '(`--version "^1.0.0"`), dependency constraints in other charts and "latest" (no --version) never select it, ' +
      "and Helm 4's `helm lint` warns about it",
    { file: source.file, line: lineOf(source, 'version') },
  );
}

function lineOf(source: MetadataSource, key: string): number | undefined {
  return source.keyLines.get(key);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

// ---------------------------------------------------------------------------------------------
// Serialisation

/**
 * Chart.yaml as Helm writes it into the archive (yaml.Marshal of the metadata). For apiVersion
 * v1 the dependencies live in requirements.yaml and are left out.
 */
export function marshalChartYaml(md: Metadata): string {
  return marshalYaml(metadataValue(md, md.apiVersion === 'v1'));
}

/** The metadata as Helm marshals it for the .prov body: dependencies included even for v1. */
export function marshalMetadataYaml(md: Metadata): string {
  return marshalYaml(metadataValue(md, false));
}

export function marshalLock(lock: Lock): string {
  return marshalYaml(structYaml(LOCK, lock));
}

function metadataValue(md: Metadata, omitDependencies: boolean): GoValue {
  const out = structYaml(METADATA, md);
  if (omitDependencies) out.delete('dependencies');
  return out;
}

/**
 * encoding/json of the metadata (Go struct field order, omitempty, Go's escaping): Helm's OCI
 * config blob (../shared/spec/helm-oci.md §3.2).
 */
export function metadataJson(md: Metadata): string {
  return structJson(METADATA, md);
}

/**
 * encoding/json of chart.Dependency (field order and omitempty from its struct tags): part of
 * the config blob, and what Helm's Chart.lock digest is computed over.
 */
export function dependencyJson(d: Dependency | null): string {
  return d === null ? 'null' : structJson(DEPENDENCY, d);
}
