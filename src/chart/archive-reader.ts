import { gunzipSync } from 'node:zlib';
import type { ReadEntry } from 'tar';
import { DomainError } from '../shared/errors.js';

/**
 * Reads a chart archive the way Helm's archive loader does whenever it loads a .tgz (a subchart
 * in charts/, a downloaded dependency): ../shared/spec/helm-oci.md §1.14. The first path segment
 * is stripped whatever its name; absolute paths, `..` escapes and drive letters are refused; a
 * Chart.yaml at the archive root is refused; 100 MiB of file data in all and 5 MiB per file;
 * BOMs stripped; directory and PAX header entries skipped.
 */

/** §1.14 MaxDecompressedChartSize; also the most a chart directory with its subcharts may hold. */
export const MAX_CHART_SIZE = 100 * 1024 * 1024;
/** §1.14 MaxDecompressedFileSize; the directory loader applies the same limit per file. */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
/**
 * Bound on the decompressed tar stream (file data plus headers), so that a gzip bomb cannot
 * exhaust memory before the per-file accounting sees it.
 */
const MAX_TAR_STREAM = 2 * MAX_CHART_SIZE;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class ArchiveError extends DomainError {}

export interface ArchiveFile {
  /** Path inside the chart (first segment stripped), `/`-separated. */
  name: string;
  data: Buffer;
  /** The entry's modification time, Unix seconds (0 when the archive carries none). */
  mtime: number;
}

/**
 * When the archive was made, as far as its entries tell: the newest modification time of its
 * files (`helm package` stamps every entry with the packaging time). Undefined when none carries
 * a time (an old Helm wrote 0).
 */
export function newestEntryTime(files: readonly ArchiveFile[]): number | undefined {
  let newest = 0;
  for (const file of files) if (file.mtime > newest) newest = file.mtime;
  return newest > 0 ? newest : undefined;
}

/**
 * The files of a chart archive (a downloaded dependency, a published chart layer). The tar
 * reader is loaded on the first call: a run that reads no archive does not compile it.
 * `limit` is what is left of the 100 MiB for an archive nested in a chart (a subchart in
 * charts/): Helm checks each archive alone, so that 40 nested archives of 100 MiB each, from a
 * file of 66 KB, would all be held in memory.
 */
export async function readChartArchive(bytes: Uint8Array, limit = MAX_CHART_SIZE): Promise<ArchiveFile[]> {
  const tooLarge = () =>
    new ArchiveError(
      limit < MAX_CHART_SIZE
        ? `decompressed, the chart with its subcharts is larger than the maximum size ${MAX_CHART_SIZE}`
        : `decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`,
    );
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (input.length < 3 || input[0] !== 0x1f || input[1] !== 0x8b || input[2] !== 0x08) {
    const looksYaml = /^\s*(apiVersion|name|version|---)/.test(input.subarray(0, 200).toString('utf8'));
    throw new ArchiveError(
      looksYaml
        ? 'the file seems to be a YAML file, but a gzipped chart archive was expected'
        : 'not a gzipped chart archive (expected a .tgz made by `helm package`)',
    );
  }
  let tarStream: Buffer;
  try {
    tarStream = gunzipSync(input, { maxOutputLength: MAX_TAR_STREAM });
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge();
    throw new ArchiveError(`the archive is not valid gzip data: ${(error as Error).message}`, { cause: error });
  }

  const files: ArchiveFile[] = [];
  let remaining = limit;
  let failure: Error | undefined;
  const { Parser } = await import('tar');
  const parser = new Parser({ strict: true });
  parser.on('warn', (_code: string, message: string | Error) => {
    failure ??= new ArchiveError(`the archive is not a valid tar stream: ${String(message)}`);
  });
  parser.on('entry', (entry: ReadEntry) => {
    const reject = (message: string) => {
      failure ??= new ArchiveError(message);
      entry.resume();
    };
    if (failure || entry.type === 'Directory' || entry.type === 'ExtendedHeader' || entry.type === 'GlobalExtendedHeader') {
      entry.resume();
      return;
    }
    const name = archiveEntryName(entry.path);
    if (typeof name !== 'string') return reject(name.error);
    const size = entry.size ?? 0;
    if (size > remaining) {
      failure ??= tooLarge();
      entry.resume();
      return;
    }
    if (size > MAX_FILE_SIZE) {
      return reject(`decompressed chart file "${entry.path}" is larger than the maximum file size ${MAX_FILE_SIZE}`);
    }
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => {
      const data = Buffer.concat(chunks);
      remaining -= data.length;
      if (data.length < size || remaining <= 0) {
        failure ??= tooLarge();
        return;
      }
      files.push({ name, data: stripBom(data), mtime: entry.mtime ? Math.floor(entry.mtime.getTime() / 1000) : 0 });
    });
  });
  try {
    parser.write(tarStream);
    parser.end();
  } catch (error) {
    throw new ArchiveError(`the archive is not a valid tar stream: ${(error as Error).message}`, { cause: error });
  }
  if (failure) throw failure;
  if (files.length === 0) throw new ArchiveError('no files in chart archive');
  return files;
}

/** Helm's per-entry path rules; returns the chart-relative name or why it is refused. */
function archiveEntryName(raw: string): string | { error: string } {
  // Archives made on Windows may use backslashes.
  const delimiter = raw.includes('\\') ? '\\' : '/';
  const parts = raw.split(delimiter);
  const rest = parts.slice(1).join('/');
  if (rest.startsWith('/')) return { error: 'chart illegally contains absolute paths' };
  const cleaned = cleanPath(rest);
  if (cleaned === '.') return { error: `chart illegally contains content outside the base directory: "${raw}"` };
  if (cleaned.startsWith('..')) return { error: 'chart illegally references parent directory' };
  if (/^[a-zA-Z]:\//.test(cleaned)) return { error: 'chart contains illegally named files' };
  if (parts[0] === 'Chart.yaml') return { error: 'chart yaml not in base directory' };
  return cleaned;
}

/** Go's path.Clean. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

export function stripBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
}
