import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import {
  MAX_INDEX_BYTES,
  RepositoryError,
  displayUrl,
  resolveReferenceUrl,
  type ChartRepositoryClient,
} from '../dependencies/chart-repository.js';
import { newestFirst, parseVersion } from '../chart/go/version-constraints.js';
import { compileDirGlob } from '../discovery/charts-dir.js';
import { DomainError, InputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { IndexError, readRepositoryIndex } from './repository-index.js';
import { trimTrailing } from '../shared/trim.js';

/**
 * Where existing packages come from: the versions listed in a classic chart repository's
 * index.yaml (downloaded as Helm downloads them), or .tgz files in the workspace. Each is an
 * archive with an optional `.prov`, pushed later exactly as it is.
 */

export interface ExistingPackage {
  /** The chart name as listed (index.yaml); empty for a file, whose Chart.yaml names it. */
  name: string;
  /** The version as listed; empty for a file. */
  version: string;
  deprecated: boolean;
  /** Where it comes from, for the report and messages: the archive's URL (no secrets) or workspace path. */
  location: string;
  /** The original download URL, recorded in the manifest (repository only). */
  downloadUrl?: string;
  /** The sha256 (hex) the index states for the archive. */
  expectedDigest?: string;
  /** The index's `created`, Unix seconds. */
  created?: number;
  /** Why it cannot be migrated, when the listing alone says so. */
  problem?: string;
  /** The archive on disk, when it is a workspace file. */
  file?: string;
  archive(): Promise<Uint8Array>;
  /** The `.prov` next to the archive, or undefined when there is none. */
  provenance(): Promise<Uint8Array | undefined>;
}

// The largest archive downloaded: above Helm's 100 MiB decompressed-chart limit (§1.14).
const MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;
const MAX_PROVENANCE_BYTES = 4 * 1024 * 1024;

/** Every version index.yaml lists, by chart name and newest first. */
export async function repositoryPackages(client: ChartRepositoryClient, repositoryUrl: string, logger: Logger): Promise<ExistingPackage[]> {
  const indexUrl = resolveReferenceUrl(repositoryUrl, 'index.yaml');
  let bytes: Uint8Array;
  try {
    bytes = await client.download(indexUrl, repositoryUrl, MAX_INDEX_BYTES);
  } catch (error) {
    if (error instanceof RepositoryError && error.status === 404) {
      throw new RepositoryError(
        `${displayUrl(repositoryUrl)} is not a Helm chart repository: ${displayUrl(indexUrl)} answered 404 Not Found; ` +
          'give migrate-from the folder that holds index.yaml',
        404,
        { cause: error },
      );
    }
    throw error;
  }
  logger.info(`Read ${displayUrl(indexUrl)}: ${bytes.byteLength} bytes`);
  let listed;
  try {
    listed = readRepositoryIndex(bytes, displayUrl(indexUrl), client.deadline);
  } catch (error) {
    if (error instanceof IndexError) throw new RepositoryError(error.message, undefined, { cause: error });
    throw error;
  }
  return sortedByChart(listed).map((entry) => {
    const first = entry.urls[0] ?? '';
    let url: string | undefined;
    let problem = entry.problem;
    if (!problem) {
      try {
        // Helm downloads the first URL only (pkg/downloader ResolveChartVersion), resolved as Helm does.
        url = resolveReferenceUrl(repositoryUrl, first);
        const scheme = new URL(url).protocol;
        if (scheme !== 'http:' && scheme !== 'https:') problem = `the download URL ${displayUrl(first)} is not http(s)`;
      } catch {
        problem = `the download URL "${displayUrl(first)}" is not a URL`;
      }
    }
    const location = url ? displayUrl(url) : `${displayUrl(repositoryUrl)} ${entry.name} ${entry.version}`;
    return {
      name: entry.name,
      version: entry.version,
      deprecated: entry.deprecated,
      location,
      ...(url ? { downloadUrl: displayUrl(url) } : {}),
      ...(entry.digest ? { expectedDigest: entry.digest } : {}),
      ...(entry.created !== undefined ? { created: entry.created } : {}),
      ...(problem ? { problem } : {}),
      archive: () => client.download(url ?? '', repositoryUrl, MAX_ARCHIVE_BYTES),
      provenance: async () => {
        if (!url) return undefined;
        try {
          return await client.download(provenanceUrl(url), repositoryUrl, MAX_PROVENANCE_BYTES);
        } catch (error) {
          if (error instanceof RepositoryError && error.status === 404) return undefined;
          throw error;
        }
      },
    };
  });
}

/** By chart name, then newest version first, as `helm repo index` sorts; versions Helm cannot read last. */
function sortedByChart<T extends { name: string; version: string }>(entries: readonly T[]): T[] {
  const parsed = new Map(entries.map((e) => [e, parseVersion(e.version)]));
  return [...entries].sort((a, b) => {
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    const va = parsed.get(a);
    const vb = parsed.get(b);
    if (va && vb) return newestFirst(va, vb);
    return va ? -1 : vb ? 1 : 0;
  });
}

/**
 * `<url>.prov`, where Helm looks for an archive's provenance. Helm appends to the whole URL
 * (after any query); here `.prov` goes on the path, so that a query (an access token) stays one.
 */
export function provenanceUrl(archiveUrl: string): string {
  const url = new URL(archiveUrl);
  url.pathname = `${url.pathname}.prov`;
  return url.href;
}

/**
 * The .tgz files of the workspace matching the `packages` globs (`*`, `?`, `**`, `[…]`, `!` to
 * exclude), sorted; a folder stands for the .tgz files directly in it. A glob that matches
 * nothing is an input error: a wrong path must not look like an empty migration.
 */
export async function workspacePackages(workspace: string, patterns: readonly string[]): Promise<ExistingPackage[]> {
  const files = await listFiles(workspace);
  const includes: Array<{ raw: string; matches: (path: string) => boolean }> = [];
  const excludes: Array<(path: string) => boolean> = [];
  for (const raw of patterns) {
    const exclude = raw.startsWith('!');
    const text = trimTrailing(posix.normalize((exclude ? raw.slice(1) : raw).trim().replace(/^\.\//, '')), '/');
    if (text.startsWith('../') || text === '..' || text.startsWith('/')) {
      throw new InputError('packages', `"${raw}" is outside the workspace; give a path or glob relative to the repository`);
    }
    const folder = !/[*?[\\]/.test(text) && (await isDirectory(join(workspace, text)));
    const matches = compileDirGlob(folder ? (text === '.' ? '*' : `${text}/*`) : text);
    if (exclude) excludes.push(matches);
    else includes.push({ raw, matches });
  }
  if (includes.length === 0)
    throw new InputError('packages', 'only excludes ("!…"): give the .tgz files or folders to push, e.g. "dist/*.tgz"');
  const chosen = new Set<string>();
  for (const include of includes) {
    const found = files.filter((f) => f.endsWith('.tgz') && include.matches(f) && !excludes.some((x) => x(f)));
    if (found.length === 0) throw new InputError('packages', `"${include.raw}" matches no .tgz file in the workspace`);
    for (const f of found) chosen.add(f);
  }
  const present = new Set(files);
  return [...chosen].sort().map((path) => {
    const file = join(workspace, path);
    return {
      name: '',
      version: '',
      deprecated: false,
      location: path,
      file,
      archive: () => readFile(file),
      provenance: async () => (present.has(`${path}.prov`) ? readFile(`${file}.prov`) : undefined),
    };
  });
}

/** Workspace-relative `/`-separated paths of every file, without .git and node_modules. */
async function listFiles(workspace: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new DomainError(`cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    for (const entry of entries) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') await walk(join(dir, entry.name), path);
      } else if (entry.isFile()) out.push(path);
    }
  };
  await walk(workspace, '');
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
