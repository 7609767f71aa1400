import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileHeader, padding, trailer } from '../../../src/chart/go/tar-writer.js';

/**
 * Tar headers as Go's archive/tar writes them for Helm. Each case is read back by GNU tar, an
 * independent reader, and the fields Go fixes are checked byte by byte.
 */
const dir = mkdtempSync(join(tmpdir(), 'ocp-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function archive(entries: Array<{ name: string; data: Buffer; mtime?: number }>): string {
  const parts: Buffer[] = [];
  for (const e of entries) parts.push(fileHeader(e.name, e.data.length, e.mtime ?? 1_700_000_000), e.data, padding(e.data.length));
  parts.push(trailer());
  const file = join(dir, `a${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

/** Names and contents as GNU tar reads them. */
function readBack(file: string): Array<{ name: string; data: string }> {
  const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return names.map((name) => ({ name, data: execFileSync('tar', ['-xOf', file, name], { encoding: 'utf8' }) }));
}

const field = (block: Buffer, offset: number, length: number) => block.subarray(offset, offset + length).toString('latin1');

describe('tar headers as Go archive/tar writes them', () => {
  it("a short ASCII name is one USTAR header with Go's fixed fields", () => {
    const header = fileHeader('mychart/Chart.yaml', 5, 1_700_000_000);
    expect(header).toHaveLength(512);
    expect(field(header, 0, 18)).toBe('mychart/Chart.yaml');
    expect(field(header, 100, 8)).toBe('0000644\0');
    expect(field(header, 108, 8)).toBe('0000000\0');
    expect(field(header, 116, 8)).toBe('0000000\0');
    expect(field(header, 124, 12)).toBe('00000000005\0');
    expect(field(header, 136, 12)).toBe(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`);
    expect(header[156]).toBe(0x30);
    expect(field(header, 257, 8)).toBe('ustar\u000000');
    expect(field(header, 265, 64)).toBe('\0'.repeat(64)); // uname, gname empty
    expect(field(header, 329, 16)).toBe('0000000\0'.repeat(2)); // devmajor, devminor
    // The checksum: six octal digits, NUL, space, over the block with the field as spaces.
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    const sum = copy.reduce((a, b) => a + b, 0);
    expect(field(header, 148, 8)).toBe(`${sum.toString(8).padStart(6, '0')}\0 `);
    expect(readBack(archive([{ name: 'mychart/Chart.yaml', data: Buffer.from('hello') }]))).toEqual([
      { name: 'mychart/Chart.yaml', data: 'hello' },
    ]);
  });

  it('a long ASCII path is split into prefix and name', () => {
    const name = `${'d'.repeat(120)}/${'f'.repeat(60)}`;
    const header = fileHeader(name, 1, 0);
    expect(header).toHaveLength(512);
    expect(field(header, 0, 60)).toBe('f'.repeat(60));
    expect(field(header, 345, 120)).toBe('d'.repeat(120));
    expect(readBack(archive([{ name, data: Buffer.from('x') }]))).toEqual([{ name, data: 'x' }]);
  });

  it.each([
    ['a base name longer than the name field', `chart/${'b'.repeat(101)}`],
    ['no slash to split at', 'c'.repeat(150)],
    ['a prefix longer than its field', `${'p'.repeat(156)}/${'f'.repeat(10)}`],
    ['a path longer than both fields', `${'q'.repeat(150)}/${'r'.repeat(90)}/${'s'.repeat(20)}`],
    ['a trailing slash inside the prefix limit', `${'t'.repeat(101)}/`],
  ])('%s takes a PAX path record', (_what, name) => {
    const header = fileHeader(name, 2, 5);
    expect(header[156]).toBe(0x78); // 'x' first
    expect(header.length).toBeGreaterThan(1024);
    if (!name.endsWith('/')) expect(readBack(archive([{ name, data: Buffer.from('ok') }]))).toEqual([{ name, data: 'ok' }]);
  });

  it('a non-ASCII name takes a PAX record and an ASCII-filtered main header', () => {
    const name = 'chart/templates/größe-配置.yaml';
    const header = fileHeader(name, 3, 0);
    const paxName = field(header, 0, 100).replace(/\0+$/, '');
    expect(paxName).toBe('chart/templates/PaxHeaders.0/gre-.yaml');
    const recordLength = parseInt(field(header, 124, 11), 8);
    const record = header.subarray(512, 512 + recordLength).toString('utf8');
    expect(record).toBe(`${recordLength} path=${name}\n`);
    expect(Buffer.byteLength(record)).toBe(recordLength);
    const main = header.subarray(1024, 1536);
    expect(field(main, 0, 100).replace(/\0+$/, '')).toBe('chart/templates/gre-.yaml');
    expect(readBack(archive([{ name, data: Buffer.from('abc') }]))).toEqual([{ name, data: 'abc' }]);
  });

  it("a non-ASCII name at the root, and one whose ASCII part does not fit, keep Go's fallbacks", () => {
    const root = fileHeader('ü', 0, 0);
    expect(field(root, 0, 100).replace(/\0+$/, '')).toBe('PaxHeaders.0'); // the filtered name's trailing slash is dropped
    const long = `${'a'.repeat(120)}/é${'b'.repeat(20)}`;
    const header = fileHeader(long, 0, 0);
    expect(field(header, 0, 100)).toBe('a'.repeat(100)); // the x header's name is cut at 100
    const recordLength = parseInt(field(header, 124, 11), 8);
    const mainAt = 512 + Math.ceil(recordLength / 512) * 512;
    // Too long even filtered: its first 100 bytes, as Go's formatString copies them.
    expect(field(header, mainAt, 100)).toBe('a'.repeat(100));
    expect(readBack(archive([{ name: long, data: Buffer.alloc(0) }]))).toEqual([{ name: long, data: '' }]);
  });

  it('a cut main-header name that ends in slashes has them ended by a NUL, as Go writes it', () => {
    const name = `${'a'.repeat(98)}//é${'b'.repeat(10)}`;
    const header = fileHeader(name, 0, 0);
    const recordLength = parseInt(field(header, 124, 11), 8);
    const mainAt = 512 + Math.ceil(recordLength / 512) * 512;
    // formatString: b[len(TrimRight(s[:100], "/"))] = 0; the byte after that NUL stays.
    expect(field(header, mainAt, 100)).toBe(`${'a'.repeat(98)}\0/`);
    expect(readBack(archive([{ name, data: Buffer.alloc(0) }]))).toEqual([{ name, data: '' }]);
  });

  it('the PAX record length counts its own digits across a digit boundary', () => {
    // body = len('path') + len(value) + 3; lengths around 99/100 exercise the recount.
    for (let n = 80; n <= 100; n++) {
      const name = `é${'x'.repeat(n)}`;
      const header = fileHeader(name, 0, 0);
      const recordLength = parseInt(field(header, 124, 11), 8);
      const record = header.subarray(512, 512 + recordLength).toString('utf8');
      expect(record.startsWith(`${recordLength} path=`)).toBe(true);
      expect(Buffer.byteLength(record)).toBe(recordLength);
    }
  });

  it('pads data to the block and ends with exactly two zero blocks', () => {
    expect(padding(0)).toHaveLength(0);
    expect(padding(512)).toHaveLength(0);
    expect(padding(1)).toHaveLength(511);
    expect(padding(513)).toHaveLength(511);
    expect(trailer()).toEqual(Buffer.alloc(1024));
  });
});
