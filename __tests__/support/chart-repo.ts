import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { loadChart } from '../../src/chart/chart-loader.js';
import { packageChart } from '../../src/chart/packager.js';
import { MemoryLogger } from './memory-logger.js';
import { chartFiles, tempDir, writeTree } from './temp-workspace.js';

/**
 * A static Helm chart repository: files under `root` served over http on 127.0.0.1, the way a
 * GitHub Pages or S3 chart repository serves index.yaml and archives. Optionally behind Basic
 * authentication (401 with a `WWW-Authenticate: Basic` challenge otherwise). Every request is
 * logged with the user it authenticated as.
 */

export interface RepoRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** The Basic user sent, if any. */
  user?: string;
  status: number;
}

export interface ChartRepo {
  /** `http://127.0.0.1:PORT` */
  url: string;
  root: string;
  requests: RepoRequest[];
  stop(): Promise<void>;
}

export interface ChartRepoOptions {
  /** Folder to serve; by default a fresh temporary one, removed by stop(). */
  root?: string;
  /** Require these credentials for every request. */
  auth?: { username: string; password: string };
}

export async function startChartRepo(options: ChartRepoOptions = {}): Promise<ChartRepo> {
  const root = options.root ?? realpathSync(mkdtempSync(join(tmpdir(), 'ocp-repo-')));
  const requests: RepoRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const log = (status: number, user?: string) =>
      requests.push({ method: req.method ?? '', path: req.url ?? '', status, ...(user !== undefined ? { user } : {}) });
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : undefined;
    const user = decoded?.slice(0, decoded.indexOf(':'));
    if (options.auth && decoded !== `${options.auth.username}:${options.auth.password}`) {
      log(401, user);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"', 'content-type': 'text/plain' });
      res.end('unauthorized\n');
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || req.method !== 'GET') {
      log(404, user);
      res.writeHead(404).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      const body = readFileSync(file);
      log(200, user);
      res.writeHead(200, {
        'content-length': String(body.length),
        'content-type': file.endsWith('.yaml') ? 'text/yaml' : 'application/gzip',
      });
      res.end(body);
    } catch {
      log(404, user);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (!options.root) rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** An entry of index.yaml: an archive under `dir` (relative to the repository) or at an absolute URL. */
export interface IndexItem {
  name: string;
  version: string;
  /** As written in `urls:` — relative (`charts/a-1.0.0.tgz`) or absolute. */
  url: string;
  /** The archive, to compute `digest:`; omitted from the entry when absent. */
  archive?: Buffer;
}

/** Writes `<repoDir>/index.yaml` as `helm repo index` writes it (apiVersion v1, entries by name). */
export function writeIndex(repoDir: string, items: IndexItem[]): void {
  const entries: Record<string, unknown[]> = {};
  for (const item of items) {
    (entries[item.name] ??= []).push({
      apiVersion: 'v2',
      name: item.name,
      version: item.version,
      created: '2026-01-01T00:00:00Z',
      urls: [item.url],
      ...(item.archive ? { digest: createHash('sha256').update(item.archive).digest('hex') } : {}),
    });
  }
  writeFileSync(join(repoDir, 'index.yaml'), stringify({ apiVersion: 'v1', entries, generated: '2026-01-01T00:00:00Z' }));
}

/**
 * A small valid chart `name` `version` packaged by our packager, as a stand-in for a real
 * dependency of that name and version. Returns the archive bytes.
 */
export async function standInArchive(name: string, version: string, extra: Record<string, string> = {}): Promise<Buffer> {
  const ws = tempDir('ocp-standin-');
  writeTree(ws, chartFiles('chart', name, version, { 'templates/NOTES.txt': `stand-in for ${name} ${version}\n`, ...extra }));
  const chart = await loadChart(join(ws, 'chart'), { workspace: ws, logger: new MemoryLogger() });
  const pkg = await packageChart(chart, { outputDir: join(ws, 'out'), mtime: 1_700_000_000 });
  return readFileSync(pkg.path);
}

/** Puts stand-in archives into `repoDir/<subdir>` and writes the index; returns the items. */
export async function fillRepo(
  repoDir: string,
  charts: Array<{ name: string; version: string; absoluteBase?: string }>,
  subdir = '',
): Promise<IndexItem[]> {
  const items: IndexItem[] = [];
  for (const { name, version, absoluteBase } of charts) {
    const archive = await standInArchive(name, version);
    const rel = `${subdir ? `${subdir}/` : ''}${name}-${version}.tgz`;
    writeTree(repoDir, { [rel]: archive });
    items.push({ name, version, url: absoluteBase ? `${absoluteBase}/${rel}` : rel, archive });
  }
  writeIndex(repoDir, items);
  return items;
}
