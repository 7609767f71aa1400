/**
 * Go's unicode.IsSpace / unicode.IsPrint and the helpers Helm builds on them. JavaScript's
 * `\s` differs (it includes U+FEFF and lacks U+0085), so the classes are spelled out.
 */

const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE = new RegExp(`[${GO_SPACE}]`, 'u');
/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINT = unicodeClass(String.raw`[\p{L}\p{M}\p{N}\p{P}\p{S} ]`);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A regular expression over Unicode properties (`\p{L}`), built on its first use. Written as a
 * literal, V8 expands the property tables when it parses the bundle and again when the line
 * runs (about 2 ms of every start for this file's class alone), although nearly every run
 * meets only ASCII, which the callers answer without it.
 */
export function unicodeClass(source: string): () => RegExp {
  let built: RegExp | undefined;
  return () => (built ??= new RegExp(source, 'u'));
}

function goIsSpace(ch: string): boolean {
  return SPACE.test(ch);
}

function goIsPrint(ch: string): boolean {
  return PRINT().test(ch);
}

/**
 * strings.TrimSpace. A loop, not `/^\s+|\s+$/`: that regex is quadratic on a long run of spaces
 * in the middle of a line (a .helmignore line of 60,000 spaces between two letters took seconds).
 */
export function goTrimSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && goIsSpace(s.charAt(start))) start++;
  while (end > start && goIsSpace(s.charAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Helm's sanitizeString (pkg/chart/v2/metadata.go, ../shared/spec/helm-oci.md §1.6): every
 * Unicode space becomes " ", every other non-printable character is dropped.
 */
export function sanitizeString(s: string): string {
  // Printable ASCII is kept as it is, without the Unicode tables PRINT compiles on first use
  // (about 2 ms of a start, for metadata that is nearly always ASCII).
  if (PRINTABLE_ASCII.test(s)) return s;
  let out = '';
  for (const ch of s) {
    if (goIsSpace(ch)) out += ' ';
    else if (goIsPrint(ch)) out += ch;
  }
  return out;
}
