import { createHash } from 'node:crypto';
import { goJsonString } from '../chart/go-json.js';
import type { Dependency } from '../chart/metadata.js';
import { GoFloat, GoInt, type GoValue } from '../chart/yaml-emit.js';

/**
 * The `digest` of Chart.lock: Helm's `resolver.HashReq` (internal/resolver/resolver.go @H4), the
 * sha256 of encoding/json of `[Chart.yaml dependencies, lock dependencies]`, written
 * `sha256:<hex>`. `helm dependency build` refuses a lock whose digest differs from the one
 * computed from the chart as it is now ("Chart.lock is out of sync").
 */
export function lockDigest(requested: ReadonlyArray<Dependency | null> | null, locked: ReadonlyArray<Dependency | null> | null): string {
  return sha256(`[${dependencyListJson(requested)},${dependencyListJson(locked)}]`);
}

/**
 * The digest Helm 2 wrote into requirements.lock (`resolver.HashV2Req`, helm/helm#7233): the
 * sha256 of `{"dependencies": [...]}`. Helm 3 and 4 still accept it for apiVersion v1 charts.
 */
export function legacyLockDigest(requested: ReadonlyArray<Dependency | null> | null): string {
  return sha256(`{"dependencies":${dependencyListJson(requested)}}`);
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

function dependencyListJson(list: ReadonlyArray<Dependency | null> | null): string {
  return list === null ? 'null' : `[${list.map(dependencyJson).join(',')}]`;
}

/** encoding/json of chart.Dependency: field order and `omitempty` from its struct tags. */
function dependencyJson(d: Dependency | null): string {
  if (d === null) return 'null';
  const fields = [`"name":${goJsonString(d.name)}`];
  if (d.version) fields.push(`"version":${goJsonString(d.version)}`);
  fields.push(`"repository":${goJsonString(d.repository)}`);
  if (d.condition) fields.push(`"condition":${goJsonString(d.condition)}`);
  if (d.tags && d.tags.length > 0) fields.push(`"tags":[${d.tags.map(goJsonString).join(',')}]`);
  if (d.enabled) fields.push('"enabled":true');
  const imports = d['import-values'];
  if (imports && imports.length > 0) fields.push(`"import-values":[${imports.map(anyJson).join(',')}]`);
  if (d.alias) fields.push(`"alias":${goJsonString(d.alias)}`);
  return `{${fields.join(',')}}`;
}

/**
 * An `import-values` item as Helm holds it: sigs.k8s.io/yaml turns YAML into JSON first, so
 * numbers are float64 and maps are map[string]any (keys sorted when marshalled).
 */
function anyJson(v: GoValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonString(v);
  if (v instanceof GoInt) return goFloatJson(Number(v.value));
  if (v instanceof GoFloat) return goFloatJson(v.value);
  if (Array.isArray(v)) return `[${v.map(anyJson).join(',')}]`;
  const keys = [...v.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((k) => `${goJsonString(k)}:${anyJson(v.get(k) as GoValue)}`).join(',')}}`;
}

/**
 * encoding/json's float64: shortest representation, exponent form below 1e-6 and from 1e21
 * on, the same thresholds as JavaScript's Number#toString.
 */
function goFloatJson(f: number): string {
  return String(f);
}
