import { trimTrailing } from '../shared/trim.js';
/**
 * OpenPGP clear-signed framing (RFC 4880 §7) written and read the way Helm's OpenPGP library
 * does: ProtonMail/go-crypto `openpgp/clearsign`, used by Helm ≥ 3.21.4 and Helm 4
 * (../shared/spec/helm-oci.md §2.2). openpgp.js makes the signature packet; the framing is done
 * here because openpgp.js writes CRLF bodies, 60-column armor and would need post-editing anyway
 * (../shared/spec/registry-testbed.md §4), while this way every byte is decided in one place.
 */

/** RFC 4880 §7 and §6.2 markers, as go-crypto writes and expects them (§2.2). */
const BEGIN_SIGNED = '-----BEGIN PGP SIGNED MESSAGE-----';
const BEGIN_SIGNATURE = '-----BEGIN PGP SIGNATURE-----';
const END_SIGNATURE = '-----END PGP SIGNATURE-----';

/** go-crypto armor writes 64 base64 characters per line (§2.2; armor/encode.go). */
const ARMOR_LINE_LENGTH = 64;

/**
 * The only cleartext header go-crypto's Decode accepts is `Hash`, with one of these values;
 * anything else makes Helm report "signature block not found" (§2.2).
 */
const ALLOWED_HASH_NAMES = ['MD5', 'SHA1', 'RIPEMD160', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA3-256', 'SHA3-512'];

/**
 * One message line as the signature sees it: trailing spaces, tabs and carriage returns are not
 * part of a clear-signed text (RFC 4880 §7.1; go-crypto's dashEscaper drops them).
 */
function canonicalLine(line: string): string {
  return trimTrailing(line, ' \t\r');
}

/**
 * The text a clear-signature covers: the canonical lines joined with CRLF. With go-crypto the
 * final newline of the message is part of it (§2.2, Helm ≥ 3.21.4), which is what makes the
 * empty line before `-----BEGIN PGP SIGNATURE-----`.
 */
export function signedText(message: string): string {
  return message.split('\n').map(canonicalLine).join('\r\n');
}

/**
 * The complete clear-signed document, byte for byte as go-crypto's `clearsign.Encode` writes it
 * (§2.2): the `Hash` header (go-crypto omits it for v6 signatures: pass undefined), an empty
 * line, the dash-escaped canonical lines, a newline, then the armored signature with no armor
 * headers (and no CRC-24 line unless GnuPG needs it, see armorSignature), ending with
 * `-----END PGP SIGNATURE-----` and no newline.
 */
export function formatClearsigned(message: string, signature: Uint8Array, hashName: string | undefined): string {
  const header = hashName === undefined ? '' : `Hash: ${hashName}\n`;
  const body = message
    .split('\n')
    .map(canonicalLine)
    .map((line) => (line.startsWith('-') ? `- ${line}` : line))
    .join('\n');
  return `${BEGIN_SIGNED}\n${header}\n${body}\n${armorSignature(signature)}`;
}

/**
 * The armored signature as go-crypto writes it (no headers, 64 columns, no CRC-24 line, §2.2),
 * with one exception: when the base64 ends without `=` padding, GnuPG 2.2 and 2.4 cannot find
 * the end of armor that has no CRC line (GnuPG bug T7071: they read `-----END…` as base64 and
 * `gpg --verify` fails; openpgp.js re-added the CRC for this reason, openpgpjs PR #1741). Then the
 * CRC line is written: RFC 4880 §6 allows it, and both of Helm's decoders accept it (Helm ≤ 3.21.3
 * wrote it always).
 */
function armorSignature(signature: Uint8Array): string {
  const base64 = Buffer.from(signature).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += ARMOR_LINE_LENGTH) lines.push(base64.slice(i, i + ARMOR_LINE_LENGTH));
  if (!base64.endsWith('=')) lines.push(`=${crc24Base64(signature)}`);
  return `${BEGIN_SIGNATURE}\n\n${lines.join('\n')}\n${END_SIGNATURE}`;
}

/** RFC 4880 §6.1 CRC-24 of the binary data, base64-encoded (4 characters). */
function crc24Base64(data: Uint8Array): string {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return Buffer.from([(crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
}

/** A decoded clear-signed block; the fields of go-crypto's `clearsign.Block`. */
export interface ClearsignedBlock {
  /** Values of the `Hash` header, upper-cased; unverified, as in go-crypto. */
  hashes: string[];
  /** The message: dash-escapes undone, trailing whitespace removed, LF line ends, no final LF. */
  plaintext: string;
  /** The bytes the signature covers: the same lines joined with CRLF. */
  signed: Uint8Array;
  /** The armored signature, from `-----BEGIN PGP SIGNATURE-----` to its end line. */
  armoredSignature: string;
}

/**
 * Finds the first clear-signed block, with go-crypto's `clearsign.Decode` rules (what Helm's
 * verifier accepts; §2.4 step 3). Returns undefined where go-crypto returns nil, which Helm
 * reports as "signature block not found".
 */
export function decodeClearsigned(data: string | Uint8Array): ClearsignedBlock | undefined {
  // One character per byte, so that the signed bytes come out exactly as they are in the file.
  const text = Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('latin1');

  let rest: string;
  if (text.startsWith(BEGIN_SIGNED)) rest = text.slice(BEGIN_SIGNED.length);
  else {
    const at = text.indexOf(`\n${BEGIN_SIGNED}`);
    if (at < 0) return undefined;
    rest = text.slice(at + 1 + BEGIN_SIGNED.length);
  }
  let line: string;
  [line, rest] = getLine(rest);
  if (line !== '') return undefined;

  const hashes: string[] = [];
  for (;;) {
    if (rest === '') return undefined;
    [line, rest] = getLine(rest);
    if (line.trim() === '') break;
    if (/[^\x20-\x7e]/.test(line)) return undefined;
    const colon = line.indexOf(':');
    if (colon < 0) return undefined;
    if (line.slice(0, colon).trim() !== 'Hash') return undefined;
    for (const value of line.slice(colon + 1).split(',')) {
      const name = value.trim().toUpperCase();
      if (!ALLOWED_HASH_NAMES.includes(name)) return undefined;
      hashes.push(name);
    }
  }

  const lines: string[] = [];
  for (;;) {
    const before = rest;
    [line, rest] = getLine(rest);
    if (line === '' && rest === '') return undefined;
    if (line === BEGIN_SIGNATURE) {
      rest = before;
      break;
    }
    if (line.startsWith('- ')) line = line.slice(2);
    lines.push(trimTrailing(line, ' \t'));
  }
  // go-crypto would slice an empty plaintext out of range here; treat it as no block.
  if (lines.length === 0) return undefined;

  const end = rest.indexOf(`\n${END_SIGNATURE}`);
  if (end < 0) return undefined;
  let stop = end + 1 + END_SIGNATURE.length;
  while (rest[stop] === '\r' || rest[stop] === '\n') stop++;

  return {
    hashes,
    plaintext: Buffer.from(lines.join('\n'), 'latin1').toString('utf8'),
    signed: Buffer.from(lines.join('\r\n'), 'latin1'),
    armoredSignature: rest.slice(0, stop),
  };
}

/** go-crypto's getLine: the first line without its LF or CRLF, and the rest after it. */
function getLine(data: string): [string, string] {
  const lf = data.indexOf('\n');
  if (lf < 0) return [data, ''];
  const end = lf > 0 && data[lf - 1] === '\r' ? lf - 1 : lf;
  return [data.slice(0, end), data.slice(lf + 1)];
}
