/**
 * File names as bytes. Linux file names are bytes, not text; Helm (Go) walks and archives them
 * as they are, so a name that is not valid UTF-8 is packaged with its raw bytes in the tar
 * header. Node decodes names as UTF-8 and replaces invalid bytes, after which the file cannot
 * even be opened. Names here are strings in which each byte that is not part of valid UTF-8 is
 * kept as one lone surrogate U+DC80–U+DCFF (Python's "surrogateescape"): the string works with
 * every path and ignore-rule operation, and converts back to the exact bytes at the edges (file
 * system calls, tar headers).
 */

const ESCAPE_BASE = 0xdc00;

/** A directory entry's bytes as a name string; valid UTF-8 decodes as usual. */
export function decodeRawName(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length > 0) {
      out += bytes.subarray(i, i + length).toString('utf8');
      i += length;
    } else {
      out += String.fromCharCode(ESCAPE_BASE + (bytes[i] as number));
      i += 1;
    }
  }
  return out;
}

/** The bytes a name stands for. */
export function encodeRawName(name: string): Buffer {
  if (!hasEscapes(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const high = i > 0 ? name.charCodeAt(i - 1) : 0;
    if (c >= 0xdc80 && c <= 0xdcff && !(high >= 0xd800 && high <= 0xdbff)) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - ESCAPE_BASE]));
      run = '';
    } else {
      run += name[i];
    }
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** A path for a file-system call: the string itself, or its bytes when it holds raw bytes. */
export function fsPath(path: string): string | Buffer {
  return hasEscapes(path) ? encodeRawName(path) : path;
}

/** Byte order of the names as stored (Go compares strings bytewise). */
export function compareRawNames(a: string, b: string): number {
  return Buffer.compare(encodeRawName(a), encodeRawName(b));
}

function hasEscapes(name: string): boolean {
  return /[\udc80-\udcff]/.test(name);
}

/**
 * Length of the valid UTF-8 sequence starting at i, or 0 if the byte there starts none (as Go's
 * utf8.DecodeRune judges: no overlong forms, surrogates or code points above U+10FFFF).
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
  if (need < 0) return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
  }
  const c1 = bytes[i + 1] ?? 0;
  if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return 0;
  return need + 1;
}
