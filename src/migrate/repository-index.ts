import { decodeYaml, scalarText, yamlProblem, YamlSyntaxError, type YamlNode } from '../chart/go/yaml-decode.js';
import { normaliseRfc3339 } from '../chart/go/json-hop.js';
import { DomainError } from '../shared/errors.js';

/**
 * A classic chart repository's index.yaml, read for migration: every listed chart version,
 * including those Helm would skip (a version that is not SemVer, an entry without URL), so that
 * each is reported rather than silently left behind. Decoded with Helm's YAML rules
 * (chart/go/yaml-decode.ts); a JSON index is YAML too.
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

export function readRepositoryIndex(text: string, where: string): ListedVersion[] {
  let root: YamlNode | undefined;
  try {
    root = decodeYaml(text);
  } catch (error) {
    if (!(error instanceof YamlSyntaxError)) throw error;
    throw new IndexError(`${where} ${yamlProblem(error)} (line ${error.line}): ${error.message}`, { cause: error });
  }
  if (root?.kind !== 'map') throw new IndexError(`${where} is empty or not a mapping: it is not a Helm repository index`);
  if (!field(root, 'apiVersion')) throw new IndexError(`${where} has no apiVersion: it is not a Helm repository index`);
  const entries = field(root, 'entries');
  const out: ListedVersion[] = [];
  if (entries?.kind !== 'map') return out;
  for (const { key, value } of entries.entries) {
    const name = scalarText(key) ?? '';
    const items = value.kind === 'seq' ? value.items : [];
    for (const item of items) {
      if (item.kind !== 'map') continue;
      out.push(listedVersion(name, item));
    }
  }
  return out;
}

function listedVersion(name: string, item: Extract<YamlNode, { kind: 'map' }>): ListedVersion {
  const versionNode = field(item, 'version');
  // A null version is Go's zero string.
  const version = versionNode && versionNode.kind !== 'null' ? (scalarText(versionNode) ?? '') : '';
  const urlsNode = field(item, 'urls');
  const urls = urlsNode?.kind === 'seq' ? urlsNode.items.flatMap((u) => (u.kind === 'string' && u.value !== '' ? [u.value] : [])) : [];
  const digestNode = field(item, 'digest');
  const digestText = digestNode?.kind === 'string' ? digestNode.value.trim().toLowerCase() : '';
  const deprecatedNode = field(item, 'deprecated');
  const createdNode = field(item, 'created');
  const createdText = createdNode?.kind === 'string' ? normaliseRfc3339(createdNode.value) : undefined;
  // Whole seconds: the manifest's `created` has no fraction.
  const createdMs = createdText ? Date.parse(createdText.replace(/\.\d+/, '')) : Number.NaN;
  let problem: string | undefined;
  if (!versionNode) problem = 'the index entry has no version';
  else if (versionNode.kind !== 'string') {
    problem = `the index entry's version is a YAML ${versionNode.kind} (${version}), not a string: Helm cannot read this entry`;
  } else if (urls.length === 0) problem = 'the index entry lists no download URL';
  return {
    name,
    version,
    urls,
    // A digest that is not sha256 hex is no statement we can check against.
    digest: /^[0-9a-f]{64}$/.test(digestText) ? digestText : undefined,
    deprecated: deprecatedNode?.kind === 'bool' && deprecatedNode.value,
    created: Number.isFinite(createdMs) ? Math.floor(createdMs / 1000) : undefined,
    problem,
  };
}

function field(map: Extract<YamlNode, { kind: 'map' }>, key: string): YamlNode | undefined {
  // go-yaml keeps the last of duplicate keys.
  return map.entries.findLast((e) => e.key.kind === 'string' && e.key.value === key)?.value;
}
