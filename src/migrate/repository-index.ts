import { normaliseRfc3339 } from '../chart/go/json-hop.js';
import { decodeIndex } from '../dependencies/chart-repository.js';
import { noDeadline, type Deadline } from '../shared/deadline.js';
import { DomainError } from '../shared/errors.js';

/**
 * A classic chart repository's index.yaml, read for migration: every listed chart version,
 * including those Helm would skip (a version that is not SemVer, an entry without URL), so that
 * each is reported rather than silently left behind. Decoded as the dependency path decodes it
 * (decodeIndex: Helm's YAML rules, JSON through JSON.parse, stopped at the run's deadline).
 */

export interface ListedVersion {
  /** The chart name: the key of `entries`. */
  name: string;
  /** `version` as written; empty when it is missing or not a string. */
  version: string;
  /** `urls` as written: relative to the repository, or absolute. */
  urls: string[];
  /** The archive's sha256 (hex, lowercase) as the index states it, when it does. */
  digest: string | undefined;
  deprecated: boolean;
  /** `created` in Unix seconds, when the entry has a readable one. */
  created: number | undefined;
  /** Why this entry cannot be migrated, when the index alone says so. */
  problem: string | undefined;
}

export class IndexError extends DomainError {}

type PlainMap = Record<string, unknown>;

export function readRepositoryIndex(body: string | Uint8Array, where: string, deadline: Deadline = noDeadline): ListedVersion[] {
  const root = decodeIndex(body, where, deadline);
  if (!isMap(root)) throw new IndexError(`${where} is empty or not a mapping: it is not a Helm repository index`);
  if (root.apiVersion === undefined) throw new IndexError(`${where} has no apiVersion: it is not a Helm repository index`);
  const out: ListedVersion[] = [];
  if (!isMap(root.entries)) return out;
  for (const [name, items] of Object.entries(root.entries)) {
    for (const item of Array.isArray(items) ? (items as unknown[]) : []) {
      if (isMap(item)) out.push(listedVersion(name, item));
    }
  }
  return out;
}

function listedVersion(name: string, item: PlainMap): ListedVersion {
  const { version: versionValue, urls: urlsValue, digest: digestValue, deprecated, created: createdValue } = item;
  // A null version is Go's zero string; a sequence or mapping has no text.
  const version =
    typeof versionValue === 'string' || typeof versionValue === 'number' || typeof versionValue === 'boolean' ? String(versionValue) : '';
  const urls = Array.isArray(urlsValue) ? urlsValue.filter((u): u is string => typeof u === 'string' && u !== '') : [];
  const digestText = typeof digestValue === 'string' ? digestValue.trim().toLowerCase() : '';
  const createdText = typeof createdValue === 'string' ? normaliseRfc3339(createdValue) : undefined;
  // Whole seconds: the manifest's `created` has no fraction.
  const createdMs = createdText ? Date.parse(createdText.replace(/\.\d+/, '')) : Number.NaN;
  let problem: string | undefined;
  if (!('version' in item)) problem = 'the index entry has no version';
  else if (typeof versionValue !== 'string') {
    problem = `the index entry's version is a YAML ${yamlKind(versionValue)} (${version}), not a string: Helm cannot read this entry`;
  } else if (urls.length === 0) problem = 'the index entry lists no download URL';
  return {
    name,
    version,
    urls,
    // A digest that is not sha256 hex is no statement we can check against.
    digest: /^[0-9a-f]{64}$/.test(digestText) ? digestText : undefined,
    deprecated: deprecated === true,
    created: Number.isFinite(createdMs) ? Math.floor(createdMs / 1000) : undefined,
    problem,
  };
}

function isMap(value: unknown): value is PlainMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The YAML kind a decoded value came from, for messages (yaml-decode.ts YamlNode kinds). */
function yamlKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'seq';
  return typeof value === 'object' ? 'map' : typeof value;
}
