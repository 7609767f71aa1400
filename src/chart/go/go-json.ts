/**
 * A JSON string as Go's encoding/json writes it (escapeHTML on, as json.Marshal does):
 * `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX / \u20XX, \b \f \n \r \t short forms,
 * other control characters as \u00XX with lowercase hex, lone surrogates as U+FFFD.
 * Helm's OCI config blob is encoding/json output (../shared/spec/helm-oci.md §3.2).
 */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s.toWellFormed()) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
    }
    if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}
