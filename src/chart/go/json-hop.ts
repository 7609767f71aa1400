import { formatFloat32, GoFloat, GoInt, type GoValue } from './yaml-emit.js';
import type { Position, YamlNode } from './yaml-decode.js';
import { compareBytewise } from '../../shared/byte-order.js';
import { trimTrailing } from '../../shared/trim.js';

/**
 * The hop Helm's YAML takes before it becomes a Go struct (sigs.k8s.io/yaml `Unmarshal`,
 * ../shared/spec/helm-oci.md §1.10): YAML → JSON, coercing YAML numbers and booleans to strings
 * where the target field is a string; then encoding/json into the struct, matching keys exactly
 * or else case-insensitively, dropping unknown keys, leaving fields untouched for JSON null.
 * A schema describes the Go struct; the result is a plain object shaped like it.
 */

export type FieldType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'time' }
  | { kind: 'any' }
  | { kind: 'list'; of: FieldType }
  | { kind: 'string-map' }
  | { kind: 'struct'; schema: StructSchema };

export interface StructSchema {
  /** The Go type name, as Helm's errors name it (e.g. "Metadata"). */
  goName: string;
  /** JSON field names in Go struct order, with their types. */
  fields: ReadonlyArray<readonly [jsonName: string, type: FieldType]>;
}

export type DecodedStruct = Record<string, unknown>;

/** A value that cannot go into its field; carries the position of the offending YAML node. */
export class HopError extends Error {
  readonly pos: Position;
  constructor(message: string, pos: Position) {
    super(message);
    this.name = 'HopError';
    this.pos = pos;
  }
}

export interface DecodeReport {
  /** Keys that match no field (Helm drops them silently), with their positions. */
  unknownKeys: Array<{ key: string; pos: Position }>;
  /** Position of each known top-level key, by JSON field name. */
  keyPositions: Map<string, Position>;
  /** YAML kind of each known top-level value before coercion (to flag `version: 1.10`). */
  valueKinds: Map<string, YamlNode['kind']>;
}

export const STRING: FieldType = { kind: 'string' };
export const BOOL: FieldType = { kind: 'bool' };

/**
 * Decodes node into target (which starts as the struct's zero value, or an existing value to
 * merge into, as Helm does with requirements.yaml). A null or missing document is a no-op.
 */
export function decodeStruct(
  node: YamlNode | undefined,
  schema: StructSchema,
  target: DecodedStruct,
  report?: DecodeReport,
): DecodedStruct {
  if (node === undefined || node.kind === 'null') return target;
  if (node.kind !== 'map') {
    throw new HopError(`expected a mapping of keys to values, found ${describe(node)}`, node.pos);
  }
  for (const { key, jsonKey, value } of jsonOrder(node)) {
    const field = findField(schema, jsonKey);
    if (!field) {
      report?.unknownKeys.push({ key: jsonKey, pos: key.pos });
      continue;
    }
    const [name, type] = field;
    if (report) {
      if (!report.keyPositions.has(name)) report.keyPositions.set(name, key.pos);
      report.valueKinds.set(name, value.kind);
    }
    const decoded = decodeValue(value, type, `${schema.goName}.${name}`, target[name]);
    if (decoded !== UNCHANGED) target[name] = decoded;
  }
  return target;
}

/** The zero value of a struct: "" for strings, false for bools, null for lists and maps. */
export function zeroStruct(schema: StructSchema): DecodedStruct {
  const out: DecodedStruct = {};
  for (const [name, type] of schema.fields) out[name] = zeroOf(type);
  return out;
}

function zeroOf(type: FieldType): unknown {
  switch (type.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'time':
      return '0001-01-01T00:00:00Z';
    default:
      return null;
  }
}

const UNCHANGED = Symbol('unchanged');

function decodeValue(node: YamlNode, type: FieldType, path: string, existing: unknown): unknown {
  switch (type.kind) {
    case 'string':
      if (node.kind === 'null') return UNCHANGED;
      if (node.kind === 'string') return node.value;
      if (node.kind === 'int') return node.value.toString();
      if (node.kind === 'float') return formatFloat32(node.value);
      if (node.kind === 'bool') return node.value ? 'true' : 'false';
      throw mismatch(node, path, 'string');
    case 'bool':
      if (node.kind === 'null') return UNCHANGED;
      if (node.kind === 'bool') return node.value;
      throw mismatch(node, path, 'bool');
    case 'time':
      if (node.kind === 'null') return UNCHANGED;
      if (node.kind === 'string') {
        const normalised = normaliseRfc3339(node.value);
        if (normalised === undefined) {
          throw new HopError(`"${node.value}" is not an RFC 3339 timestamp (e.g. 2024-01-02T15:04:05Z)`, node.pos);
        }
        return normalised;
      }
      throw mismatch(node, path, 'time.Time');
    case 'any':
      return toJsonValue(node);
    case 'list':
      if (node.kind === 'null') return null;
      if (node.kind !== 'seq') throw mismatch(node, path, `[]${goTypeName(type.of)}`);
      return node.items.map((item) => {
        if (item.kind === 'null') return type.of.kind === 'struct' ? null : zeroOf(type.of);
        const value = decodeValue(item, type.of, path, undefined);
        return value === UNCHANGED ? zeroOf(type.of) : value;
      });
    case 'string-map': {
      if (node.kind === 'null') return null;
      if (node.kind !== 'map') throw mismatch(node, path, 'map[string]string');
      // encoding/json decodes into an existing map by adding keys.
      const out = existing instanceof Map ? new Map(existing as Map<string, string>) : new Map<string, string>();
      for (const { jsonKey, value } of jsonOrder(node)) {
        const decoded = decodeValue(value, STRING, path, undefined);
        out.set(jsonKey, decoded === UNCHANGED ? '' : (decoded as string));
      }
      return out;
    }
    case 'struct':
      if (node.kind === 'null') return null;
      if (node.kind !== 'map') throw mismatch(node, path, type.schema.goName);
      return decodeStruct(node, type.schema, zeroStruct(type.schema));
  }
}

/**
 * Keys as JSON sees them: converted to strings, a later duplicate replacing an earlier one
 * (go-yaml fills a Go map), then in byte order (encoding/json writes map keys sorted, and
 * decoding assigns fields in that order, so the last of `Version`/`version` wins).
 */
function jsonOrder(node: Extract<YamlNode, { kind: 'map' }>): Array<{ key: YamlNode; jsonKey: string; value: YamlNode }> {
  const byKey = new Map<string, { key: YamlNode; jsonKey: string; value: YamlNode }>();
  for (const { key, value } of node.entries) {
    const jsonKey = keyString(key);
    byKey.set(jsonKey, { key, jsonKey, value });
  }
  return [...byKey.values()].sort((a, b) => compareBytewise(a.jsonKey, b.jsonKey));
}

function keyString(key: YamlNode): string {
  switch (key.kind) {
    case 'string':
      return key.value;
    case 'int':
      return key.value.toString();
    case 'float': {
      const s = formatFloat32(key.value);
      return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    }
    case 'bool':
      return key.value ? 'true' : 'false';
    default:
      throw new HopError(`a mapping key must be a scalar, found ${describe(key)}`, key.pos);
  }
}

function findField(schema: StructSchema, key: string): readonly [string, FieldType] | undefined {
  const exact = schema.fields.find(([name]) => name === key);
  if (exact) return exact;
  const folded = key.toLowerCase();
  return schema.fields.find(([name]) => name.toLowerCase() === folded);
}

/** A YAML value as the Go `any` it becomes after the JSON hop (numbers are float64). */
function toJsonValue(node: YamlNode): GoValue {
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
      return node.value;
    case 'string':
      return node.value;
    case 'int':
    case 'float': {
      const f = Number(node.value);
      if (!Number.isFinite(f)) throw new HopError(`${describe(node)} cannot be represented in JSON`, node.pos);
      // Go's encoder writes integral float64 values below 1e21 without a fraction, and go-yaml
      // reads those back as integers.
      return Number.isInteger(f) && Math.abs(f) < 1e21 ? new GoInt(BigInt(f)) : new GoFloat(f);
    }
    case 'seq':
      return node.items.map(toJsonValue);
    case 'map': {
      const out = new Map<string, GoValue>();
      for (const { jsonKey, value } of jsonOrder(node)) out.set(jsonKey, toJsonValue(value));
      return out;
    }
  }
}

function mismatch(node: YamlNode, path: string, goType: string): HopError {
  return new HopError(`cannot use ${describe(node)} as ${path} (Go type ${goType})`, node.pos);
}

function goTypeName(type: FieldType): string {
  switch (type.kind) {
    case 'struct':
      return `*${type.schema.goName}`;
    case 'list':
      return `[]${goTypeName(type.of)}`;
    case 'string-map':
      return 'map[string]string';
    case 'any':
      return 'interface{}';
    case 'time':
      return 'time.Time';
    default:
      return type.kind;
  }
}

export function describe(node: YamlNode): string {
  switch (node.kind) {
    case 'seq':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'null':
      return 'null';
    case 'string':
      return `the string "${node.value}"`;
    case 'bool':
      return `the boolean ${node.value}`;
    case 'int':
      return `the number ${node.value}`;
    case 'float':
      return `the number ${node.value}`;
  }
}

/**
 * time.Time's JSON round trip: parse strict RFC 3339, write RFC 3339 with nanoseconds and
 * trailing zeros trimmed; a zero offset is written as Z.
 */
export function normaliseRfc3339(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) {
    return undefined;
  }
  const fraction = trimTrailing(frac, '0');
  const offset = zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction === '.' ? '' : fraction}${offset}`;
}
