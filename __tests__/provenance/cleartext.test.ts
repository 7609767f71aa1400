import { armor, enums } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { decodeClearsigned, formatClearsigned, signedText } from '../../src/provenance/cleartext.js';

/** Clear-signed framing as go-crypto writes and reads it (as Helm's pkg/provenance does). */

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);

describe('formatClearsigned', () => {
  it('writes the go-crypto layout: Hash header, dash-escapes, signed final newline, no trailing newline', () => {
    const prov = formatClearsigned('name: x\n- a\n\n...\nfiles:\n  x.tgz: sha256:00\n', bytes(4), 'SHA512');
    expect(prov).toBe(
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nname: x\n- - a\n\n...\nfiles:\n  x.tgz: sha256:00\n\n' +
        '-----BEGIN PGP SIGNATURE-----\n\nCzBVeg==\n-----END PGP SIGNATURE-----',
    );
  });

  it('omits the Hash header for v6 signatures, as go-crypto does', () => {
    expect(formatClearsigned('a\n', bytes(1), undefined)).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\n\na\n\n/);
  });

  it('writes a message without a final newline without the empty line (its last line is then unsigned-terminated)', () => {
    expect(formatClearsigned('a\nb', bytes(1), 'SHA512')).toContain('\n\na\nb\n-----BEGIN PGP SIGNATURE-----');
    expect(signedText('a\nb')).toBe('a\r\nb');
    expect(signedText('a\nb\n')).toBe('a\r\nb\r\n');
  });

  it('breaks base64 at 64 columns', () => {
    const lines = formatClearsigned('a\n', bytes(200), 'SHA512').split('\n');
    const armorLines = lines.slice(lines.indexOf('-----BEGIN PGP SIGNATURE-----') + 2, -1);
    expect(armorLines.map((l) => l.length)).toEqual([64, 64, 64, 64, 12]);
  });

  it.each([
    { length: 100, crc: false },
    { length: 101, crc: false },
    { length: 102, crc: true },
  ])('adds a CRC-24 line only when the base64 of $length bytes ends unpadded (GnuPG T7071)', ({ length, crc }) => {
    const prov = formatClearsigned('a\n', bytes(length), 'SHA512');
    const lines = prov.split('\n');
    const crcLine = lines.at(-2)!;
    expect(crcLine.startsWith('=')).toBe(crc);
    if (crc) {
      // The same checksum openpgp.js computes when asked for one.
      const reference = armor(enums.armor.signature, bytes(length), undefined, undefined, undefined, true);
      expect(reference.split('\n')).toContain(crcLine);
    }
  });
});

describe('decodeClearsigned (go-crypto clearsign.Decode)', () => {
  const signature = '-----BEGIN PGP SIGNATURE-----\n\nCzBVeg==\n-----END PGP SIGNATURE-----';

  it('round-trips what formatClearsigned writes', () => {
    const message = 'a: 1\n- b\n-----\n\n...\nfiles:\n  x.tgz: sha256:00\n';
    const block = decodeClearsigned(formatClearsigned(message, bytes(4), 'SHA512'))!;
    expect(block.plaintext).toBe(message);
    expect(Buffer.from(block.signed).toString('utf8')).toBe(signedText(message));
    expect(block.hashes).toEqual(['SHA512']);
    expect(block.armoredSignature).toBe(signature);
  });

  it('finds the block after other text, accepts CRLF and a missing Hash header', () => {
    const block = decodeClearsigned(`junk\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\n\r\n- -a  \r\nb\r\n${signature}\r\n`)!;
    expect(block.plaintext).toBe('-a\nb');
    expect(Buffer.from(block.signed).toString('latin1')).toBe('-a\r\nb');
    expect(block.hashes).toEqual([]);
  });

  it('keeps the bytes of non-ASCII text exactly', () => {
    const block = decodeClearsigned(Buffer.from(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ndescription: Grüße\n${signature}`))!;
    expect(block.plaintext).toBe('description: Grüße');
    expect(Buffer.from(block.signed)).toEqual(Buffer.from('description: Grüße', 'utf8'));
  });

  it.each([
    ['a header other than Hash', 'Charset: UTF-8'],
    ['an unknown hash', 'Hash: SHA999'],
    ['a header without a colon', 'Hash SHA512'],
  ])('rejects %s', (_what, header) => {
    expect(decodeClearsigned(`-----BEGIN PGP SIGNED MESSAGE-----\n${header}\n\na\n${signature}`)).toBeUndefined();
  });

  it.each([
    ['no start marker', `a\n${signature}`],
    ['text after the start marker', `-----BEGIN PGP SIGNED MESSAGE----- x\nHash: SHA512\n\na\n${signature}`],
    ['no signature', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n'],
    ['no end line', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\na\n-----BEGIN PGP SIGNATURE-----\n\nCzBVeg==\n'],
    ['an empty message', `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${signature}`],
  ])('finds no block with %s', (_what, text) => {
    expect(decodeClearsigned(text)).toBeUndefined();
  });
});
