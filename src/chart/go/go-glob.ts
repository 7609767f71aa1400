/**
 * Go's `path/filepath.Match` on Unix, which `.helmignore` rules are evaluated with
 * (../shared/spec/helm-oci.md §1.3): `*` and `?` never match `/`, classes `[...]` negated with
 * `[^...]`, `\` escapes, no `**`, no braces. Works on UTF-8 bytes as Go does, so that
 * multi-byte names behave exactly like Helm's.
 */

const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
const BACKSLASH = 0x5c;

export class GlobSyntaxError extends Error {
  constructor() {
    super('syntax error in pattern');
    this.name = 'GlobSyntaxError';
  }
}

/** Reports whether name matches the shell pattern; throws GlobSyntaxError for a malformed pattern. */
export function goMatch(pattern: string, name: string): boolean {
  return matchBytes(Buffer.from(pattern, 'utf8'), Buffer.from(name, 'utf8'));
}

/** goMatch on UTF-8 bytes encoded once, for a pattern tried against many names. */
export function goMatchBytes(pattern: Buffer, name: Buffer): boolean {
  return matchBytes(pattern, name);
}

/**
 * The longest run of bytes the pattern matches literally (outside `*`, `?` and classes, escapes
 * resolved). Every name the pattern matches holds it: a name without it needs no matching.
 */
export function longestLiteral(pattern: Buffer): Buffer {
  let best: number[] = [];
  let run: number[] = [];
  const end = () => {
    if (run.length > best.length) best = run;
    run = [];
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as number;
    if (c === BACKSLASH && i + 1 < pattern.length) {
      run.push(pattern[++i] as number);
    } else if (c === STAR || c === QUESTION) {
      end();
    } else if (c === OPEN) {
      end();
      // Skip the class to its closing bracket; a `]` first in it (after `^`) is a member.
      let j = i + 1;
      if (pattern[j] === CARET) j++;
      if (pattern[j] === CLOSE) j++;
      while (j < pattern.length && pattern[j] !== CLOSE) j += pattern[j] === BACKSLASH ? 2 : 1;
      i = j;
    } else {
      run.push(c);
    }
  }
  end();
  return Buffer.from(best);
}

/** Whether the pattern has no `*`, `?`, `[` or `\`: it then matches exactly the name it spells. */
export function isLiteralGlob(pattern: string): boolean {
  return !/[*?[\\]/.test(pattern);
}

/** Throws GlobSyntaxError when the pattern is malformed (Helm test-compiles every rule). */
export function checkGlob(pattern: string): void {
  goMatch(pattern, 'abc');
}

function matchBytes(pattern: Buffer, name: Buffer): boolean {
  let p = pattern;
  let n = name;
  pattern: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) {
      // A trailing star matches the rest of the name unless it crosses a separator.
      return !n.includes(SLASH);
    }
    const here = matchChunk(chunk, n);
    if (here !== undefined && (here.length === 0 || p.length > 0)) {
      n = here;
      continue;
    }
    if (star) {
      // Let the star swallow i+1 bytes, never a separator.
      for (let i = 0; i < n.length && n[i] !== SLASH; i++) {
        const t = matchChunk(chunk, n.subarray(i + 1));
        if (t !== undefined) {
          if (p.length === 0 && t.length > 0) continue;
          n = t;
          continue pattern;
        }
      }
    }
    // Go reports a malformed remainder even when the match already failed.
    while (p.length > 0) {
      const next = scanChunk(p);
      p = next.rest;
      matchChunk(next.chunk, Buffer.alloc(0));
    }
    return false;
  }
  return n.length === 0;
}

function scanChunk(pattern: Buffer): { star: boolean; chunk: Buffer; rest: Buffer } {
  let start = 0;
  let star = false;
  while (start < pattern.length && pattern[start] === STAR) {
    start++;
    star = true;
  }
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case BACKSLASH:
        if (i + 1 < pattern.length) i++;
        break;
      case OPEN:
        inRange = true;
        break;
      case CLOSE:
        inRange = false;
        break;
      case STAR:
        if (!inRange) break scan;
        break;
    }
  }
  return { star, chunk: pattern.subarray(start, i), rest: pattern.subarray(i) };
}

/**
 * Matches chunk against the start of s and returns the unmatched rest, or undefined.
 * Like Go, it keeps scanning the chunk after a failed match so that syntax errors surface.
 */
function matchChunk(chunkIn: Buffer, sIn: Buffer): Buffer | undefined {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === OPEN) {
      let r = 0;
      if (!failed) {
        const decoded = decodeRune(s);
        r = decoded.rune;
        s = s.subarray(decoded.size);
      }
      chunk = chunk.subarray(1);
      let negated = false;
      if (chunk.length > 0 && chunk[0] === CARET) {
        negated = true;
        chunk = chunk.subarray(1);
      }
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === CLOSE && ranges > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        const lo = getEscaped(chunk);
        chunk = lo.rest;
        let hi = lo.rune;
        if (chunk[0] === DASH) {
          const high = getEscaped(chunk.subarray(1));
          chunk = high.rest;
          hi = high.rune;
        }
        if (lo.rune <= r && r <= hi) matched = true;
        ranges++;
      }
      if (matched === negated) failed = true;
    } else if (c === QUESTION) {
      if (!failed) {
        if (s[0] === SLASH) failed = true;
        s = s.subarray(decodeRune(s).size);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === BACKSLASH) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw new GlobSyntaxError();
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? undefined : s;
}

function getEscaped(chunkIn: Buffer): { rune: number; rest: Buffer } {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === DASH || chunk[0] === CLOSE) throw new GlobSyntaxError();
  if (chunk[0] === BACKSLASH) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw new GlobSyntaxError();
  }
  const { rune, size, invalid } = decodeRune(chunk);
  const rest = chunk.subarray(size);
  if (invalid || rest.length === 0) throw new GlobSyntaxError();
  return { rune, rest };
}

/** utf8.DecodeRuneInString: an invalid or truncated sequence is U+FFFD of size 1. */
function decodeRune(b: Buffer): { rune: number; size: number; invalid: boolean } {
  const b0 = b[0];
  if (b0 === undefined) return { rune: 0xfffd, size: 0, invalid: true };
  if (b0 < 0x80) return { rune: b0, size: 1, invalid: false };
  const need = b0 >= 0xf0 && b0 <= 0xf4 ? 3 : b0 >= 0xe0 ? 2 : b0 >= 0xc2 && b0 < 0xe0 ? 1 : -1;
  if (need < 0 || b.length <= need) return { rune: 0xfffd, size: 1, invalid: true };
  let rune = b0 & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
  for (let k = 1; k <= need; k++) {
    const cont = b[k] ?? 0;
    if ((cont & 0xc0) !== 0x80) return { rune: 0xfffd, size: 1, invalid: true };
    rune = (rune << 6) | (cont & 0x3f);
  }
  const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) {
    return { rune: 0xfffd, size: 1, invalid: true };
  }
  return { rune, size: need + 1, invalid: false };
}
