import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import type { RE2JS } from 're2js';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { hasValuesSchema, readChartFile, type LoadedChart } from './chart-loader.js';
import { jsonSyntaxErrorPosition } from '../shared/json-syntax.js';
import { coalescedDefaults, escapePointer, originOf, type ChartInstance, type Origin, type ValueMap } from './values-coalesce.js';

/**
 * The values.schema.json gate: what `helm install` (3.18.5 and later: santhosh-tekuri/jsonschema
 * v6, helm pkg/chart/common/util/jsonschema.go) does with a chart's schema, done before the chart
 * is published instead of at install time. For the chart and each enabled subchart with a schema:
 * it is JSON, it compiles under the draft it declares (2020-12 when it declares none), its `$id`s
 * are unique, no `$ref` leaves the file (Helm fetches http(s) and file references at install
 * time), and the chart's default values — coalesced as Helm coalesces them — validate.
 *
 * The validator is Ajv (ajv, ajv/dist/2019, ajv/dist/2020, ajv-draft-04), with ajv-formats. As in
 * Helm's engine, `format` is asserted for draft-07 and older only.
 */

export type RemoteRefs = 'error' | 'allow';

export interface SchemaFinding {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line?: number | undefined;
  column?: number | undefined;
}

export interface SchemaReport {
  findings: SchemaFinding[];
  /** One line per checked schema, for the summary. */
  notes: string[];
}

type Draft = '04' | '06' | '07' | '2019-09' | '2020-12';

const DRAFT_URIS: Record<string, Draft> = {
  // santhosh-tekuri v6 reads the unversioned URI as its latest draft (2020-12).
  'json-schema.org/schema': '2020-12',
  'json-schema.org/draft/2020-12/schema': '2020-12',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft-07/schema': '07',
  'json-schema.org/draft-06/schema': '06',
  'json-schema.org/draft-04/schema': '04',
};
const CANONICAL: Record<Draft, string> = {
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '07': 'http://json-schema.org/draft-07/schema#',
  '06': 'http://json-schema.org/draft-06/schema#',
  '04': 'http://json-schema.org/draft-04/schema#',
};
/** Helm compiles the schema as this resource; relative references resolve against it. */
const BASE_URI = 'file:///values.schema.json';
const MAX_ERRORS_PER_SCHEMA = 20;

/** Checks every schema of the chart (and its enabled subcharts) and the default values against them. */
export async function checkValuesSchemas(chart: LoadedChart, options: { remoteRefs: RemoteRefs }): Promise<SchemaReport> {
  const report: SchemaReport = { findings: [], notes: [] };
  if (!hasValuesSchema(chart)) return report;
  const coalesced = await coalescedDefaults(chart);
  await checkInstance(coalesced.root, coalesced.values, coalesced.origins, options, report);
  return report;
}

function schemaFile(chart: LoadedChart): string {
  if (chart.location.includes(':') || chart.location.endsWith('.tgz')) return `${chart.location}:values.schema.json`;
  return chart.location === '.' ? 'values.schema.json' : `${chart.location}/values.schema.json`;
}

async function checkInstance(
  instance: ChartInstance,
  values: ValueMap,
  origins: Map<string, Origin>,
  options: { remoteRefs: RemoteRefs },
  report: SchemaReport,
): Promise<void> {
  const label =
    instance.pointer === '' ? instance.chart.metadata.name : `${instance.chart.metadata.name} (as ${instance.path.slice(0, -1)})`;
  if (instance.chart.schema) {
    const file = schemaFile(instance.chart);
    const count = (severity: SchemaFinding['severity']) => report.findings.filter((f) => f.severity === severity).length;
    const before = count('error');
    const validate = await compileSchema(instance.chart, file, options, report);
    const warningsBefore = count('warning');
    if (validate) {
      let valid: boolean | undefined;
      try {
        valid = validate(values);
      } catch (error) {
        // The compiled function overflows the stack when V8 first compiles it, or on deep values.
        if (!(error instanceof RangeError)) throw error;
        report.findings.push({ severity: 'error', file, message: `is too large for this check to run (${error.message}); ${SKIP_ADVICE}` });
      }
      if (valid === false) {
        const found = (validate.errors ?? []).map((error) => valuesError(error, instance, values, file, origins));
        found.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
        report.findings.push(...found.slice(0, MAX_ERRORS_PER_SCHEMA));
      }
    }
    const errors = count('error') - before;
    const unset = count('warning') - warningsBefore;
    const disabled = instance.disabled.length ? ` (disabled: ${instance.disabled.join(', ')})` : '';
    report.notes.push(
      errors > 0
        ? `${file}: ${errors} problem(s) for ${label}`
        : unset > 0
          ? `${file}: default values of ${label} validate, but for values left empty for the install to set${disabled}`
          : `${file}: default values of ${label} validate${disabled}`,
    );
  }
  for (const dep of instance.dependencies) {
    const raw = values[dep.name];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      const origin = originOf(origins, dep.pointer);
      report.findings.push({
        severity: 'error',
        message: `values for subchart ${dep.name} must be a map, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
        file: origin?.file ?? schemaFile(dep.chart),
        ...(origin?.line ? { line: origin.line } : {}),
      });
      continue;
    }
    await checkInstance(dep, raw, origins, options, report);
  }
}

async function compileSchema(
  chart: LoadedChart,
  file: string,
  options: { remoteRefs: RemoteRefs },
  report: SchemaReport,
): Promise<ValidateFunction | undefined> {
  const text = (await readChartFile(chart.schema as NonNullable<LoadedChart['schema']>)).toString('utf8');
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    report.findings.push({
      severity: 'error',
      file,
      ...jsonSyntaxErrorPosition(text),
      message: `invalid JSON: ${(error as Error).message}`,
    });
    return undefined;
  }
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    report.findings.push({ severity: 'error', file, message: 'values.schema.json must hold a JSON object (or a boolean) schema' });
    return undefined;
  }
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  let draft: Draft = '2020-12';
  if (typeof declared === 'string') {
    const key = declared.replace(/#$/, '').replace(/^https?:\/\//, '');
    const known = DRAFT_URIS[key];
    if (known) draft = known;
    else {
      report.findings.push({
        severity: options.remoteRefs === 'allow' ? 'warning' : 'error',
        file,
        line: lineOfKey(text, '$schema'),
        message:
          `"$schema": "${declared}" is not a JSON Schema draft Helm knows: Helm downloads it as a custom meta-schema at install time, ` +
          'which fails without network access; declare a standard draft such as https://json-schema.org/draft/2020-12/schema' +
          (options.remoteRefs === 'allow' ? ' (schema-remote-refs: allow; checked here as 2020-12)' : ''),
      });
      if (options.remoteRefs !== 'allow') return undefined;
    }
  }

  const walk = walkSchema(schema, draft);
  if (walk.tooDeep !== undefined) {
    report.findings.push({
      severity: 'error',
      file,
      line: lineOfPointer(text, walk.tooDeep),
      message: `nests deeper than ${MAX_SCHEMA_DEPTH} levels (at #${walk.tooDeep.slice(0, 200)}…), more than a values schema needs and than this check compiles`,
    });
    return undefined;
  }
  if (walk.tooWide !== undefined || walk.subschemas > MAX_SUBSCHEMAS) {
    const wide = walk.tooWide;
    report.findings.push({
      severity: 'error',
      file,
      ...(wide ? { line: lineOfPointer(text, wide.pointer) } : {}),
      message: wide
        ? `lists ${wide.count} alternatives at #${wide.pointer.slice(0, 200)}, more than the ${MAX_ALTERNATIVES} this check compiles; ${SKIP_ADVICE}`
        : `holds ${walk.subschemas} subschemas, more than the ${MAX_SUBSCHEMAS} this check compiles; ${SKIP_ADVICE}`,
    });
    return undefined;
  }
  const before = report.findings.length;
  for (const [id, pointers] of walk.ids) {
    if (pointers.length < 2) continue;
    report.findings.push({
      severity: 'error',
      file,
      line: lineOfPointer(text, pointers[1] as string),
      message: `"$id" ${id} appears ${pointers.length} times (at ${pointers.map((p) => `#${p}`).join(', ')}); Helm's schema engine refuses a schema whose $ids repeat: give each a unique $id`,
    });
  }
  const external = new Set<string>();
  for (const ref of walk.refs) {
    const target = ref.resolved.split('#')[0] ?? '';
    if (walk.documents.has(target)) continue;
    const kind = target.startsWith('http:') || target.startsWith('https:') ? 'remote' : target.startsWith('urn:') ? 'urn' : 'file';
    if (kind === 'urn') {
      report.findings.push({
        severity: 'warning',
        file,
        line: lineOfPointer(text, ref.pointer),
        message: `"$ref": "${ref.ref}" is a URN that Helm cannot resolve; it validates nothing (Helm substitutes an always-true schema)`,
      });
    } else {
      const allow = options.remoteRefs === 'allow';
      report.findings.push({
        severity: allow ? 'warning' : 'error',
        file,
        line: lineOfPointer(text, ref.pointer),
        message:
          `"$ref": "${ref.ref}" points ${kind === 'remote' ? `to ${target}, which Helm downloads` : `to the file ${target}, which Helm reads from the installing machine`} ` +
          'at install time: installs without network access (or from another directory) fail. Inline the referenced schema under $defs' +
          (allow ? ' (schema-remote-refs: allow; not checked here)' : ', or set schema-remote-refs: allow'),
      });
    }
    external.add(target);
  }
  if (report.findings.slice(before).some((f) => f.severity === 'error')) return undefined;

  // Helm's engine matches `pattern` and `patternProperties` with Go's regexp (RE2): linear time,
  // RE2 syntax. JavaScript's backtracking RegExp would let a pattern such as ^(a+)+$ run for hours
  // on a value of forty characters, and would accept look-arounds Helm refuses.
  const ajv = newAjv(draft, walk.patterns ? linearRegExp((await import('re2js')).RE2JS) : undefined);
  // Allowed external documents validate anything here: their content is not ours to check.
  for (const target of external) ajv.addSchema({}, target);
  // Compiled as Helm compiles it: as the resource file:///values.schema.json, so that relative
  // references resolve as they do for Helm.
  const idKey = draft === '04' ? 'id' : '$id';
  const compilable = typeof schema === 'object' ? { [idKey]: BASE_URI, ...schema, $schema: CANONICAL[draft] } : schema;
  try {
    if (typeof compilable === 'object' && !ajv.validateSchema(compilable)) {
      const first = ajv.errors?.[0];
      report.findings.push({
        severity: 'error',
        file,
        line: first ? lineOfPointer(text, first.instancePath) : undefined,
        message: `does not compile as JSON Schema ${draft}: ${first ? `#${first.instancePath} ${first.message ?? 'is invalid'}` : 'invalid schema'}`,
      });
      return undefined;
    }
    return ajv.compile(compilable as object);
  } catch (error) {
    report.findings.push({
      severity: 'error',
      file,
      message:
        error instanceof RangeError
          ? `does not compile here: the compiler ran out of stack (${error.message}), on a $ref that leads back to itself ` +
            `(Helm refuses that too) or on a schema too large for this check; ${SKIP_ADVICE} if it is the latter`
          : `does not compile as JSON Schema ${draft}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

type AnyAjv = Ajv | Ajv2019 | Ajv2020;

function newAjv(draft: Draft, regExp?: RegExpEngine): AnyAjv {
  // strict: false: Helm's engine ignores unknown keywords and formats, and so must we.
  const options = {
    strict: false,
    allErrors: true,
    logger: false as const,
    validateFormats: draft !== '2019-09' && draft !== '2020-12',
    ...(regExp ? { code: { regExp } } : {}),
  };
  let ajv: AnyAjv;
  if (draft === '2020-12') ajv = new Ajv2020(options);
  else if (draft === '2019-09') ajv = new Ajv2019(options);
  else if (draft === '04') ajv = new (AjvDraft04 as unknown as typeof Ajv)(options);
  else {
    ajv = new Ajv(options);
    if (draft === '06') ajv.addMetaSchema(draft06MetaSchema);
  }
  (addFormats as unknown as (a: AnyAjv) => void)(ajv);
  return ajv;
}

/**
 * An RE2 engine for Ajv: compiled once per pattern, matched anywhere in the value as Go's
 * MatchString does. Ajv keeps compiled patterns by their toString(), which must name the pattern.
 */
function linearRegExp(re2: typeof RE2JS): RegExpEngine {
  const engine = (pattern: string) => {
    const compiled = re2.compile(pattern);
    return { test: (value: string) => compiled.test(value), toString: () => `re2:${pattern}` };
  };
  return Object.assign(engine, { code: 're2js' });
}

/** Deeper schemas are refused rather than compiled: Ajv compiles them recursively. */
const MAX_SCHEMA_DEPTH = 256;
/**
 * Larger schemas are refused rather than compiled. Ajv turns a schema into one JavaScript
 * function: 20,000 subschemas take it some 5 to 10 s, 60,000 properties 37 s and 3 GB before the
 * stack overflows, and every alternative of an anyOf or oneOf nests the generated code one level
 * deeper (2,000 overflow V8's parser when the function first runs).
 */
const MAX_SUBSCHEMAS = 20_000;
const MAX_ALTERNATIVES = 500;
/** The way out when this check cannot compile a schema that Helm can. */
const SKIP_ADVICE = 'set check-schema: false to publish without this check';

interface Walk {
  /** Any `pattern` or `patternProperties`: Ajv then needs the RE2 engine. */
  patterns: boolean;
  /** The pointer of the first node deeper than MAX_SCHEMA_DEPTH; nothing below it is walked. */
  tooDeep?: string;
  /** Schema objects walked. */
  subschemas: number;
  /** The first anyOf or oneOf with more than MAX_ALTERNATIVES subschemas. */
  tooWide?: { pointer: string; count: number };
  /** $id (resolved) → JSON pointers where it is declared. */
  ids: Map<string, string[]>;
  /** Resolved document URIs embedded in the schema (the base and every $id). */
  documents: Set<string>;
  refs: Array<{ ref: string; resolved: string; pointer: string }>;
}

/** Keywords whose value is a map of name → subschema (the names are not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies']);
/** Keywords whose value is data, not schema. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example', 'required']);

function walkSchema(schema: unknown, draft: Draft): Walk {
  const walk: Walk = { patterns: false, subschemas: 0, ids: new Map(), documents: new Set([BASE_URI]), refs: [] };
  const idKey = draft === '04' ? 'id' : '$id';
  const visit = (node: unknown, pointer: string, base: string, depth = 0): void => {
    if (walk.tooDeep !== undefined) return;
    if (depth > MAX_SCHEMA_DEPTH) {
      walk.tooDeep = pointer;
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, `${pointer}/${i}`, base, depth + 1));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    walk.subschemas++;
    const obj = node as Record<string, unknown>;
    for (const key of ['anyOf', 'oneOf']) {
      const alternatives = obj[key];
      if (!walk.tooWide && Array.isArray(alternatives) && alternatives.length > MAX_ALTERNATIVES)
        walk.tooWide = { pointer: `${pointer}/${key}`, count: alternatives.length };
    }
    if (typeof obj.pattern === 'string' || (typeof obj.patternProperties === 'object' && obj.patternProperties !== null))
      walk.patterns = true;
    let here = base;
    const id = obj[idKey];
    if (typeof id === 'string' && !id.startsWith('#')) {
      here = resolveUri(id, base);
      const doc = here.split('#')[0] ?? here;
      walk.documents.add(doc);
      walk.ids.set(doc, [...(walk.ids.get(doc) ?? []), pointer]);
    }
    for (const key of ['$ref', '$dynamicRef', '$recursiveRef']) {
      const ref = obj[key];
      if (typeof ref === 'string') walk.refs.push({ ref, resolved: resolveUri(ref, here), pointer: `${pointer}/${escapePointer(key)}` });
    }
    for (const [key, value] of Object.entries(obj)) {
      if (DATA_KEYWORDS.has(key)) continue;
      const at = `${pointer}/${escapePointer(key)}`;
      if (SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [name, sub] of Object.entries(value as Record<string, unknown>))
          visit(sub, `${at}/${escapePointer(name)}`, here, depth + 1);
      } else visit(value, at, here, depth + 1);
    }
  };
  visit(schema, '', BASE_URI);
  // Ids reached through references to the document itself are not external.
  return walk;
}

function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

/**
 * A value the default values leave null is one the installer is meant to set (`policy: ~` with a
 * schema that requires a string: the chart cannot install without `--set policy=…`, on purpose).
 * That is a warning; any other violation is an error.
 */
function valuesError(
  error: ErrorObject,
  instance: ChartInstance,
  values: unknown,
  schemaFileName: string,
  origins: Map<string, Origin>,
): SchemaFinding {
  let pointer = instance.pointer + error.instancePath;
  const params = error.params as { additionalProperty?: string; propertyName?: string };
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
    pointer += `/${escapePointer(params.additionalProperty)}`;
  }
  const origin = originOf(origins, pointer);
  const path = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).split('/').join('.');
  const extra = params.additionalProperty !== undefined ? ` "${params.additionalProperty}"` : '';
  const message = `${path}: ${error.message ?? 'is invalid'}${extra} (${schemaFileName}${error.schemaPath})`;
  const unset = error.keyword !== 'required' && valueAt(values, error.instancePath) === null;
  return {
    severity: unset ? 'warning' : 'error',
    message: unset
      ? `default values leave ${path} empty (null), which ${schemaFileName} does not accept: an install must set it. ${message}`
      : `default values do not validate against ${schemaFileName}: ${message}`,
    file: origin?.file ?? schemaFileName,
    ...(origin?.line ? { line: origin.line } : {}),
  };
}

/** The value at a JSON pointer (`/a/0/b`), undefined when there is none. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of pointer === '' ? [] : pointer.slice(1).split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[token.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return value;
}

/** The line of the first `"key":` in the text; enough for the top-level $schema. */
function lineOfKey(text: string, key: string): number | undefined {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/**
 * The line of the value at a JSON pointer, found by a small scan of the JSON text (the parsed
 * value has no positions). Undefined when the pointer cannot be followed.
 */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  const parts =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      while (i < text.length && text[i] !== close) {
        if (c === '{') {
          skipString();
          ws();
          i++; // :
        }
        skipValue();
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
  };
  ws();
  for (const part of parts) {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') return undefined;
        const start = i;
        skipString();
        const key = JSON.parse(text.slice(start, i)) as string;
        ws();
        i++; // :
        ws();
        if (key === part) break;
        skipValue();
        ws();
        if (text[i] !== ',') return undefined;
        i++;
      }
    } else if (c === '[') {
      i++;
      const index = Number(part);
      for (let n = 0; n < index; n++) {
        skipValue();
        ws();
        if (text[i] !== ',') return undefined;
        i++;
      }
      ws();
    } else return undefined;
  }
  return text.slice(0, i).split('\n').length;
}
