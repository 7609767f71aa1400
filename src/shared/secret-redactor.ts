import { trimTrailing } from './trim.js';
/**
 * The one place that knows the run's secrets and removes them from text before it reaches the
 * log, an annotation, the outputs or the job summary. The runner's own masking matches exact
 * values line by line; this also catches the forms secrets take in error text from Node, git,
 * helpers and servers: credentials in URLs (`https://user:pass@host`), percent- and
 * JSON-escaped copies, base64 encodings (`Basic dXNlcjpwYXNz`), and Authorization header values.
 *
 * State is process-wide on purpose: a secret registered by any Logger (through mask()) must be
 * removed from every message, including errors rendered far from where the secret was read.
 */

const REDACTED = '***';

/** Shorter values would turn ordinary words into `***`; the runner still masks them exactly. */
const MIN_SECRET_LENGTH = 3;

const secrets = new Set<string>();
/** Longest first, so that a secret containing another is removed whole. */
let ordered: string[] = [];

/** Registers a secret (and its escaped and encoded forms) to be removed from every message. */
export function registerSecret(secret: string): void {
  let added = false;
  for (const form of secretForms(secret)) {
    if (form.length >= MIN_SECRET_LENGTH && !secrets.has(form)) {
      secrets.add(form);
      added = true;
    }
  }
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * The forms a secret takes when a server or a tool echoes it back: trimmed; percent-encoded
 * (upper- and lower-case hex, and as a form field); inside a JSON string as JavaScript, Go
 * (`<`, `>`, `&` as \u003c…, the escaping Go servers apply) and PHP (`\/`) write it; in HTML
 * (entities); and base64 (decoded separately below, for any offset).
 */
function secretForms(secret: string): Set<string> {
  const forms = new Set([secret, secret.trim()]);
  const percent = encodeURIComponent(secret);
  forms.add(percent).add(percent.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  const json = JSON.stringify(secret).slice(1, -1);
  const goJson = json.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const form of [json, goJson]) forms.add(form).add(form.replaceAll('/', '\\/'));
  const html = secret.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  forms.add(html).add(html.replaceAll('"', '&quot;').replaceAll("'", '&#39;')).add(html.replaceAll('"', '&#34;').replaceAll("'", '&#x27;'));
  forms.add(trimTrailing(Buffer.from(secret).toString('base64'), '='));
  return forms;
}

/**
 * At most `max` characters of text that may hold a secret, the secrets removed first: a cut
 * through a secret leaves a piece that no rule here recognises and the runner cannot mask.
 */
export function shortenRedacted(text: string, max: number): string {
  const clean = redactSecrets(text);
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
}

/** Forgets every registered secret; for tests that need a clean slate. */
export function clearSecrets(): void {
  secrets.clear();
  ordered = [];
}

/**
 * `scheme://user:password@` and `scheme://token@` in URLs: the userinfo goes, the host stays.
 * The scheme is at most 32 characters: unbounded, the pattern tried from every word boundary of
 * a text like `a.a.a.a…` runs to its end each time (quadratic: 80 KB took 9 s).
 */
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]{0,31}:\/\/)[^\s/?#@'"<>`]+@/g;
/**
 * Authorization header values (RFC 7617 Basic, RFC 6750 Bearer) in server bodies and error
 * text. A credential holds a digit or a base64/JWT symbol: "Basic credentials" is prose.
 */
const AUTH_SCHEME = /\b(Basic|Bearer)(\s+)(?=[A-Za-z0-9._~+/-]*[0-9+/=.])[A-Za-z0-9._~+/-]{8,}=*/g;
/** Base64 runs long enough to hold `user:password`; decoded to look for a registered secret. */
const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

/** Removes every registered secret and every credential-shaped substring from text. */
export function redactSecrets(text: string): string {
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`);
  out = out.replace(AUTH_SCHEME, (_match, scheme: string, separator: string) => `${scheme}${separator}${REDACTED}`);
  return redactRegistered(out);
}

/**
 * True when text holds a registered secret (in any of its forms) once all its whitespace is
 * gone. A server that wraps long lines splits an echoed secret, or its base64, into pieces that
 * no rule here recognises and the runner's masking (exact values, line by line) misses; joined
 * by a space they can be read back. Such text is not to be quoted at all.
 */
export function holdsSplitSecret(text: string): boolean {
  const joined = text.replace(/\s+/g, '');
  return redactRegistered(joined) !== joined;
}

function redactRegistered(text: string): string {
  if (ordered.length === 0) return text;
  let out = text;
  for (const secret of ordered) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  // base64 of `user:password` (or of anything holding a secret) that no rule above matched.
  return out.replace(BASE64_RUN, (run) => (containsSecret(decodeBase64(run)) ? REDACTED : run));
}

function decodeBase64(run: string): string {
  return Buffer.from(run.replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('latin1');
}

function containsSecret(text: string): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}
