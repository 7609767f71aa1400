import spdxLicenseIds from 'spdx-license-ids/index.json' with { type: 'json' };
import spdxDeprecatedIds from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import { ARTIFACT_HUB_PREFIX as PREFIX } from './chart-loader.js';
import { decodeYaml, YamlSyntaxError, type Position, type YamlNode } from './go/yaml-decode.js';

/**
 * The `artifacthub.io/*` annotations of Chart.yaml, parsed as Artifact Hub parses them
 * (artifacthub/hub internal/tracker/source/helm/helm.go EnrichPackageFromAnnotations, the
 * types of internal/hub/pkg.go, ParseChangesAnnotation and ValidateChange). Helm accepts any
 * string; Artifact Hub refuses the whole chart version when one of them does not parse, so the
 * version never shows up there. Each problem carries the Chart.yaml line to fix: the line inside
 * a block scalar (`key: |`) when the problem is there, else the annotation's own line.
 */

export interface AnnotationProblem {
  /** The annotation, e.g. `artifacthub.io/links`. */
  key: string;
  message: string;
  line: number;
  /** An annotation Artifact Hub does not read: a likely typo, never an error. */
  unknown?: boolean;
}

export interface AnnotationLint {
  /** How many `artifacthub.io/*` annotations were looked at. */
  checked: number;
  problems: AnnotationProblem[];
}

type Check = (value: string, at: Locator) => void;

/** Maps a position inside the annotation's value to a Chart.yaml line, and records problems. */
interface Locator {
  fail(message: string, pos?: Position): void;
}

let spdx: Map<string, string> | undefined;
function spdxIds(): Map<string, string> {
  if (!spdx) {
    const ids: string[] = [...spdxLicenseIds, ...spdxDeprecatedIds];
    spdx = new Map(ids.map((id) => [id.toLowerCase(), id]));
  }
  return spdx;
}

const CHANGE_KINDS = ['added', 'changed', 'deprecated', 'removed', 'fixed', 'security'];
const OPERATOR_CAPABILITIES = ['basic install', 'seamless upgrades', 'full lifecycle', 'deep insights', 'auto pilot'];
const CATEGORIES = [
  'skip-prediction',
  'ai-machine-learning',
  'database',
  'integration-delivery',
  'monitoring-logging',
  'networking',
  'security',
  'storage',
  'streaming-messaging',
];
/** Go's strconv.ParseBool. */
const GO_BOOLS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];

type FieldKind = 'string' | 'bool' | 'url' | 'strings' | 'image';
interface Struct {
  fields: Record<string, FieldKind>;
  required?: string[];
}

const LINK: Struct = { fields: { name: 'string', url: 'url' } };
const STRUCTS: Record<string, Struct> = {
  images: { fields: { name: 'string', image: 'image', whitelisted: 'bool', platforms: 'strings' }, required: ['image'] },
  links: { fields: LINK.fields, required: ['url'] },
  maintainers: { fields: { name: 'string', email: 'string' } },
  recommendations: { fields: { url: 'url' }, required: ['url'] },
  screenshots: { fields: { title: 'string', url: 'url' }, required: ['url'] },
};

const CHECKS: Record<string, Check> = {
  alternativeName: () => {},
  category: (value, at) => {
    if (!CATEGORIES.includes(value)) at.fail(`"${value}" is not a category Artifact Hub knows: use one of ${CATEGORIES.join(', ')}`);
  },
  changes: (value, at) => checkChanges(value, at),
  containsSecurityUpdates: (value, at) => checkBool(value, at),
  crds: (value, at) => checkList(value, at),
  crdsExamples: (value, at) => checkList(value, at),
  images: (value, at) => checkList(value, at, STRUCTS.images),
  license: (value, at) => checkLicense(value, at),
  links: (value, at) => checkList(value, at, STRUCTS.links),
  maintainers: (value, at) => checkList(value, at, STRUCTS.maintainers),
  operator: (value, at) => checkBool(value, at),
  operatorCapabilities: (value, at) => {
    if (!OPERATOR_CAPABILITIES.includes(value.toLowerCase())) {
      at.fail(
        `"${value}" is not an operator capability: use one of Basic Install, Seamless Upgrades, Full Lifecycle, Deep Insights, Auto Pilot`,
      );
    }
  },
  prerelease: (value, at) => checkBool(value, at),
  recommendations: (value, at) => checkList(value, at, STRUCTS.recommendations),
  screenshots: (value, at) => checkList(value, at, STRUCTS.screenshots),
  signKey: (value, at) => {
    const node = parse(value, at);
    if (node === undefined || node.kind === 'null') return at.fail('a sign key needs at least `url:` (and `fingerprint:`)');
    if (node.kind !== 'map') return at.fail(`expected a YAML map with fingerprint and url, found ${describe(node)}`, node.pos);
    checkStruct(node, { fields: { fingerprint: 'string', url: 'url' }, required: ['url'] }, at);
  },
};

/** The annotation names Artifact Hub reads. */
const ARTIFACT_HUB_ANNOTATIONS = Object.keys(CHECKS).map((k) => PREFIX + k);

/**
 * Lints the `artifacthub.io/*` annotations of a Chart.yaml. `chartYaml` is its text (for the
 * lines); `annotations` the values Helm read.
 */
export function lintArtifactHubAnnotations(chartYaml: string, annotations: ReadonlyMap<string, string> | null): AnnotationLint {
  const lint: AnnotationLint = { checked: 0, problems: [] };
  if (!annotations) return lint;
  const lines = annotationLines(chartYaml);
  for (const [key, value] of annotations) {
    if (!key.startsWith(PREFIX)) continue;
    lint.checked++;
    const where = lines.get(key) ?? { key: 1, block: undefined };
    const check = CHECKS[key.slice(PREFIX.length)];
    if (!check) {
      const near = ARTIFACT_HUB_ANNOTATIONS.find((k) => k.toLowerCase() === key.toLowerCase());
      lint.problems.push({
        key,
        line: where.key,
        unknown: true,
        message: `${key} is not an annotation Artifact Hub reads${near ? `: did you mean ${near}?` : ` (it reads ${ARTIFACT_HUB_ANNOTATIONS.join(', ')})`}`,
      });
      continue;
    }
    const at: Locator = {
      fail(message, pos) {
        const line = pos && where.block !== undefined ? where.block + pos.line : where.key;
        lint.problems.push({ key, line, message: `${key}: ${message}` });
      },
    };
    check(value, at);
  }
  lint.problems.sort((a, b) => a.line - b.line);
  return lint;
}

/**
 * The Chart.yaml line of each annotation key, and for block scalars (`|`, `>`) the line before
 * the first line of content (so that line N of the value is that line + N).
 */
function annotationLines(chartYaml: string): Map<string, { key: number; block: number | undefined }> {
  const out = new Map<string, { key: number; block: number | undefined }>();
  let root: YamlNode | undefined;
  try {
    root = decodeYaml(chartYaml);
  } catch {
    return out;
  }
  if (root?.kind !== 'map') return out;
  const textLines = chartYaml.split('\n');
  for (const entry of root.entries) {
    if (entry.key.kind !== 'string' || entry.key.value !== 'annotations' || entry.value.kind !== 'map') continue;
    for (const { key, value } of entry.value.entries) {
      if (key.kind !== 'string') continue;
      const indicator = (textLines[value.pos.line - 1] ?? '').slice(value.pos.column - 1).trimStart()[0];
      out.set(key.value, { key: key.pos.line, block: indicator === '|' || indicator === '>' ? value.pos.line : undefined });
    }
  }
  return out;
}

function parse(value: string, at: Locator): YamlNode | undefined {
  try {
    return decodeYaml(value);
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      at.fail(`not valid YAML: ${error.message}`, { line: error.line, column: error.column });
      return undefined;
    }
    throw error;
  }
}

function describe(node: YamlNode): string {
  switch (node.kind) {
    case 'map':
      return 'a map';
    case 'seq':
      return 'a list';
    case 'null':
      return 'nothing';
    case 'string':
      return `the text "${node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value}"`;
    default:
      return `the ${node.kind} ${String(node.value)}`;
  }
}

function checkBool(value: string, at: Locator): void {
  if (!GO_BOOLS.includes(value)) at.fail(`"${value}" is not a boolean: write "true" or "false" (quoted, annotations are strings)`);
}

/** A YAML list (or nothing); each item a map of the struct's fields when one is given. */
function checkList(value: string, at: Locator, struct?: Struct): void {
  const node = parse(value, at);
  if (node === undefined || node.kind === 'null') return;
  if (node.kind !== 'seq') {
    at.fail(`expected a YAML list (lines starting with "- "), found ${describe(node)}`, node.pos);
    return;
  }
  if (!struct) return;
  for (const item of node.items) {
    if (item.kind === 'null') continue;
    if (item.kind !== 'map') {
      at.fail(`each entry must be a map with ${Object.keys(struct.fields).join(', ')}; found ${describe(item)}`, item.pos);
      continue;
    }
    checkStruct(item, struct, at);
  }
}

function checkStruct(node: Extract<YamlNode, { kind: 'map' }>, struct: Struct, at: Locator): void {
  const present = new Set<string>();
  for (const { key, value } of node.entries) {
    const name = key.kind === 'string' ? key.value : '';
    const kind = struct.fields[name];
    if (!kind) continue; // Artifact Hub ignores unknown fields.
    present.add(name);
    checkField(name, kind, value, at);
  }
  for (const name of struct.required ?? []) {
    if (!present.has(name)) at.fail(`an entry has no ${name}`, node.pos);
  }
}

function checkField(name: string, kind: FieldKind, value: YamlNode, at: Locator): void {
  if (value.kind === 'null') return;
  if (kind === 'bool') {
    if (value.kind !== 'bool') at.fail(`${name} must be true or false, found ${describe(value)}`, value.pos);
    return;
  }
  if (kind === 'strings') {
    if (value.kind !== 'seq' || value.items.some((i) => i.kind === 'map' || i.kind === 'seq')) {
      at.fail(`${name} must be a list of strings, found ${describe(value)}`, value.pos);
    }
    return;
  }
  if (value.kind === 'map' || value.kind === 'seq') {
    at.fail(`${name} must be a string, found ${describe(value)}`, value.pos);
    return;
  }
  const text = value.kind === 'string' ? value.value : String(value.value);
  if (kind === 'url' && !isWebUrl(text)) at.fail(`${name} "${text}" is not an http(s) URL`, value.pos);
  if (kind === 'image' && !isImageReference(text)) {
    at.fail(`${name} "${text}" is not an image reference (registry/repository:tag or @sha256:digest, lowercase repository)`, value.pos);
  }
}

function checkChanges(value: string, at: Locator): void {
  const node = parse(value, at);
  if (node === undefined || node.kind === 'null') return;
  if (node.kind !== 'seq') {
    at.fail(`expected a YAML list of changes, found ${describe(node)}`, node.pos);
    return;
  }
  // Artifact Hub reads either a list of {kind, description, links} or a list of strings, not a mix.
  const maps = node.items.filter((i) => i.kind === 'map');
  const scalars = node.items.filter((i) => i.kind !== 'map' && i.kind !== 'seq' && i.kind !== 'null');
  if (maps.length > 0 && scalars.length > 0) {
    const odd = maps.length > scalars.length ? scalars[0] : maps[0];
    at.fail(
      'mixes plain entries and {kind, description} entries: Artifact Hub reads either kind of list, not both ' +
        '(quote entries that contain ": ", e.g. - "Fixed: the bug")',
      odd?.pos,
    );
    return;
  }
  for (const item of node.items) {
    if (item.kind === 'null') at.fail('an entry is empty (invalid change entry)', item.pos);
    else if (item.kind === 'seq') at.fail(`an entry is ${describe(item)}, expected a description`, item.pos);
    else if (item.kind === 'map') checkChange(item, at);
  }
}

function checkChange(item: Extract<YamlNode, { kind: 'map' }>, at: Locator): void {
  const field = (name: string) => item.entries.find((e) => e.key.kind === 'string' && e.key.value === name)?.value;
  const kind = field('kind');
  if (kind && kind.kind !== 'null') {
    const text = kind.kind === 'map' || kind.kind === 'seq' ? undefined : kind.kind === 'string' ? kind.value : String(kind.value);
    if (text === undefined || !CHANGE_KINDS.includes(text.toLowerCase())) {
      at.fail(`kind ${text === undefined ? describe(kind) : `"${text}"`} is not one of ${CHANGE_KINDS.join(', ')}`, kind.pos);
    }
  }
  const description = field('description');
  if (!description || description.kind === 'null' || (description.kind === 'string' && description.value === '')) {
    at.fail('a change has no description', item.pos);
  } else if (description.kind === 'map' || description.kind === 'seq') {
    at.fail(`description must be a string, found ${describe(description)}`, description.pos);
  }
  const links = field('links');
  if (links && links.kind !== 'null') {
    if (links.kind !== 'seq') at.fail(`links must be a list of {name, url}, found ${describe(links)}`, links.pos);
    else {
      for (const link of links.items) {
        if (link.kind !== 'map') at.fail(`a link must be a map with name and url, found ${describe(link)}`, link.pos);
        else checkStruct(link, { fields: LINK.fields, required: ['name', 'url'] }, at);
      }
    }
  }
}

/** An SPDX license expression: ids from the SPDX list (or LicenseRef-…), joined by AND, OR, WITH. */
function checkLicense(value: string, at: Locator): void {
  if (value === '') return;
  const tokens = value.split(/(\(|\)|\s+)/).filter((t) => t.trim() !== '' && t !== '(' && t !== ')');
  let afterWith = false;
  for (const token of tokens) {
    if (['AND', 'OR', 'WITH'].includes(token)) {
      afterWith = token === 'WITH';
      continue;
    }
    if (afterWith) {
      afterWith = false;
      continue; // an exception id (e.g. Classpath-exception-2.0)
    }
    if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(token)) continue;
    const id = token.endsWith('+') ? token.slice(0, -1) : token;
    const known = spdxIds().get(id.toLowerCase());
    if (!known) {
      at.fail(`"${token}" is not an SPDX license identifier (see https://spdx.org/licenses/), e.g. Apache-2.0 or MIT`);
      return;
    }
    if (known !== id) {
      at.fail(`"${token}" is spelled "${known}" in the SPDX license list`);
      return;
    }
  }
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

// The distribution reference grammar (distribution/reference regexp.go), which
// go-containerregistry's name.ParseReference follows.
const DOMAIN = String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const IMAGE_REFERENCE = new RegExp(
  String.raw`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

function isImageReference(text: string): boolean {
  return text.length <= 255 + 128 + 80 && IMAGE_REFERENCE.test(text);
}
