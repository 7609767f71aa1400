import { unicodeClass } from './go-text.js';
import { isTimestamp, resolveScalar } from './yaml-decode.js';
import { trimTrailing } from '../../shared/trim.js';

/**
 * A YAML writer that produces the bytes go-yaml v2's `yaml.Marshal` produces for the values
 * Helm serialises (Chart.yaml, Chart.lock, the .prov body; ../shared/spec/helm-oci.md §1.10):
 * map keys sorted with go-yaml's key order, 2-space indentation, sequences not indented under
 * their key, plain scalars unless they would resolve to another type (then double-quoted) or
 * cannot be plain (then single-quoted), multi-line strings as literal blocks, and long scalars
 * folded at a space once the line passes column 80 (go-yaml v2 keeps its default width).
 * Byte equality here decides the .tgz digest, the .prov and the OCI digests.
 */

/** An integer as go-yaml sees one (from JSON numbers inside import-values). */
export class GoInt {
  constructor(readonly value: bigint) {}
}
/** A float64 as go-yaml sees one. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type GoValue = null | boolean | string | GoInt | GoFloat | GoValue[] | Map<string, GoValue>;

/** yaml.Marshal(value) as go-yaml v2 writes it. */
export function marshalYaml(value: GoValue): string {
  const events: Event[] = [];
  toEvents(value, events);
  return new Emitter(events).run();
}

// ---------------------------------------------------------------------------------------------
// Encoder: Go values → events (go-yaml v2 encode.go)

type Style = 'plain' | 'single' | 'double' | 'literal';

type Event =
  | { type: 'scalar'; value: Buffer; style: Style }
  | { type: 'seq-start' }
  | { type: 'seq-end' }
  | { type: 'map-start' }
  | { type: 'map-end' };

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function toEvents(value: GoValue, out: Event[]): void {
  if (value === null) {
    out.push(scalar('null', 'plain'));
  } else if (typeof value === 'boolean') {
    out.push(scalar(value ? 'true' : 'false', 'plain'));
  } else if (typeof value === 'string') {
    out.push(stringEvent(value));
  } else if (value instanceof GoInt) {
    out.push(scalar(value.value.toString(), 'plain'));
  } else if (value instanceof GoFloat) {
    out.push(scalar(formatFloat64(value.value), 'plain'));
  } else if (Array.isArray(value)) {
    out.push({ type: 'seq-start' });
    for (const item of value) toEvents(item, out);
    out.push({ type: 'seq-end' });
  } else {
    out.push({ type: 'map-start' });
    for (const key of [...value.keys()].sort(compareKeys)) {
      out.push(stringEvent(key));
      toEvents(value.get(key) as GoValue, out);
    }
    out.push({ type: 'map-end' });
  }
}

function scalar(text: string, style: Style): Event {
  return { type: 'scalar', value: Buffer.from(text, 'utf8'), style };
}

/** encoder.stringv: quote a string that would read back as another type. */
function stringEvent(s: string): Event {
  if (s.includes('\n')) return scalar(s, 'literal');
  const resolved = resolveScalar(s, '', { line: 0, column: 0 });
  const plainReadsBack = resolved.kind === 'string' && !isTimestamp(s) && !isBase60Float(s);
  return scalar(s, plainReadsBack ? 'plain' : 'double');
}

function isBase60Float(s: string): boolean {
  const c = s[0];
  if (c === undefined || !(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** strconv.FormatFloat(f, 'g', -1, 64) with YAML's spellings of the specials. */
function formatFloat64(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  return goFormatG(
    f,
    shortestDigits(f, 17, (x) => x),
  );
}

/**
 * strconv.FormatFloat(f, 'g', -1, 32): what sigs.k8s.io/yaml does when a YAML float lands in a
 * string field (`version: 1.10` becomes "1.1").
 */
export function formatFloat32(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  const v = Math.fround(f);
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return goFormatG(v, shortestDigits(v, 9, Math.fround));
}

/** Shortest decimal digits (and decimal exponent) that round-trip at the given precision. */
function shortestDigits(v: number, maxDigits: number, round: (x: number) => number): { digits: string; exp: number } {
  if (v === 0) return { digits: '0', exp: 1 };
  for (let p = 1; p <= maxDigits; p++) {
    const text = Math.abs(v).toExponential(p - 1);
    if (round(Number(text)) === Math.abs(v)) {
      const [mantissa = '', e = '0'] = text.split('e');
      const digits = trimTrailing(mantissa.replace('.', ''), '0') || '0';
      return { digits, exp: Number(e) + 1 };
    }
  }
  const text = Math.abs(v).toExponential(maxDigits - 1);
  const [mantissa = '', e = '0'] = text.split('e');
  return { digits: trimTrailing(mantissa.replace('.', ''), '0') || '0', exp: Number(e) + 1 };
}

/**
 * strconv's 'g' layout at shortest precision (strconv/ftoa.go): %e when the decimal exponent
 * is below -4 or at least 6 (shortest formatting decides with precision 6), else %f.
 */
function goFormatG(v: number, { digits, exp }: { digits: string; exp: number }): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const x = exp - 1;
  if (x < -4 || x >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(x)).padStart(2, '0');
    return `${sign}${mantissa}e${x < 0 ? '-' : '+'}${magnitude}`;
  }
  if (exp <= 0) return `${sign}0.${'0'.repeat(-exp)}${digits}`;
  if (exp >= digits.length) return `${sign}${digits}${'0'.repeat(exp - digits.length)}`;
  return `${sign}${digits.slice(0, exp)}.${digits.slice(exp)}`;
}

/**
 * go-yaml v2 keyList.Less for string keys: letters compare by code point, a non-letter sorts
 * before a letter, and runs of digits compare numerically.
 */
function compareKeys(a: string, b: string): number {
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
}

const LETTER = unicodeClass(String.raw`\p{L}`);
const DIGIT = unicodeClass(String.raw`\p{Nd}`);

/** unicode.IsLetter; ASCII answered without the Unicode tables the regular expression compiles. */
function isLetter(c: string): boolean {
  if (c < '\x80') return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return LETTER().test(c);
}

/** unicode.IsDigit, likewise. */
function isDigit(c: string): boolean {
  if (c < '\x80') return c >= '0' && c <= '9';
  return DIGIT().test(c);
}

function keyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10n + BigInt(digitValue(ar[ai] as string));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10n + BigInt(digitValue(br[bi] as string));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

/** Go computes `rune - '0'`, even for non-ASCII digits. */
function digitValue(ch: string): number {
  return (ch.codePointAt(0) as number) - 0x30;
}

// ---------------------------------------------------------------------------------------------
// Emitter: events → text (libyaml's emitter as ported in go-yaml v2 emitterc.go)

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

type State =
  | 'document-start'
  | 'document-content'
  | 'document-end'
  | 'flow-seq-first'
  | 'flow-seq-item'
  | 'flow-map-first'
  | 'flow-map-key'
  | 'flow-map-simple-value'
  | 'flow-map-value'
  | 'block-seq-first'
  | 'block-seq-item'
  | 'block-map-first'
  | 'block-map-key'
  | 'block-map-simple-value'
  | 'block-map-value'
  | 'end';

interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

class Emitter {
  private readonly out: Buffer[] = [];
  private pending: number[] = [];
  private head = 0;
  private state: State = 'document-start';
  private readonly states: State[] = [];
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private column = 0;
  private whitespace = true;
  private indention = true;
  private openEnded = false;
  private rootContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;
  private analysis: ScalarAnalysis | undefined;
  private scalarStyle: Style = 'plain';

  constructor(private readonly events: Event[]) {}

  run(): string {
    // Document start (implicit): no "---".
    this.state = 'document-content';
    while (this.head < this.events.length) {
      const event = this.events[this.head] as Event;
      this.analysis = event.type === 'scalar' ? analyzeScalar(event.value) : undefined;
      this.dispatch(event);
      this.head++;
    }
    // Document end (implicit): finish the last line.
    this.writeIndent();
    if (this.openEnded) {
      // Stream end after an open-ended document (a root plain scalar, or a `|+` block).
      this.writeIndicator('...', true, false, false);
      this.writeIndent();
    }
    this.flushPending();
    return Buffer.concat(this.out).toString('utf8');
  }

  private dispatch(event: Event): void {
    switch (this.state) {
      case 'document-content':
        this.states.push('document-end');
        this.emitNode(event, true, false, false, false);
        return;
      case 'flow-seq-first':
        this.emitFlowSequenceItem(event, true);
        return;
      case 'flow-seq-item':
        this.emitFlowSequenceItem(event, false);
        return;
      case 'flow-map-first':
        this.emitFlowMappingKey(event, true);
        return;
      case 'flow-map-key':
        this.emitFlowMappingKey(event, false);
        return;
      case 'flow-map-simple-value':
        this.emitFlowMappingValue(event, true);
        return;
      case 'flow-map-value':
        this.emitFlowMappingValue(event, false);
        return;
      case 'block-seq-first':
        this.emitBlockSequenceItem(event, true);
        return;
      case 'block-seq-item':
        this.emitBlockSequenceItem(event, false);
        return;
      case 'block-map-first':
        this.emitBlockMappingKey(event, true);
        return;
      case 'block-map-key':
        this.emitBlockMappingKey(event, false);
        return;
      case 'block-map-simple-value':
        this.emitBlockMappingValue(event, true);
        return;
      case 'block-map-value':
        this.emitBlockMappingValue(event, false);
        return;
      default:
        throw new Error(`YAML emitter: unexpected event in state ${this.state}`);
    }
  }

  private popState(): void {
    this.state = this.states.pop() ?? 'end';
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private emitFlowSequenceItem(event: Event, first: boolean): void {
    if (first) {
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (event.type === 'seq-end') {
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator(']', false, false, false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false, false, false);
    if (this.column > BEST_WIDTH) this.writeIndent();
    this.states.push('flow-seq-item');
    this.emitNode(event, false, true, false, false);
  }

  private emitFlowMappingKey(event: Event, first: boolean): void {
    if (first) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (event.type === 'map-end') {
      this.flowLevel--;
      this.popIndent();
      this.writeIndicator('}', false, false, false);
      this.popState();
      return;
    }
    if (!first) this.writeIndicator(',', false, false, false);
    if (this.column > BEST_WIDTH) this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('flow-map-simple-value');
      this.emitNode(event, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, false);
    this.states.push('flow-map-value');
    this.emitNode(event, false, false, true, false);
  }

  private emitFlowMappingValue(event: Event, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.writeIndicator(':', true, false, false);
    }
    this.states.push('flow-map-key');
    this.emitNode(event, false, false, true, false);
  }

  private emitBlockSequenceItem(event: Event, first: boolean): void {
    if (first) this.increaseIndent(false, this.mappingContext && !this.indention);
    if (event.type === 'seq-end') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    this.writeIndicator('-', true, false, true);
    this.states.push('block-seq-item');
    this.emitNode(event, false, true, false, false);
  }

  private emitBlockMappingKey(event: Event, first: boolean): void {
    if (first) this.increaseIndent(false, false);
    if (event.type === 'map-end') {
      this.popIndent();
      this.popState();
      return;
    }
    this.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('block-map-simple-value');
      this.emitNode(event, false, false, true, true);
      return;
    }
    this.writeIndicator('?', true, false, true);
    this.states.push('block-map-value');
    this.emitNode(event, false, false, true, false);
  }

  private emitBlockMappingValue(event: Event, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false);
    } else {
      this.writeIndent();
      this.writeIndicator(':', true, false, true);
    }
    this.states.push('block-map-key');
    this.emitNode(event, false, false, true, false);
  }

  // The sequence context is part of libyaml's emitter signature, but nothing it writes depends on it.
  private emitNode(event: Event, root: boolean, _sequence: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (event.type) {
      case 'scalar':
        this.emitScalar(event);
        return;
      case 'seq-start':
        this.state = this.flowLevel > 0 || this.nextIs('seq-end') ? 'flow-seq-first' : 'block-seq-first';
        return;
      case 'map-start':
        this.state = this.flowLevel > 0 || this.nextIs('map-end') ? 'flow-map-first' : 'block-map-first';
        return;
      default:
        throw new Error(`YAML emitter: unexpected ${event.type}`);
    }
  }

  /** The collection that starts at the current event is empty. */
  private nextIs(type: Event['type']): boolean {
    return this.events[this.head + 1]?.type === type;
  }

  private checkSimpleKey(): boolean {
    const event = this.events[this.head] as Event;
    if (event.type === 'scalar') {
      if (this.analysis?.multiline) return false;
      return event.value.length <= 128;
    }
    if (event.type === 'seq-start') return this.nextIs('seq-end');
    if (event.type === 'map-start') return this.nextIs('map-end');
    return false;
  }

  private emitScalar(event: Extract<Event, { type: 'scalar' }>): void {
    this.selectScalarStyle(event);
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    switch (this.scalarStyle) {
      case 'plain':
        this.writePlain(event.value, allowBreaks);
        break;
      case 'single':
        this.writeSingleQuoted(event.value, allowBreaks);
        break;
      case 'double':
        this.writeDoubleQuoted(event.value, allowBreaks);
        break;
      case 'literal':
        this.writeLiteral(event.value);
        break;
    }
    this.popIndent();
    this.popState();
  }

  private selectScalarStyle(event: Extract<Event, { type: 'scalar' }>): void {
    const a = this.analysis as ScalarAnalysis;
    let style = event.style;
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) {
        style = 'single';
      }
      if (event.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    this.scalarStyle = style;
  }

  // -- writers ---------------------------------------------------------------------------------

  private put(byte: number): void {
    this.pending.push(byte);
    this.column++;
  }

  private putBreak(): void {
    this.pending.push(0x0a);
    this.column = 0;
  }

  /** Copies one UTF-8 character; the column advances by one character. */
  private write(s: Buffer, i: number): number {
    const w = width(s[i] as number);
    for (let k = 0; k < w; k++) this.pending.push(s[i + k] as number);
    this.column++;
    return i + w;
  }

  private writeAll(text: string): void {
    const b = Buffer.from(text, 'utf8');
    for (let i = 0; i < b.length;) i = this.write(b, i);
  }

  private writeBreak(s: Buffer, i: number): number {
    if (s[i] === 0x0a) {
      this.putBreak();
      return i + 1;
    }
    const next = this.write(s, i);
    this.column = 0;
    return next;
  }

  private flushPending(): void {
    if (this.pending.length > 0) {
      this.out.push(Buffer.from(this.pending));
      this.pending = [];
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(0x20);
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(0x20);
    this.writeAll(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }

  private writePlain(value: Buffer, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(0x20);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length;) {
      if (value[i] === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && value[i + 1] !== 0x20) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && value[i] === 0x0a) this.putBreak();
        i = this.writeBreak(value, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
    if (this.rootContext) this.openEnded = true;
  }

  private writeSingleQuoted(value: Buffer, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length;) {
      if (value[i] === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1 && value[i + 1] !== 0x20) {
          this.writeIndent();
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else if (isBreak(value, i)) {
        if (!breaks && value[i] === 0x0a) this.putBreak();
        i = this.writeBreak(value, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (value[i] === 0x27) this.put(0x27);
        i = this.write(value, i);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: Buffer, allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < value.length;) {
      const c = value[i] as number;
      if (!isPrintable(value, i) || isBom(value) || isBreak(value, i) || c === 0x22 || c === 0x5c) {
        const w = width(c);
        let v = w === 1 ? c & 0x7f : w === 2 ? c & 0x1f : w === 3 ? c & 0x0f : c & 0x07;
        for (let k = 1; k < w; k++) v = (v << 6) + ((value[i + k] as number) & 0x3f);
        i += w;
        this.put(0x5c);
        const short = ESCAPES.get(v);
        if (short !== undefined) {
          this.put(short.charCodeAt(0));
        } else {
          const [letter, digits] = v <= 0xff ? ['x', 2] : v <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter.charCodeAt(0));
          for (const ch of v.toString(16).toUpperCase().padStart(digits, '0')) this.put(ch.charCodeAt(0));
        }
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (value[i + 1] === 0x20) this.put(0x5c);
          i += 1;
        } else {
          i = this.write(value, i);
        }
        spaces = true;
      } else {
        i = this.write(value, i);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: Buffer): void {
    this.writeIndicator('|', true, false, false);
    this.writeBlockScalarHints(value);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < value.length;) {
      if (isBreak(value, i)) {
        i = this.writeBreak(value, i);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        i = this.write(value, i);
        this.indention = false;
        breaks = false;
      }
    }
  }

  private writeBlockScalarHints(value: Buffer): void {
    if (value[0] === 0x20 || isBreak(value, 0)) this.writeIndicator(String(BEST_INDENT), false, false, false);
    this.openEnded = false;
    let chomp = '';
    if (value.length === 0) {
      chomp = '-';
    } else {
      let i = value.length - 1;
      while (((value[i] as number) & 0xc0) === 0x80) i--;
      if (!isBreak(value, i)) {
        chomp = '-';
      } else if (i === 0) {
        chomp = '+';
        this.openEnded = true;
      } else {
        i--;
        while (((value[i] as number) & 0xc0) === 0x80) i--;
        if (isBreak(value, i)) {
          chomp = '+';
          this.openEnded = true;
        }
      }
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
  }
}

const ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

/** Bytes in the UTF-8 sequence that starts with this byte. */
function width(b: number): number {
  if ((b & 0x80) === 0) return 1;
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 0;
}

function isBreak(b: Buffer, i: number): boolean {
  const c = b[i];
  return (
    c === 0x0d ||
    c === 0x0a ||
    (c === 0xc2 && b[i + 1] === 0x85) ||
    (c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9))
  );
}

/** go-yaml v2 is_printable: note that TAB and every 4-byte character count as non-printable. */
function isPrintable(b: Buffer, i: number): boolean {
  const c = b[i] as number;
  const c1 = b[i + 1] ?? 0;
  const c2 = b[i + 2] ?? 0;
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c === 0xc2 && c1 >= 0xa0) ||
    (c > 0xc2 && c < 0xed) ||
    (c === 0xed && c1 < 0xa0) ||
    c === 0xee ||
    (c === 0xef && !(c1 === 0xbb && c2 === 0xbf) && !(c1 === 0xbf && (c2 === 0xbe || c2 === 0xbf)))
  );
}

/** go-yaml v2 is_bom looks at the start of the value, whatever the index (a quirk kept as is). */
function isBom(b: Buffer): boolean {
  return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

function isBlank(b: Buffer, i: number): boolean {
  return b[i] === 0x20 || b[i] === 0x09;
}

function analyzeScalar(value: Buffer): ScalarAnalysis {
  if (value.length === 0) {
    return {
      multiline: false,
      flowPlainAllowed: false,
      blockPlainAllowed: true,
      singleQuotedAllowed: true,
      blockAllowed: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;

  const startsWith3 = (ch: number) => value.length >= 3 && value[0] === ch && value[1] === ch && value[2] === ch;
  if (startsWith3(0x2d) || startsWith3(0x2e)) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < value.length;) {
    const c = value[i] as number;
    const w = width(c);
    const followedByWhitespace = i + w >= value.length || isBlank(value, i + w);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(String.fromCharCode(c))) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === 0x3f || c === 0x3a) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === 0x2d && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (',?[]{}'.includes(String.fromCharCode(c))) {
      flowIndicators = true;
    } else if (c === 0x3a) {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === 0x23 && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }

    if (!isPrintable(value, i)) specialCharacters = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i + w === value.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(value, i)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + w === value.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(value, i) || isBreak(value, i) || c === 0;
    i += w || 1;
  }

  const a: ScalarAnalysis = {
    multiline: lineBreaks,
    flowPlainAllowed: true,
    blockPlainAllowed: true,
    singleQuotedAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}
