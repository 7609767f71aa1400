/**
 * Tar headers byte-identical to those Go's archive/tar writes for Helm (Name, Mode 0644, Size,
 * ModTime; everything else zero): ../shared/spec/helm-oci.md §1.11. USTAR when the name fits
 * (directly, or split into prefix and name), otherwise a PAX `x` record carrying the path
 * followed by the main header. Regular files only; no directory entries.
 */

import { encodeRawName } from './raw-name.js';
import { trimTrailing } from '../../shared/trim.js';

const BLOCK = 512;

const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
const MODE = 0o644;

/** The header block(s) for one regular file: USTAR, or PAX extended header + header. */
export function fileHeader(name: string, size: number, mtime: number): Buffer {
  // Raw bytes for a name that is not valid UTF-8 (raw-name.ts), as Go writes the string.
  const nameBytes = encodeRawName(name);
  const ascii = isAscii(name);
  if (ascii && nameBytes.length <= NAME_SIZE) return ustarHeader(nameBytes, Buffer.alloc(0), size, mtime);
  if (ascii) {
    const split = splitUstarPath(name);
    if (split) return ustarHeader(Buffer.from(split.suffix), Buffer.from(split.prefix), size, mtime);
  }
  return Buffer.concat([paxHeader(name), paxMainHeader(name, size, mtime)]);
}

/** Zero padding after size bytes of data, up to the next block boundary. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? EMPTY : Buffer.alloc(BLOCK - rest);
}

/** Go writes exactly two zero blocks at the end and no padding to a 10 KiB record. */
export function trailer(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

const EMPTY = Buffer.alloc(0);

function ustarHeader(name: Buffer, prefix: Buffer, size: number, mtime: number): Buffer {
  const block = templateBlock(name, size, mtime);
  prefix.copy(block, 345, 0, Math.min(prefix.length, PREFIX_SIZE));
  return finish(block);
}

/**
 * The main header after a PAX record: the name ASCII-filtered, its first 100 bytes when longer
 * (Go's formatString copies what fits); a cut that ends in "/" has its last run of slashes
 * ended by a NUL, as formatString does for readers that would take the entry for a directory.
 */
function paxMainHeader(name: string, size: number, mtime: number): Buffer {
  const ascii = Buffer.from(toAscii(name), 'latin1');
  const block = templateBlock(ascii, size, mtime);
  const cut = ascii.subarray(0, NAME_SIZE).toString('latin1');
  if (ascii.length > NAME_SIZE && cut.endsWith('/')) block[trimTrailing(cut, '/').length] = 0;
  return finish(block);
}

/** The `x` header and its data: one `path` record, named <dir>/PaxHeaders.0/<base>. */
function paxHeader(name: string): Buffer {
  const record = paxRecord('path', name);
  const slash = name.lastIndexOf('/');
  const dir = slash >= 0 ? name.slice(0, slash) : '';
  const base = slash >= 0 ? name.slice(slash + 1) : name;
  let headerName = toAscii(dir === '' ? `PaxHeaders.0/${base}` : `${dir}/PaxHeaders.0/${base}`);
  if (headerName.length > NAME_SIZE) headerName = headerName.slice(0, NAME_SIZE);
  headerName = trimTrailing(headerName, '/');

  const block = Buffer.alloc(BLOCK);
  block.write(headerName, 0, 'latin1');
  octal(block, 100, 8, 0); // mode
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, record.length);
  octal(block, 136, 12, 0); // mtime
  block[156] = 0x78; // 'x'
  // uname, gname, devmajor, devminor stay NUL in Go's writeRawFile.
  return Buffer.concat([finish(block), record, padding(record.length)]);
}

/** "<len> key=value\n", where len counts the whole record including its own digits. */
function paxRecord(key: string, value: string): Buffer {
  const valueBytes = encodeRawName(value);
  const body = Buffer.byteLength(key) + valueBytes.length + 3;
  let size = body + String(body).length;
  if (String(size).length + body !== size) size = body + String(size).length;
  return Buffer.concat([Buffer.from(`${size} ${key}=`, 'utf8'), valueBytes, Buffer.from('\n')]);
}

function templateBlock(name: Buffer, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  name.copy(block, 0, 0, Math.min(name.length, NAME_SIZE));
  octal(block, 100, 8, MODE);
  octal(block, 108, 8, 0); // uid
  octal(block, 116, 8, 0); // gid
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block[156] = 0x30; // '0': regular file
  // uname and gname empty; devmajor and devminor written as zero.
  octal(block, 329, 8, 0);
  octal(block, 337, 8, 0);
  return block;
}

/** Magic, version and checksum (6 octal digits, NUL, space), as setFormat writes them. */
function finish(block: Buffer): Buffer {
  block.write('ustar\u000000', 257, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(block, 148, 7, sum);
  block[155] = 0x20;
  return block;
}

/** Zero-padded octal filling the field but its last byte, which is NUL. */
function octal(block: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  block.write(digits, offset, 'latin1');
  block[offset + digits.length] = 0;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0) return false;
  }
  return true;
}

function toAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80 && c !== 0) out += ch;
  }
  return out;
}

/** USTAR prefix/name split (Go's splitUSTARPath), for ASCII names longer than the name field. */
function splitUstarPath(name: string): { prefix: string; suffix: string } | undefined {
  let length = name.length;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.slice(0, length).lastIndexOf('/');
  const suffixLength = name.length - i - 1;
  if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE) return undefined;
  return { prefix: name.slice(0, i), suffix: name.slice(i + 1) };
}
