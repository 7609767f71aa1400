import { goJsonString } from './go/go-json.js';
import { sanitizeString } from './go/go-text.js';
import { BOOL, STRING, type FieldType, type StructSchema } from './go/json-hop.js';
import { GoFloat, GoInt, type GoValue } from './go/yaml-emit.js';
import { compareBytewise } from '../shared/byte-order.js';

/**
 * A declarative description of a Helm Go struct, field by field, from which its decoding
 * (json-hop schema), its sanitising, its YAML value (yaml.Marshal) and its JSON
 * (encoding/json) are all derived. Helm marshals Chart.yaml to YAML through the JSON tags
 * (sigs.k8s.io/yaml, ../shared/spec/helm-oci.md §1.10), so one tag names a field in both, and
 * the TypeScript property carries that same name.
 */

/** One struct field. Invariant in V, so a table cannot give a field the wrong kind. */
export interface Field<V> {
  /** How json-hop decodes the field. */
  readonly type: FieldType;
  /** `omitempty` in the struct tag: an empty value is left out of YAML and JSON. */
  readonly omitEmpty: boolean;
  readonly isEmpty: (v: V) => boolean;
  readonly yaml: (v: V) => GoValue;
  readonly json: (v: V) => string;
  /** What Helm's Validate does to the field before checking it (sanitizeString), if anything. */
  readonly sanitize: ((v: V) => V) | undefined;
}

/** Every property of T, in Go struct field order (the order YAML and JSON are written in). */
export type FieldTable<T> = { readonly [K in keyof T]-?: Field<T[K]> };

export interface StructTable<T> {
  /** The Go type name, as Helm's errors name it (e.g. "Metadata"). */
  readonly goName: string;
  readonly fields: FieldTable<T>;
  /** The field names in table order. */
  readonly keys: ReadonlyArray<keyof T & string>;
  /** The table as json-hop decodes it. */
  readonly schema: StructSchema;
}

export function defineStruct<T>(goName: string, fields: FieldTable<T>): StructTable<T> {
  // Object key order is insertion order for non-numeric keys: the table's order is Go's.
  const keys = Object.keys(fields) as Array<keyof T & string>;
  return { goName, fields, keys, schema: { goName, fields: keys.map((key) => [key, fields[key].type] as const) } };
}

interface FieldOptions {
  /** The struct tag has no `omitempty`: the field is always written. */
  always?: boolean;
  /** Helm's Validate passes the field through sanitizeString. */
  sanitize?: boolean;
}

export function stringField(options: FieldOptions = {}): Field<string> {
  return {
    type: STRING,
    omitEmpty: options.always !== true,
    isEmpty: (v) => v === '',
    yaml: (v) => v,
    json: goJsonString,
    sanitize: options.sanitize === true ? sanitizeString : undefined,
  };
}

/** time.Time, held as its RFC 3339 text (json-hop normalises it on decoding). */
export function timeField(options: FieldOptions = {}): Field<string> {
  return { ...stringField(options), type: { kind: 'time' } };
}

export function boolField(): Field<boolean> {
  return { type: BOOL, omitEmpty: true, isEmpty: (v) => !v, yaml: (v) => v, json: (v) => (v ? 'true' : 'false'), sanitize: undefined };
}

export function stringListField(options: FieldOptions = {}): Field<string[] | null> {
  return {
    type: { kind: 'list', of: STRING },
    omitEmpty: options.always !== true,
    isEmpty: isEmptyList,
    yaml: (v) => v,
    json: (v) => (v === null ? 'null' : `[${v.map(goJsonString).join(',')}]`),
    sanitize: options.sanitize === true ? (v) => (v === null ? v : v.map(sanitizeString)) : undefined,
  };
}

/** map[string]string: encoding/json writes the keys sorted. */
export function stringMapField(): Field<Map<string, string> | null> {
  return {
    type: { kind: 'string-map' },
    omitEmpty: true,
    isEmpty: (v) => v === null || v.size === 0,
    yaml: (v) => (v === null ? null : new Map(v)),
    json: (v) => {
      if (v === null) return 'null';
      const keys = [...v.keys()].sort(compareBytewise);
      return `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(v.get(k) ?? '')}`).join(',')}}`;
    },
    sanitize: undefined,
  };
}

/** []interface{} (e.g. `import-values`), as it comes out of the YAML→JSON hop. */
export function anyListField(): Field<GoValue[] | null> {
  return {
    type: { kind: 'list', of: { kind: 'any' } },
    omitEmpty: true,
    isEmpty: isEmptyList,
    yaml: (v) => v,
    json: (v) => (v === null ? 'null' : `[${v.map(anyJson).join(',')}]`),
    sanitize: undefined,
  };
}

/**
 * []*Struct: a null item stays null. Items are sanitised where Validate checks them for null,
 * not through this field, so `sanitize` is left empty.
 */
export function structListField<T>(table: StructTable<T>, options: FieldOptions = {}): Field<Array<T | null> | null> {
  return {
    type: { kind: 'list', of: { kind: 'struct', schema: table.schema } },
    omitEmpty: options.always !== true,
    isEmpty: isEmptyList,
    yaml: (v) => (v === null ? null : v.map((item) => (item === null ? null : structYaml(table, item)))),
    json: (v) => (v === null ? 'null' : `[${v.map((item) => (item === null ? 'null' : structJson(table, item))).join(',')}]`),
    sanitize: undefined,
  };
}

/** The struct as yaml.Marshal sees it: its non-omitted fields, in table order. */
export function structYaml<T>(table: StructTable<T>, value: T): Map<string, GoValue> {
  const out = new Map<string, GoValue>();
  for (const key of table.keys) {
    const field = table.fields[key];
    const v = value[key];
    if (field.omitEmpty && field.isEmpty(v)) continue;
    out.set(key, field.yaml(v));
  }
  return out;
}

/** encoding/json of the struct: table order, omitempty, Go's escaping. */
export function structJson<T>(table: StructTable<T>, value: T): string {
  const parts: string[] = [];
  for (const key of table.keys) {
    const field = table.fields[key];
    const v = value[key];
    if (field.omitEmpty && field.isEmpty(v)) continue;
    parts.push(`${goJsonString(key)}:${field.json(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Applies each field's sanitiser in place, as Helm's Validate does (it changes what is written). */
export function sanitizeStruct<T>(table: StructTable<T>, value: T): void {
  for (const key of table.keys) {
    const sanitize = table.fields[key].sanitize;
    if (sanitize) value[key] = sanitize(value[key]);
  }
}

function isEmptyList(v: readonly unknown[] | null): boolean {
  return v === null || v.length === 0;
}

/**
 * An `any` value as Helm holds it after the YAML→JSON hop: numbers are float64 (whose
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
