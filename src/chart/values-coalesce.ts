import { ChartError } from '../shared/errors.js';
import { readChartFile, type LoadedChart } from './chart-loader.js';
import { decodeYaml, YamlSyntaxError, type YamlNode } from './go/yaml-decode.js';

/**
 * A chart's default values as `helm install` sees them before it validates them against
 * values.schema.json (Helm's chartutil CoalesceValues / ToRenderValues, ProcessDependencies):
 * each subchart gets the parent's values under its name or alias, filled with its own
 * values.yaml, and the parent's `global` copied down. Every value remembers the file and line
 * it came from, so that a schema error can point at the line to fix.
 *
 * Not modelled: `import-values` (Helm copies child values into the parent before validation),
 * and user-supplied values (`-f`, `--set`): the gate checks the defaults a plain install uses.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type ValueMap = { [key: string]: Value };

export interface Origin {
  /** Workspace-relative file (values.yaml), or the chart location for a created map. */
  file: string;
  line?: number;
}

/** One chart of the tree as Helm renders it: disabled subcharts are gone, aliases applied. */
export interface ChartInstance {
  chart: LoadedChart;
  /** The name its values live under in the parent: the alias when there is one. */
  name: string;
  /** JSON pointer of its values in the top chart's values ("" for the top chart). */
  pointer: string;
  /** Dotted path of its values (Helm's condition prefix), "" for the top chart. */
  path: string;
  dependencies: ChartInstance[];
  /** Subcharts left out by a condition or tags, for the report. */
  disabled: string[];
}

export interface CoalescedValues {
  values: ValueMap;
  /** Where each value (by JSON pointer from the top) came from. */
  origins: Map<string, Origin>;
  root: ChartInstance;
}

export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isMap(v: Value | undefined): v is ValueMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Location of a values.yaml file in messages. */
function valuesFile(chart: LoadedChart): string {
  if (chart.location.includes(':') || chart.location.endsWith('.tgz')) return `${chart.location}:values.yaml`;
  return chart.location === '.' ? 'values.yaml' : `${chart.location}/values.yaml`;
}

/** Each chart's values.yaml, decoded once for all the coalescing passes over it. */
type DecodedValues = Map<LoadedChart, YamlNode | undefined>;

/** A chart's values.yaml as Helm reads it (sigs.k8s.io/yaml: go-yaml v2, then JSON). */
async function readDefaults(chart: LoadedChart, pointer: string, origins: Map<string, Origin>, decoded: DecodedValues): Promise<ValueMap> {
  if (!chart.values) return {};
  const file = valuesFile(chart);
  if (!decoded.has(chart)) {
    try {
      decoded.set(chart, decodeYaml((await readChartFile(chart.values)).toString('utf8')));
    } catch (error) {
      if (error instanceof YamlSyntaxError) {
        throw new ChartError(`cannot read values.yaml: ${error.message}`, { file, line: error.line, column: error.column });
      }
      throw error;
    }
  }
  const node = decoded.get(chart);
  if (!node || node.kind === 'null') return {};
  const value = toValue(node, file, pointer, origins);
  return isMap(value) ? value : {};
}

function toValue(node: YamlNode, file: string, pointer: string, origins: Map<string, Origin>, keyLine?: number): Value {
  // A map entry is pointed at by its key's line: a nested map or list starts on the next one.
  origins.set(pointer, { file, line: keyLine ?? node.pos.line });
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'float':
    case 'string':
      return node.value;
    case 'int':
      return Number(node.value);
    case 'seq':
      return node.items.map((item, i) => toValue(item, file, `${pointer}/${i}`, origins));
    case 'map': {
      const out: ValueMap = {};
      for (const { key, value } of node.entries) {
        // sigs.k8s.io/yaml turns every key into a JSON object key (a string).
        const name = key.kind === 'null' ? 'null' : 'value' in key ? String(key.value) : '';
        out[name] = toValue(value, file, `${pointer}/${escapePointer(name)}`, origins, key.pos.line);
      }
      return out;
    }
  }
}

/** Copies the origins of a subtree from one pointer to another. */
function copyOrigins(value: Value, from: string, to: string, source: Map<string, Origin>, target: Map<string, Origin>): void {
  const origin = source.get(from);
  if (origin) target.set(to, origin);
  if (Array.isArray(value)) value.forEach((v, i) => copyOrigins(v, `${from}/${i}`, `${to}/${i}`, source, target));
  else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) copyOrigins(v, `${from}/${escapePointer(k)}`, `${to}/${escapePointer(k)}`, source, target);
  }
}

function clone(value: Value): Value {
  return structuredClone(value);
}

/**
 * coalesceTablesFullKey: keys of `src` missing in `dst` are copied; maps are merged with
 * `dst` winning; a null in `dst` removes the key (coalescing, not merging).
 */
function coalesceTables(
  dst: ValueMap,
  src: ValueMap,
  pointer: string,
  srcPointer: string,
  srcOrigins: Map<string, Origin>,
  origins: Map<string, Origin>,
  deleteNulls: boolean,
): void {
  for (const [key, value] of Object.entries(src)) {
    const at = `${pointer}/${escapePointer(key)}`;
    const from = `${srcPointer}/${escapePointer(key)}`;
    if (!(key in dst)) {
      dst[key] = clone(value);
      copyOrigins(value, from, at, srcOrigins, origins);
      continue;
    }
    const mine = dst[key];
    if (mine === null && deleteNulls) delete dst[key];
    else if (isMap(mine) && isMap(value)) coalesceTables(mine, value, at, from, srcOrigins, origins, deleteNulls);
  }
}

/** coalesceGlobals: the parent's `global` is copied into the subchart's, the parent winning. */
function coalesceGlobals(dest: ValueMap, src: ValueMap, destPointer: string, srcPointer: string, origins: Map<string, Origin>): void {
  const sg = src.global;
  if (!isMap(sg)) return;
  let dg = dest.global;
  if (!isMap(dg)) {
    dg = {};
    dest.global = dg;
    const origin = origins.get(`${srcPointer}/global`);
    if (origin) origins.set(`${destPointer}/global`, origin);
  }
  for (const [key, value] of Object.entries(sg)) {
    const from = `${srcPointer}/global/${escapePointer(key)}`;
    const at = `${destPointer}/global/${escapePointer(key)}`;
    const existing = dg[key];
    if (isMap(value)) {
      const copy = clone(value) as ValueMap;
      if (existing === undefined) {
        dg[key] = copy;
        copyOrigins(value, from, at, origins, origins);
      } else if (isMap(existing)) {
        const scratch = new Map<string, Origin>();
        copyOrigins(existing, at, at, origins, scratch);
        copyOrigins(value, from, at, origins, origins);
        coalesceTables(copy, existing, at, at, scratch, origins, false);
        dg[key] = copy;
      }
    } else if (!isMap(existing)) {
      dg[key] = clone(value);
      copyOrigins(value, from, at, origins, origins);
    }
  }
}

/**
 * Coalesces the chart's defaults into `values` (the values given to it by its parent), then
 * its subcharts', recursively (Helm's coalesce → coalesceValues → coalesceDeps).
 */
async function coalesce(instance: ChartInstance, values: ValueMap, origins: Map<string, Origin>, decoded: DecodedValues): Promise<void> {
  const defaultsOrigins = new Map<string, Origin>();
  const defaults = await readDefaults(instance.chart, instance.pointer, defaultsOrigins, decoded);
  coalesceTables(values, defaults, instance.pointer, instance.pointer, defaultsOrigins, origins, true);
  for (const dep of instance.dependencies) {
    let sub = values[dep.name];
    if (sub === undefined || sub === null) {
      sub = {};
      values[dep.name] = sub;
      origins.set(dep.pointer, { file: valuesFile(dep.chart) });
    }
    if (!isMap(sub)) continue;
    coalesceGlobals(sub, values, dep.pointer, instance.pointer, origins);
    await coalesce(dep, sub, origins, decoded);
  }
}

/** The subchart tree with aliases applied (Helm's getAliasDependency); no conditions yet. */
function instances(
  chart: LoadedChart,
  pointer: string,
  path: string,
  enabled: (dep: ChartInstance, condition: Condition) => boolean,
): ChartInstance {
  const root: ChartInstance = { chart, name: chart.metadata.name, pointer, path, dependencies: [], disabled: [] };
  const declared = (chart.metadata.dependencies ?? []).filter((d) => d !== null);
  const used = new Set<LoadedChart>();
  const add = (sub: LoadedChart, name: string, condition: Condition) => {
    const dep = instances(sub, `${pointer}/${escapePointer(name)}`, `${path}${name}.`, enabled);
    dep.name = name;
    if (enabled(dep, condition)) root.dependencies.push(dep);
    else root.disabled.push(name);
  };
  for (const d of declared) {
    const sub = chart.dependencies.find((c) => c.metadata.name === d.name);
    if (!sub) continue;
    used.add(sub);
    add(sub, d.alias || d.name, { condition: d.condition, tags: d.tags ?? [] });
  }
  // A chart in charts/ that Chart.yaml does not declare is always rendered, under its own name.
  for (const sub of chart.dependencies) if (!used.has(sub)) add(sub, sub.metadata.name, { condition: '', tags: [] });
  return root;
}

interface Condition {
  condition: string;
  tags: string[];
}

/** Helm's processDependencyEnabled: tags first, then the first condition path that is a boolean. */
function isEnabled(values: ValueMap, parentPath: string, condition: Condition): boolean {
  let enabled = true;
  const tags = values.tags;
  if (condition.tags.length > 0 && isMap(tags)) {
    const set = condition.tags.map((t) => tags[t]).filter((t): t is boolean => typeof t === 'boolean');
    if (set.length > 0) enabled = set.some((t) => t);
  }
  for (const c of condition.condition.split(',').map((s) => s.trim())) {
    if (c === '') continue;
    const found = pathValue(values, `${parentPath}${c}`);
    if (typeof found === 'boolean') return found;
  }
  return enabled;
}

function pathValue(values: ValueMap, path: string): Value | undefined {
  let current: Value | undefined = values;
  for (const part of path.split('.')) {
    if (!isMap(current)) return undefined;
    current = current[part];
  }
  return current;
}

/**
 * The chart's default values as Helm validates them: subcharts disabled by their condition or
 * tags (evaluated on the fully coalesced values, as Helm does) are left out.
 */
export async function coalescedDefaults(chart: LoadedChart): Promise<CoalescedValues> {
  const everything = instances(chart, '', '', () => true);
  const decoded: DecodedValues = new Map();
  const probe: ValueMap = {};
  await coalesce(everything, probe, new Map(), decoded);
  const parentPath = (dep: ChartInstance) => dep.path.slice(0, dep.path.length - dep.name.length - 1);
  const root = instances(chart, '', '', (dep, condition) => isEnabled(probe, parentPath(dep), condition));
  const values: ValueMap = {};
  const origins = new Map<string, Origin>();
  await coalesce(root, values, origins, decoded);
  return { values, origins, root };
}

/** The origin of the value at `pointer`, or of its nearest ancestor that has one. */
export function originOf(origins: Map<string, Origin>, pointer: string): Origin | undefined {
  let at = pointer;
  for (;;) {
    const origin = origins.get(at);
    if (origin) return origin;
    if (at === '') return undefined;
    at = at.slice(0, at.lastIndexOf('/'));
  }
}
