import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesDigest, parseDigest } from '../oci/digest.js';
import type { Logger } from '../shared/logger.js';

/**
 * Downloaded chart archives kept by content digest (`<dir>/sha256-<hex>.tgz`), so that a chart
 * repository's or registry's archive is fetched once across runs that share the folder. A file
 * is used only when its bytes still hash to the digest; a cache that cannot be written is only
 * a slower run.
 */
export class ArchiveCache {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** The bytes stored under `digest`, if present and intact. */
  async get(digest: string): Promise<Uint8Array | undefined> {
    const file = this.file(digest);
    if (!file) return undefined;
    try {
      const bytes = await readFile(file);
      if (matchesDigest(bytes, digest)) {
        this.logger.debug(`${digest}: from the cache ${file}`);
        return bytes;
      }
    } catch {
      // Not cached.
    }
    return undefined;
  }

  /** Stores the bytes under `digest` (written aside, then renamed: never a half file). */
  async put(digest: string, bytes: Uint8Array): Promise<void> {
    const file = this.file(digest);
    if (!file) return;
    try {
      await mkdir(this.dir, { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file);
    } catch (error) {
      this.logger.debug(`could not cache ${digest} in ${this.dir}: ${(error as Error).message}`);
    }
  }

  private file(digest: string): string | undefined {
    const parsed = parseDigest(digest);
    return parsed ? join(this.dir, `${parsed.algorithm}-${parsed.hex}.tgz`) : undefined;
  }
}
