import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflateRaw, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { packageChart } from '../../src/chart/packager.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/** Deflates `input` through a zlib stream, fed in pieces of `piece` bytes. */
async function streamedDeflate(input: Buffer, piece: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((done) => deflate.on('end', done));
  for (let at = 0; at < input.length; at += piece) deflate.write(input.subarray(at, at + piece));
  deflate.end();
  await ended;
  return Buffer.concat(out);
}

async function packaged(extra: Record<string, string | Buffer>) {
  const root = tempDir();
  writeTree(root, { ...chartFiles('demo', 'demo'), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`demo/${k}`, v])) });
  const chart = await loadChart('demo', { workspace: root, logger: new MemoryLogger() });
  const result = await packageChart(chart, { outputDir: join(root, 'out'), mtime: 1_700_000_000 });
  return { result, bytes: readFileSync(result.path) };
}

describe('packageChart compression', () => {
  // A chart below one batch (1 MiB of tar) is compressed in one call, a larger one through a
  // stream: both must give the bytes a stream fed in 512-byte pieces gives, or the same chart
  // would get another digest as it grows.
  it.each([
    ['a small chart, compressed in one call', 'small.txt', 'x'.repeat(1000)],
    ['a chart over one batch, compressed as a stream', 'large.bin', randomBytes(1536 * 1024).toString('base64')],
  ])('%s: the deflate stream does not depend on how the tar was split', async (_, file, content) => {
    const { result, bytes } = await packaged({ [file]: content });
    expect(result.size).toBe(bytes.length);
    expect(result.sha256).toBe(sha256Hex(bytes));
    const tar = gunzipSync(bytes);
    // Header (10 bytes, XLEN, a 44-byte extra field, "Helm\0"), the deflate stream, CRC32, ISIZE.
    const body = bytes.subarray(61, bytes.length - 8);
    expect(body.equals(await streamedDeflate(tar, 512))).toBe(true);
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(tar.length);
    expect(tar.includes(Buffer.from(`demo/${file}`))).toBe(true);
  });
});
