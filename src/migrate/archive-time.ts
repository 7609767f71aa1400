import { gunzipSync } from 'node:zlib';

/**
 * When an existing package was made, read from its own bytes: the newest modification time of
 * its tar entries (`helm package` stamps every entry). It becomes the manifest's `created`, so
 * that migrating the same archive twice, from a repository or from a folder, gives the same
 * manifest. Undefined when the archive carries no time (old Helm wrote 0) or cannot be read;
 * the archive itself is validated elsewhere.
 */

const BLOCK = 512;
// Enough for any chart Helm loads (100 MiB of files, §1.14) plus headers.
const MAX_TAR_STREAM = 256 * 1024 * 1024;

export function archiveTime(archive: Uint8Array): number | undefined {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_TAR_STREAM });
  } catch {
    return undefined;
  }
  let newest = 0;
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header.subarray(124, 136));
    const mtime = octal(header.subarray(136, 148));
    if (size === undefined) break;
    if (mtime !== undefined && mtime > newest) newest = mtime;
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return newest > 0 ? newest : undefined;
}

/** A tar numeric field: octal digits, NUL or space terminated. */
function octal(field: Buffer): number | undefined {
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) return undefined;
  return text === '' ? 0 : Number.parseInt(text, 8);
}
