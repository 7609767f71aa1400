/** One challenge of a WWW-Authenticate header (RFC 9110 11.6.1). */
export interface Challenge {
  /** Lowercase scheme: `basic`, `bearer`, … */
  scheme: string;
  /** Parameters with lowercase names and unquoted values. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const PARAM = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*(.*)$/s;
const SCHEME_AND_REST = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+(.*)$/s;

/**
 * Parses `WWW-Authenticate` (RFC 9110 11.6.1): several challenges, each with a token68 or
 * comma-separated `name=value` parameters, values as tokens or quoted strings. Headers that
 * fetch joined with ", " parse the same way. Malformed pieces are skipped, never thrown on:
 * the caller decides what an unusable challenge means.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  for (const raw of splitTopLevel(header)) {
    const item = raw.trim();
    if (!item) continue;
    const param = PARAM.exec(item);
    // `name=value` continues the current challenge; `Scheme rest` or a bare `Scheme` opens one.
    if (param && current) {
      addParam(current, param[1] ?? '', param[2] ?? '');
      continue;
    }
    const opened = SCHEME_AND_REST.exec(item);
    if (opened) {
      current = { scheme: (opened[1] ?? '').toLowerCase(), params: {} };
      challenges.push(current);
      const rest = (opened[2] ?? '').trim();
      const first = PARAM.exec(rest);
      // `Basic dXNlcg==` is a token68, not a parameter named dXNlcg with the value "=".
      if (TOKEN68.test(rest) && !(first && /[^=]/.test(first[2] ?? ''))) current.token68 = rest;
      else if (first) addParam(current, first[1] ?? '', first[2] ?? '');
    } else if (TOKEN.test(item)) {
      current = { scheme: item.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

function addParam(challenge: Challenge, name: string, rawValue: string): void {
  const value = rawValue.trim();
  const parsed = value.startsWith('"') ? unquote(value) : value;
  // Unquoted values should be tokens; servers that write a bare URL are accepted too.
  if (parsed === undefined || (!value.startsWith('"') && !/^[^\s"]+$/.test(value))) return;
  challenge.params[name.toLowerCase()] = parsed;
}

/** The content of a quoted-string (RFC 9110 5.6.4), undefined when it is not one. */
function unquote(value: string): string | undefined {
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') {
      i++;
      out += value[i] ?? '';
    } else if (ch === '"') {
      return value.slice(i + 1).trim() === '' ? out : undefined;
    } else {
      out += ch;
    }
  }
  return undefined;
}

/** Splits on commas that are outside quoted strings. */
function splitTopLevel(header: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      parts.push(header.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(header.slice(start));
  return parts;
}
