import { ChartError } from '../shared/errors.js';
import { parseStrictVersion, parseVersion } from './version-constraints.js';
import { goJsonString } from './go-json.js';
import { sanitizeString } from './go-text.js';
import { BOOL, decodeStruct, HopError, STRING, zeroStruct, type DecodeReport, type DecodedStruct, type StructSchema } from './json-hop.js';
import { decodeYaml, YamlSyntaxError, type YamlNode } from './yaml-decode.js';
import { GoFloat, GoInt, marshalYaml, type GoValue } from './yaml-emit.js';
import { compareBytewise } from '../shared/byte-order.js';

/**
 * Chart.yaml and Chart.lock as Helm models them (pkg/chart/v2/metadata.go, dependency.go;
 * ../shared/spec/helm-oci.md §1.6, §1.10, §3.2, §4.1): the same fields, the same coercions,
 * the same validation messages, and the same serialisations (YAML for the archive and the
 * .prov, JSON for the OCI config blob).
 */

export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[] | null;
  enabled: boolean;
  'import-values': GoValue[] | null;
  alias: string;
}

export interface Metadata {
  name: string;
  home: string;
  sources: string[] | null;
  version: string;
  description: string;
  keywords: string[] | null;
  maintainers: Array<Maintainer | null> | null;
  icon: string;
  apiVersion: string;
  condition: string;
  tags: string;
  appVersion: string;
  deprecated: boolean;
  annotations: Map<string, string> | null;
  kubeVersion: string;
  dependencies: Array<Dependency | null> | null;
  type: string;
}

export interface Lock {
  /** RFC 3339 with nanoseconds, as Go's time.Time writes it. */
  generated: string;
  digest: string;
  dependencies: Array<Dependency | null> | null;
}

const MAINTAINER: StructSchema = {
  goName: 'Maintainer',
  fields: [
    ['name', STRING],
    ['email', STRING],
    ['url', STRING],
  ],
};

const DEPENDENCY: StructSchema = {
  goName: 'Dependency',
  fields: [
    ['name', STRING],
    ['version', STRING],
    ['repository', STRING],
    ['condition', STRING],
    ['tags', { kind: 'list', of: STRING }],
    ['enabled', BOOL],
    ['import-values', { kind: 'list', of: { kind: 'any' } }],
    ['alias', STRING],
  ],
};

const METADATA: StructSchema = {
  goName: 'Metadata',
  fields: [
    ['name', STRING],
    ['home', STRING],
    ['sources', { kind: 'list', of: STRING }],
    ['version', STRING],
    ['description', STRING],
    ['keywords', { kind: 'list', of: STRING }],
    ['maintainers', { kind: 'list', of: { kind: 'struct', schema: MAINTAINER } }],
    ['icon', STRING],
    ['apiVersion', STRING],
    ['condition', STRING],
    ['tags', STRING],
    ['appVersion', STRING],
    ['deprecated', BOOL],
    ['annotations', { kind: 'string-map' }],
    ['kubeVersion', STRING],
    ['dependencies', { kind: 'list', of: { kind: 'struct', schema: DEPENDENCY } }],
    ['type', STRING],
  ],
};

const LOCK: StructSchema = {
  goName: 'Lock',
  fields: [
    ['generated', { kind: 'time' }],
    ['digest', STRING],
    ['dependencies', { kind: 'list', of: { kind: 'struct', schema: DEPENDENCY } }],
  ],
};

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
  const metadata = decodeWith(text, file, METADATA, zeroStruct(METADATA), report) as unknown as Metadata;
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
  decodeWith(text, file, METADATA, metadata as unknown as DecodedStruct);
}

export function parseLock(text: string | Uint8Array, file: string): Lock {
  return decodeWith(text, file, LOCK, zeroStruct(LOCK)) as unknown as Lock;
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
      throw new ChartError(`${file} is not valid YAML: ${error.message}`, { file, line: error.line, column: error.column });
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
  md.name = sanitizeString(md.name);
  md.description = sanitizeString(md.description);
  md.home = sanitizeString(md.home);
  md.icon = sanitizeString(md.icon);
  md.condition = sanitizeString(md.condition);
  md.tags = sanitizeString(md.tags);
  md.appVersion = sanitizeString(md.appVersion);
  md.kubeVersion = sanitizeString(md.kubeVersion);
  if (md.sources) md.sources = md.sources.map(sanitizeString);
  if (md.keywords) md.keywords = md.keywords.map(sanitizeString);

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
    else {
      m.name = sanitizeString(m.name);
      m.email = sanitizeString(m.email);
      m.url = sanitizeString(m.url);
    }
  }
  const seen = new Set<string>();
  for (const d of md.dependencies ?? []) {
    if (d === null) {
      fail('dependencies must not contain empty or null nodes', 'dependencies');
      continue;
    }
    d.name = sanitizeString(d.name);
    d.version = sanitizeString(d.version);
    d.repository = sanitizeString(d.repository);
    d.condition = sanitizeString(d.condition);
    if (d.tags) d.tags = d.tags.map(sanitizeString);
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
  const versionKind = source.valueKinds.get('version');
  if (versionKind === 'int' || versionKind === 'float') {
    problems.push(
      new ChartError(
        `version is written as a YAML number, which Helm reads as "${md.version}"; quote it, e.g. version: "${md.version}"` +
          (versionKind === 'float' ? ' (a float such as 1.10 reads as 1.1)' : ''),
        at('version'),
      ),
    );
  } else if (ociTag(md.version).length > 128) {
    problems.push(new ChartError(`version "${md.version}" is longer than the 128 characters an OCI tag allows`, at('version')));
  }
  const appVersionKind = source.valueKinds.get('appVersion');
  if (appVersionKind === 'int' || appVersionKind === 'float' || appVersionKind === 'bool') {
    problems.push(
      new ChartError(
        `appVersion is written as a YAML ${appVersionKind === 'bool' ? 'boolean' : 'number'}, which Helm reads as "${md.appVersion}"; ` +
          `quote it, e.g. appVersion: "${md.appVersion}"`,
        at('appVersion'),
      ),
    );
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
  if (md.type !== '' && md.apiVersion !== 'v2') {
    problems.push(new ChartError(`chart type is not valid in apiVersion '${md.apiVersion}'. It is valid in apiVersion 'v2'`, at('type')));
  }
  return problems;
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
  return marshalYaml(
    new Map<string, GoValue>([
      ['generated', lock.generated],
      ['digest', lock.digest],
      ['dependencies', lock.dependencies === null ? null : lock.dependencies.map(dependencyValue)],
    ]),
  );
}

function metadataValue(md: Metadata, omitDependencies: boolean): GoValue {
  const out = new Map<string, GoValue>();
  const str = (key: string, v: string) => v !== '' && out.set(key, v);
  const list = (key: string, v: GoValue[] | null) => v && v.length > 0 && out.set(key, v);
  str('name', md.name);
  str('home', md.home);
  list('sources', md.sources);
  str('version', md.version);
  str('description', md.description);
  list('keywords', md.keywords);
  list('maintainers', md.maintainers?.map(maintainerValue) ?? null);
  str('icon', md.icon);
  str('apiVersion', md.apiVersion);
  str('condition', md.condition);
  str('tags', md.tags);
  str('appVersion', md.appVersion);
  if (md.deprecated) out.set('deprecated', true);
  if (md.annotations && md.annotations.size > 0) out.set('annotations', new Map(md.annotations));
  str('kubeVersion', md.kubeVersion);
  if (!omitDependencies) list('dependencies', md.dependencies?.map(dependencyValue) ?? null);
  str('type', md.type);
  return out;
}

function maintainerValue(m: Maintainer | null): GoValue {
  if (m === null) return null;
  const out = new Map<string, GoValue>();
  if (m.name) out.set('name', m.name);
  if (m.email) out.set('email', m.email);
  if (m.url) out.set('url', m.url);
  return out;
}

function dependencyValue(d: Dependency | null): GoValue {
  if (d === null) return null;
  const out = new Map<string, GoValue>();
  out.set('name', d.name);
  if (d.version) out.set('version', d.version);
  out.set('repository', d.repository);
  if (d.condition) out.set('condition', d.condition);
  if (d.tags && d.tags.length > 0) out.set('tags', d.tags);
  if (d.enabled) out.set('enabled', true);
  if (d['import-values'] && d['import-values'].length > 0) out.set('import-values', d['import-values']);
  if (d.alias) out.set('alias', d.alias);
  return out;
}

/**
 * encoding/json of the metadata (Go struct field order, omitempty, Go's escaping): Helm's OCI
 * config blob (../shared/spec/helm-oci.md §3.2).
 */
export function metadataJson(md: Metadata): string {
  const fields: string[] = [];
  const str = (key: string, v: string) => v !== '' && fields.push(`"${key}":${goJsonString(v)}`);
  const strList = (key: string, v: string[] | null) => v && v.length > 0 && fields.push(`"${key}":[${v.map(goJsonString).join(',')}]`);
  str('name', md.name);
  str('home', md.home);
  strList('sources', md.sources);
  str('version', md.version);
  str('description', md.description);
  strList('keywords', md.keywords);
  if (md.maintainers && md.maintainers.length > 0) {
    const items = md.maintainers.map((m) => {
      if (m === null) return 'null';
      const f: string[] = [];
      if (m.name) f.push(`"name":${goJsonString(m.name)}`);
      if (m.email) f.push(`"email":${goJsonString(m.email)}`);
      if (m.url) f.push(`"url":${goJsonString(m.url)}`);
      return `{${f.join(',')}}`;
    });
    fields.push(`"maintainers":[${items.join(',')}]`);
  }
  str('icon', md.icon);
  str('apiVersion', md.apiVersion);
  str('condition', md.condition);
  str('tags', md.tags);
  str('appVersion', md.appVersion);
  if (md.deprecated) fields.push('"deprecated":true');
  if (md.annotations && md.annotations.size > 0) {
    const keys = [...md.annotations.keys()].sort(compareBytewise);
    fields.push(`"annotations":{${keys.map((k) => `${goJsonString(k)}:${goJsonString(md.annotations?.get(k) ?? '')}`).join(',')}}`);
  }
  str('kubeVersion', md.kubeVersion);
  if (md.dependencies && md.dependencies.length > 0) {
    fields.push(`"dependencies":[${md.dependencies.map(dependencyJson).join(',')}]`);
  }
  str('type', md.type);
  return `{${fields.join(',')}}`;
}

/**
 * encoding/json of chart.Dependency (field order and omitempty from its struct tags): part of
 * the config blob, and what Helm's Chart.lock digest is computed over.
 */
export function dependencyJson(d: Dependency | null): string {
  if (d === null) return 'null';
  const f: string[] = [`"name":${goJsonString(d.name)}`];
  if (d.version) f.push(`"version":${goJsonString(d.version)}`);
  f.push(`"repository":${goJsonString(d.repository)}`);
  if (d.condition) f.push(`"condition":${goJsonString(d.condition)}`);
  if (d.tags && d.tags.length > 0) f.push(`"tags":[${d.tags.map(goJsonString).join(',')}]`);
  if (d.enabled) f.push('"enabled":true');
  if (d['import-values'] && d['import-values'].length > 0) {
    f.push(`"import-values":[${d['import-values'].map(anyJson).join(',')}]`);
  }
  if (d.alias) f.push(`"alias":${goJsonString(d.alias)}`);
  return `{${f.join(',')}}`;
}

/**
 * An `import-values` item as Helm holds it after the YAML→JSON hop: numbers are float64 (whose
 * shortest form JavaScript's Number#toString matches), maps have their keys sorted.
 */
function anyJson(v: GoValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonString(v);
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof GoFloat) return String(v.value);
  if (Array.isArray(v)) return `[${v.map(anyJson).join(',')}]`;
  const keys = [...v.keys()].sort(compareBytewise);
  return `{${keys.map((k) => `${goJsonString(k)}:${anyJson(v.get(k) as GoValue)}`).join(',')}}`;
}
