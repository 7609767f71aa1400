import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, visit } from './yaml-lib.js';
import type { Document, Node as YamlLibNode } from 'yaml';
import { getHeapStatistics } from 'node:v8';
import { utf8SequenceLength } from './raw-name.js';

/**
 * YAML decoding with go-yaml v2's scalar resolution, which is what Helm reads Chart.yaml and
 * Chart.lock with (sigs.k8s.io/yaml over go.yaml.in/yaml/v2, ../shared/spec/helm-oci.md §1.10):
 * YAML 1.1 booleans (`yes`, `on`, `y`), `010` is octal, `1.10` is the float 1.1, timestamps stay
 * strings. The `yaml` library parses (with positions for error messages); every scalar is
 * resolved here rather than by the library's schema, so the result is Go's, not JavaScript's.
 *
 * This is the one decoding path for every YAML file the action reads (Chart.yaml, Chart.lock,
 * requirements.*, values.yaml, index.yaml, and those inside archives): it refuses what go-yaml
 * refuses before anything is expanded (invalid UTF-8, control characters, excessive aliasing).
 */

export interface Position {
  line: number;
  column: number;
}

export type YamlNode =
  | { kind: 'null'; pos: Position }
  | { kind: 'bool'; value: boolean; pos: Position }
  | { kind: 'int'; value: bigint; pos: Position }
  | { kind: 'float'; value: number; pos: Position }
  | { kind: 'string'; value: string; pos: Position }
  | { kind: 'seq'; items: YamlNode[]; pos: Position }
  | { kind: 'map'; entries: Array<{ key: YamlNode; value: YamlNode }>; pos: Position };

export class YamlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, pos: Position) {
    super(message);
    this.name = 'YamlSyntaxError';
    this.line = pos.line;
    this.column = pos.column;
  }
}

/** A file refused for the memory its decoding would take, not for its syntax. */
class YamlTooLargeError extends YamlSyntaxError {
  constructor(message: string, pos: Position) {
    super(message, pos);
    this.name = 'YamlTooLargeError';
  }
}

/** What a decoding error says of the file: "is not valid YAML", or "cannot be read" when too large. */
export function yamlProblem(error: YamlSyntaxError): string {
  return error instanceof YamlTooLargeError ? 'cannot be read' : 'is not valid YAML';
}

const TAG_PREFIX = 'tag:yaml.org,2002:';
const RESOLVABLE_TAGS = new Set(['', 'str', 'bool', 'int', 'float', 'null', 'timestamp']);

/**
 * Nesting limit (go-yaml stops at 10000). The library composes a document recursively and its
 * stack overflows at some 770 to 900 levels, depending on the shape and on what the engine has
 * compiled so far: a limit well below that refuses the same documents on every run.
 */
const MAX_DEPTH = 500;

/**
 * The heap a document costs, estimated token by token as the library reads it: the syntax tree
 * keeps every token, then the composed document and this module's nodes come on top. Bytes per
 * token, set at or above the peak heap measured for 2 MiB files of dense flow lists, nested empty
 * collections, block lists, quoted strings, tags, anchors and comments, and for a 32 MiB chart
 * repository index (estimated 2.7 GB, measured 1.7 GB). A file whose estimate passes 75% of the
 * heap still free when its decoding begins is refused where the parser is; Node would otherwise
 * end the whole run with "JavaScript heap out of memory", and no summary.
 */
const HEAP_BYTES = { collection: 1600, node: 900, indicator: 800, property: 300, separator: 120 } as const;
const MAX_HEAP_SHARE = 0.75;
/**
 * The young generation within V8's heap_size_limit (Node 24, 64-bit: three 64 MiB semispaces,
 * whatever --max-old-space-size says), where a long-lived tree does not stay.
 */
const YOUNG_GENERATION = 192 * 2 ** 20;

/** The estimated cost of one lexeme; the text of a plain scalar, after its marker, costs nothing more. */
function heapCost(lexeme: string): number {
  switch (lexeme[0]) {
    case '[':
    case '{':
      return HEAP_BYTES.collection;
    case ']':
    case '}':
      return 0;
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case ',':
    case '#':
      return HEAP_BYTES.separator;
    case '&':
    case '!':
      return HEAP_BYTES.property;
    case '-':
    case '?':
    case ':':
      return lexeme.length === 1 ? HEAP_BYTES.indicator : HEAP_BYTES.node;
    default:
      return HEAP_BYTES.node;
  }
}

/** The Lexer's marker before the text of a plain or block scalar. */
const SCALAR_MARKER = '\x1f';

function tooLarge(estimate: number, free: number, pos: Position): YamlTooLargeError {
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  return new YamlTooLargeError(
    `too large to decode here: Node would need more than ${mib(estimate)} for it, and has ${mib(free)} free on this runner. ` +
      `A runner with more memory, or NODE_OPTIONS=--max-old-space-size=<MiB> in the step's env, lets it through`,
    pos,
  );
}

/**
 * go-yaml v2 decode.go `allowedAliasRatio`: the share of decoded nodes that may come from alias
 * expansion, 99% for documents up to 400,000 nodes, falling to 10% at 4,000,000.
 */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

export interface DecodeOptions {
  /**
   * Called every few thousand tokens and nodes while the text is decoded, which is synchronous
   * and takes seconds for a large file: it may throw to stop the decoding (the run's deadline).
   */
  check?: (() => void) | undefined;
}

/** Tokens (and nodes) between two calls of DecodeOptions.check. */
const CHECK_INTERVAL = 4096;

/**
 * Decodes the first YAML document (go-yaml v2's Unmarshal reads only the first one).
 * Returns undefined for an empty document. Throws YamlSyntaxError with the line.
 * Bytes are checked as go-yaml's reader checks them (valid UTF-8, no control characters).
 */
export function decodeYaml(source: string | Uint8Array, options: DecodeOptions = {}): YamlNode | undefined {
  return decode(source, false, options.check)[0];
}

/** Decodes every document of a stream (values.yaml); an empty document is undefined. */
export function decodeYamlDocuments(source: string | Uint8Array, options: DecodeOptions = {}): Array<YamlNode | undefined> {
  return decode(source, true, options.check);
}

function decode(source: string | Uint8Array, all: boolean, check: (() => void) | undefined): Array<YamlNode | undefined> {
  const text = yamlText(source);
  const lineCounter = new LineCounter();
  const results: Array<YamlNode | undefined> = [];
  // The library composes each document in one synchronous step, between the parser and the converter.
  const documents = parseDocuments(text, lineCounter, all, check);
  check?.();
  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      throw new YamlSyntaxError(libraryMessage(error.message), positionAt(lineCounter, error.pos[0]));
    }
    const contents = doc.contents;
    results.push(contents === null ? undefined : new Converter(doc, lineCounter, check).convert(contents, 0));
  }
  return results;
}

/**
 * The library's parseAllDocuments, read token by token so that a document is refused where its
 * nesting passes MAX_DEPTH or its heap estimate passes what is free, before the library builds a
 * syntax tree for it and recurses through that tree. Five MiB of "[" would otherwise cost seconds
 * and gigabytes, and the library's recursion would overflow the stack at a depth that varies with
 * what the engine has compiled.
 */
function parseDocuments(text: string, lineCounter: LineCounter, all: boolean, check: (() => void) | undefined): Document[] {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ schema: 'failsafe', version: '1.1', uniqueKeys: false, merge: false });
  function* syntaxTrees() {
    lineCounter.addNewLine(0);
    const heap = getHeapStatistics();
    const free = heap.heap_size_limit - YOUNG_GENERATION - heap.used_heap_size;
    const budget = free * MAX_HEAP_SHARE;
    let estimate = 0;
    let scalarText = false;
    let tokens = 0;
    for (const lexeme of new Lexer().lex(text)) {
      if (check && tokens++ % CHECK_INTERVAL === 0) check();
      if (scalarText) {
        scalarText = false;
      } else if (lexeme === SCALAR_MARKER) {
        scalarText = true;
        estimate += HEAP_BYTES.node;
      } else {
        estimate += heapCost(lexeme);
      }
      if (estimate > budget) {
        throw tooLarge(estimate, free, positionAt(lineCounter, parser.offset));
      }
      for (const tree of parser.next(lexeme)) {
        yield tree;
        // go-yaml's Unmarshal reads the first document only; nothing after it is parsed.
        if (!all && tree.type === 'document') return;
      }
      // The parser's stack: the document, each collection open at this token, and the token.
      // One level too many is refused where that level begins.
      const stack = parser.stack;
      if (stack.length > MAX_DEPTH + 2) {
        throw tooDeep(positionAt(lineCounter, stack[stack.length - 1]?.offset ?? parser.offset));
      }
    }
    yield* parser.end();
  }
  return Array.from(composer.compose(syntaxTrees()));
}

/** The line and column (1-based) of an offset in the text. */
function positionAt(lines: LineCounter, offset: number): Position {
  const at = lines.linePos(offset);
  return { line: at.line, column: at.col };
}

function tooDeep(pos: Position): YamlSyntaxError {
  return new YamlSyntaxError(`document nests too deeply (more than ${MAX_DEPTH} levels)`, pos);
}

/**
 * The text go-yaml's reader accepts (yaml_parser_update_buffer): valid UTF-8 and only the
 * printable characters of YAML 1.1 §5.1. Helm fails on anything else ("invalid leading UTF-8
 * octet", "control characters are not allowed"); replacing the bytes would publish a chart Helm
 * cannot load.
 */
export function yamlText(source: string | Uint8Array): string {
  let text: string;
  if (typeof source === 'string') {
    text = source;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(source);
    } catch {
      const offset = invalidUtf8Offset(source);
      const line = lineOfByte(source, offset);
      throw new YamlSyntaxError(
        `invalid UTF-8 byte 0x${(source[offset] ?? 0).toString(16).padStart(2, '0')}: YAML must be UTF-8 text (Helm refuses it: "invalid leading UTF-8 octet")`,
        { line, column: 1 },
      );
    }
  }
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    const before = text.slice(0, bad.index);
    const line = before.split('\n').length;
    throw new YamlSyntaxError(
      `control character U+${code} is not allowed in YAML (Helm refuses it: "control characters are not allowed")`,
      {
        line,
        column: bad.index - before.lastIndexOf('\n'),
      },
    );
  }
  return text;
}

/** Everything go-yaml's reader refuses: YAML 1.1 c-printable, with the BOM allowed. */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return Math.min(i, bytes.length - 1);
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function libraryMessage(message: string): string {
  // The library appends a source excerpt after the first line; we print our own location.
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  // The library's recursive parser reports nesting beyond the stack as a stack overflow.
  return first.includes('Maximum call stack size exceeded') ? 'document nests too deeply' : first;
}

class Converter {
  /** go-yaml v2's decodeCount/aliasCount: every node decoded, and those decoded inside an alias. */
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  /** Anchors whose expansion is in progress: an alias to one of them is a cycle. */
  private readonly expanding = new Set<YamlLibNode>();
  /** Each alias's target, found in one pass in document order ("the last anchor before it"). */
  private readonly targets = new Map<YamlLibNode, YamlLibNode>();

  constructor(
    doc: Document,
    private readonly lines: LineCounter,
    private readonly check: (() => void) | undefined,
  ) {
    const anchors = new Map<string, YamlLibNode>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target) this.targets.set(node, target);
        } else if (node.anchor) {
          anchors.set(node.anchor, node);
        }
      },
    });
  }

  private pos(node: YamlLibNode): Position {
    return positionAt(this.lines, node.range?.[0] ?? 0);
  }

  convert(node: YamlLibNode, depth: number): YamlNode {
    if (depth > MAX_DEPTH) throw tooDeep(this.pos(node));
    if (this.check && this.decodeCount % CHECK_INTERVAL === 0) this.check();
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      // go-yaml v2's own words, so that the message matches what Helm prints.
      throw new YamlSyntaxError('document contains excessive aliasing', this.pos(node));
    }
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (!target) throw new YamlSyntaxError(`unknown anchor "${node.source}" referenced`, this.pos(node));
      if (this.expanding.has(target)) throw new YamlSyntaxError(`anchor "${node.source}" value contains itself`, this.pos(node));
      this.expanding.add(target);
      this.aliasDepth++;
      try {
        return this.convert(target, depth + 1);
      } finally {
        this.aliasDepth--;
        this.expanding.delete(target);
      }
    }
    if (isScalar(node)) {
      const text = typeof node.value === 'string' ? node.value : node.value == null ? '' : JSON.stringify(node.value);
      const plain = node.type === 'PLAIN';
      const tag = node.tag?.startsWith(TAG_PREFIX) ? node.tag.slice(TAG_PREFIX.length) : (node.tag ?? '');
      // A quoted or block scalar without a tag is a string; go-yaml resolves only plain ones.
      if (!plain && tag === '') return { kind: 'string', value: text, pos: this.pos(node) };
      return resolveScalar(text, tag, this.pos(node));
    }
    if (isSeq(node)) {
      return {
        kind: 'seq',
        items: node.items.map((item) => this.convert(item as YamlLibNode, depth + 1)),
        pos: this.pos(node),
      };
    }
    if (isMap(node)) {
      const entries: Array<{ key: YamlNode; value: YamlNode }> = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlLibNode | null;
        const key: YamlNode = keyNode ? this.convert(keyNode, depth + 1) : { kind: 'null', pos: this.pos(node) };
        const valueNode = pair.value as YamlLibNode | null;
        const value: YamlNode = valueNode
          ? this.convert(valueNode, depth + 1)
          : { kind: 'null', pos: keyNode ? this.pos(keyNode) : this.pos(node) };
        if (key.kind === 'string' && key.value === '<<' && keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          // YAML 1.1 merge key: go-yaml copies the merged mapping(s) in place.
          for (const merged of value.kind === 'seq' ? value.items : [value]) {
            if (merged.kind !== 'map') {
              throw new YamlSyntaxError('map merge requires map or sequence of maps as the value', value.pos);
            }
            // One by one: a spread of an unbounded list into push() overflows the stack.
            for (const entry of merged.entries) entries.push(entry);
          }
          continue;
        }
        entries.push({ key, value });
      }
      return { kind: 'map', entries, pos: this.pos(node) };
    }
    throw new YamlSyntaxError('unsupported YAML node', this.pos(node));
  }
}

/**
 * A decoded document as plain JSON-like values, as sigs.k8s.io/yaml hands it to Go's
 * encoding/json: keys become strings, integers numbers (large ones strings of their digits).
 */
export function yamlToPlain(node: YamlNode | undefined): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'float':
    case 'string':
      return node.value;
    case 'int':
      return Number.isSafeInteger(Number(node.value)) ? Number(node.value) : node.value.toString();
    case 'seq':
      return node.items.map(yamlToPlain);
    case 'map': {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const { key, value } of node.entries) out[plainKey(key)] = yamlToPlain(value);
      return out;
    }
  }
}

/**
 * A scalar as the text it becomes as a map key when sigs.k8s.io/yaml converts YAML to JSON for
 * Go (`~` becomes "null"); undefined for a sequence or mapping.
 */
export function scalarText(node: YamlNode): string | undefined {
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'string':
      return node.value;
    case 'bool':
    case 'float':
    case 'int':
      return String(node.value);
    default:
      return undefined;
  }
}

function plainKey(key: YamlNode): string {
  const text = scalarText(key);
  if (text === undefined) throw new YamlSyntaxError('a mapping key must be a scalar', key.pos);
  return text;
}

/** go-yaml v2 `resolve(tag, in)`: the value a plain (or explicitly tagged) scalar denotes. */
export function resolveScalar(text: string, tag: string, pos: Position): YamlNode {
  if (!RESOLVABLE_TAGS.has(tag)) return { kind: 'string', value: text, pos };
  const resolved = tag === 'str' ? ({ kind: 'string', value: text, pos } as const) : resolveImplicit(text, pos);
  if (tag === '' || tag === 'str') return resolved;
  const got = resolved.kind === 'string' && isTimestamp(text) ? 'timestamp' : resolved.kind;
  if (got === tag) return resolved;
  if (tag === 'float' && resolved.kind === 'int') return { kind: 'float', value: Number(resolved.value), pos };
  if (tag === 'timestamp' && got === 'timestamp') return resolved;
  throw new YamlSyntaxError(`cannot decode !!${got === 'string' ? 'str' : got} \`${text}\` as a !!${tag}`, pos);
}

const BOOLS = new Map<string, boolean>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS.set(s, false);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ['.nan', NaN],
  ['.NaN', NaN],
  ['.NAN', NaN],
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['.INF', Infinity],
  ['+.inf', Infinity],
  ['+.Inf', Infinity],
  ['+.INF', Infinity],
  ['-.inf', -Infinity],
  ['-.Inf', -Infinity],
  ['-.INF', -Infinity],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function resolveImplicit(text: string, pos: Position): YamlNode {
  const bool = BOOLS.get(text);
  if (bool !== undefined) return { kind: 'bool', value: bool, pos };
  if (NULLS.has(text)) return { kind: 'null', pos };
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return { kind: 'float', value: special, pos };
  const first = text[0] ?? '';
  if (first === '.') {
    const f = goParseFloat(text);
    if (f !== undefined) return { kind: 'float', value: f, pos };
  } else if (/[-+0-9]/.test(first)) {
    // Timestamps stay strings when decoded into interface{} (go-yaml v2 decode.go).
    if (isTimestamp(text)) return { kind: 'string', value: text, pos };
    const plain = text.replaceAll('_', '');
    const int = goParseInt(plain);
    if (int !== undefined) return { kind: 'int', value: int, pos };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f, pos };
    }
    if (plain.startsWith('-0b')) {
      const b = goParseInt(`-0b${plain.slice(3)}`);
      if (b !== undefined) return { kind: 'int', value: b, pos };
    }
  }
  return { kind: 'string', value: text, pos };
}

/**
 * strconv.ParseInt(s, 0, 64), falling back to ParseUint for values above int64: base prefixes
 * 0x, 0o, 0b and a bare leading 0 for octal.
 */
function goParseInt(s: string): bigint | undefined {
  let rest = s;
  let negative = false;
  if (rest.startsWith('+') || rest.startsWith('-')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  let base = 10;
  if (rest.length > 1 && rest[0] === '0') {
    const p = rest[1]?.toLowerCase();
    if (p === 'x') [base, rest] = [16, rest.slice(2)];
    else if (p === 'b') [base, rest] = [2, rest.slice(2)];
    else if (p === 'o') [base, rest] = [8, rest.slice(2)];
    else [base, rest] = [8, rest.slice(1)];
  }
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(rest)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const magnitude = BigInt(prefix + rest);
  const value = negative ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  // ParseUint accepts no sign at all.
  if (!negative && !s.startsWith('+') && value <= UINT64_MAX) return value;
  return undefined;
}

/** strconv.ParseFloat(s, 64) for the decimal forms YAML produces; out of range is an error. */
function goParseFloat(s: string): number | undefined {
  // `\d+(?:\.\d*)?`, never `\d+\.?\d*`: two adjacent runs of digits backtrack quadratically on a
  // long number that fails at its end.
  if (!/^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return undefined;
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

const TIMESTAMP_FORMATS: RegExp[] = [
  // 2006-1-2T15:4:5.999999999Z07:00 (and lower-case t)
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  // 2006-1-2 15:4:5.999999999
  /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
  // 2006-1-2
  /^\d{4}-\d{1,2}-\d{1,2}$/,
];

/** go-yaml v2 parseTimestamp: the accepted layouts, with time.Parse's range checks. */
export function isTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  if (!TIMESTAMP_FORMATS.some((re) => re.test(s))) return false;
  const [date = '', time = ''] = s.split(/[Tt ]/);
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (time) {
    const clock = time.replace(/(Z|[+-]\d{2}:\d{2})$/, '');
    const [h = 0, m = 0, sec = 0] = clock.split(':').map((x) => Number.parseFloat(x));
    if (h > 23 || m > 59 || sec >= 60) return false;
  }
  return true;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
