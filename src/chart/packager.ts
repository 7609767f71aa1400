import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { constants, crc32, createDeflateRaw, deflateRaw } from 'node:zlib';
import { DomainError } from '../shared/errors.js';
import { fileSystemError } from '../shared/file-system-error.js';
import { readChartFile, type ChartFile, type LoadedChart } from './chart-loader.js';
import { marshalChartYaml, marshalLock } from './metadata.js';
import { fileHeader, padding, trailer } from './go/tar-writer.js';

/**
 * Writes `<name>-<version>.tgz` as `helm package` does (../shared/spec/helm-oci.md §1.7–1.12):
 * the same entries in the same order with the same tar headers, Chart.yaml and Chart.lock
 * re-serialised, a gzip header carrying Helm 4.2.4's extra field and the `Helm` comment. Unlike
 * Helm, every entry carries one given timestamp, so the same input gives the same bytes.
 * The archive is streamed: file contents are read just ahead of the compressor, never all at once.
 */

/**
 * gzip header of Helm 4.2.4 (§1.12): FLG = FEXTRA|FCOMMENT, MTIME 0, XFL 0, OS 255, then the
 * extra field as a well-formed RFC 1952 subfield (SI1 'r', SI2 'r', LEN 40) and "Helm\0".
 */
const GZIP_HEADER = Buffer.concat([
  Buffer.from([0x1f, 0x8b, 0x08, 0x14, 0, 0, 0, 0, 0x00, 0xff, 44, 0, 0x72, 0x72, 40, 0]),
  Buffer.from('aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=', 'latin1'),
  Buffer.from('Helm\0', 'latin1'),
]);

/** Helm compresses at Go's default level, 6; so does `gzip` by default. */
const DEFLATE = { level: 6, strategy: constants.Z_DEFAULT_STRATEGY };
const deflateRawOnce = promisify(deflateRaw);
/** NAME_MAX of Linux, macOS and Windows file systems. */
const MAX_FILE_NAME_BYTES = 255;
/** Files read ahead of the compressor. */
const READ_AHEAD = 8;
/**
 * Tar output is handed to zlib in batches of this size: each write is a round trip to the
 * thread pool, and writing 512-byte headers one by one costs 3-4x the compression itself.
 * zlib's output does not depend on how its input is split. An archive that is one batch (most
 * charts) is compressed in one call, without the stream machinery.
 */
const BATCH = 1024 * 1024;

export interface ArchiveEntry {
  /** Full path inside the archive, `<chart>/...`. */
  name: string;
  content: ChartFile;
}

export interface ChartPackage {
  /** Absolute path of the written archive. */
  path: string;
  fileName: string;
  /** Hex sha256 of the archive bytes. */
  sha256: string;
  size: number;
  entries: number;
}

/** The archive's entries in Helm's order, subcharts expanded under charts/<name>/. */
export function archiveEntries(chart: LoadedChart, prefix = ''): ArchiveEntry[] {
  const base = `${prefix}${chart.metadata.name}`;
  const entries: ArchiveEntry[] = [
    { name: `${base}/Chart.yaml`, content: { name: 'Chart.yaml', data: Buffer.from(marshalChartYaml(chart.metadata)) } },
  ];
  // Helm writes Chart.lock for apiVersion v2 only; v1 keeps requirements.lock as a plain file.
  if (chart.metadata.apiVersion === 'v2' && chart.lock) {
    entries.push({ name: `${base}/Chart.lock`, content: { name: 'Chart.lock', data: Buffer.from(marshalLock(chart.lock)) } });
  }
  for (const file of [chart.values, chart.schema, ...chart.templates, ...chart.files]) {
    if (file) entries.push({ name: `${base}/${file.name}`, content: file });
  }
  // Appended one by one: a spread into push() overflows the stack for very large subcharts.
  for (const dependency of chart.dependencies) for (const entry of archiveEntries(dependency, `${base}/charts/`)) entries.push(entry);
  return entries;
}

export interface PackageOptions {
  /** Where the archive is written; created if missing. */
  outputDir: string;
  /** Unix seconds stamped on every entry. */
  mtime: number;
}

export async function packageChart(chart: LoadedChart, options: PackageOptions): Promise<ChartPackage> {
  const fileName = `${chart.metadata.name}-${chart.metadata.version}.tgz`;
  const path = join(options.outputDir, fileName);
  if (Buffer.byteLength(fileName) > MAX_FILE_NAME_BYTES) {
    throw new DomainError(
      `the package file name ${fileName} is ${Buffer.byteLength(fileName)} bytes long, more than the ${MAX_FILE_NAME_BYTES} a file system allows: shorten the chart name or version`,
    );
  }
  // Short, so that a name near the limit still fits while it is written.
  const temporary = join(options.outputDir, `.${process.pid}-${Math.random().toString(36).slice(2, 10)}.partial`);
  try {
    await mkdir(options.outputDir, { recursive: true });
  } catch (error) {
    throw fileSystemError(error, 'create the output-dir', options.outputDir);
  }
  const entries = archiveEntries(chart);
  const hash = createHash('sha256');
  let size = 0;
  let crc = 0;
  let length = 0;

  const tarStream = async function* () {
    // Reads run ahead of the compressor. Each settles into a value, never a rejected promise
    // left waiting: a file that fails while an earlier one is still being written would
    // otherwise be an unhandled rejection that ends the process.
    const pending = new Map<number, Promise<{ data: Buffer } | { error: unknown }>>();
    const fetch = (i: number) => {
      const entry = entries[i];
      if (entry && !pending.has(i)) {
        pending.set(
          i,
          readChartFile(entry.content).then(
            (data) => ({ data }),
            (error: unknown) => ({ error }),
          ),
        );
      }
    };
    let batch: Buffer[] = [];
    let batched = 0;
    const take = () => {
      const chunk = Buffer.concat(batch, batched);
      batch = [];
      batched = 0;
      crc = crc32(chunk, crc);
      length += chunk.length;
      return chunk;
    };
    for (let i = 0; i < entries.length; i++) {
      for (let k = i; k < i + READ_AHEAD; k++) fetch(k);
      const read = await (pending.get(i) as Promise<{ data: Buffer } | { error: unknown }>);
      pending.delete(i);
      if ('error' in read) throw read.error;
      const data = read.data;
      const entry = entries[i] as ArchiveEntry;
      for (const part of [fileHeader(entry.name, data.length, options.mtime), data, padding(data.length)]) {
        batch.push(part);
        batched += part.length;
      }
      if (batched >= BATCH) yield take();
    }
    const end = trailer();
    batch.push(end);
    batched += end.length;
    yield take();
  };

  const emit = (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    return chunk;
  };
  const footer = () => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(crc >>> 0, 0);
    bytes.writeUInt32LE(length % 2 ** 32, 4);
    return bytes;
  };
  const gzipFraming = async function* (compressed: AsyncIterable<Buffer>) {
    yield emit(GZIP_HEADER);
    for await (const chunk of compressed) yield emit(chunk);
    yield emit(footer());
  };

  try {
    const tar = tarStream();
    const first = (await tar.next()).value as Buffer;
    const second = await tar.next();
    if (second.done) {
      const compressed = await deflateRawOnce(first, DEFLATE);
      await writeFile(temporary, Buffer.concat([emit(GZIP_HEADER), emit(compressed), emit(footer())]));
    } else {
      const rest = async function* () {
        yield first;
        yield second.value;
        yield* tar;
      };
      await pipeline(
        Readable.from(rest(), { objectMode: false }),
        createDeflateRaw({ ...DEFLATE, chunkSize: 256 * 1024 }),
        gzipFraming,
        createWriteStream(temporary),
      );
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw fileSystemError(error, 'write the package', path);
  }
  return { path, fileName, sha256: hash.digest('hex'), size, entries: entries.length };
}
