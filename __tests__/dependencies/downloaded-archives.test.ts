import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { fileHeader, padding, trailer } from '../../src/chart/go/tar-writer.js';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { ChartError } from '../../src/shared/errors.js';
import { standInArchive, startChartRepo, writeIndex, type ChartRepo } from '../support/chart-repo.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/** Every archive a repository hands out is checked before it becomes a subchart. */

let server: ChartRepo;
beforeAll(async () => {
  server = await startChartRepo();
});
afterAll(async () => {
  await server.stop();
});

/** A gzipped tar of the given entries, exactly as written (no checks of ours in the way). */
function tarGz(entries: Array<[name: string, data: Buffer | string]>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    parts.push(fileHeader(name, data.length, 1_700_000_000), data, padding(data.length));
  }
  parts.push(trailer());
  return gzipSync(Buffer.concat(parts));
}

const CHART_YAML = 'apiVersion: v2\nname: b\nversion: 1.0.0\n';

/** Serves `archive` as b 1.0.0 from a repository of its own and builds a chart depending on it. */
async function buildWith(archive: Buffer, options: { digestOf?: Buffer } = {}): Promise<string> {
  const dir = `r${Math.random().toString(36).slice(2)}`;
  writeTree(server.root, { [`${dir}/b-1.0.0.tgz`]: archive });
  writeIndex(join(server.root, dir), [
    { name: 'b', version: '1.0.0', url: 'b-1.0.0.tgz', ...(options.digestOf ? { archive: options.digestOf } : {}) },
  ]);
  const ws = tempDir();
  writeTree(
    ws,
    chartFiles('app', 'app', '1.0.0', {
      'Chart.yaml': `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: b\n    version: 1.0.0\n    repository: ${server.url}/${dir}\n`,
    }),
  );
  const logger = new MemoryLogger();
  const chart = await loadChart('app', { workspace: ws, logger });
  const builder = createDependencyBuilder({ workspace: ws, cacheDir: join(ws, '.cache'), logger, retry: { maxRetries: 0 } });
  const error = await builder.build(chart, 'app').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChartError);
  expect(error).toMatchObject({ file: 'app/Chart.yaml', line: 5 });
  const message = (error as ChartError).message;
  const prefix = `dependency "b" (${server.url}/${dir}): ${server.url}/${dir}/b-1.0.0.tgz `;
  expect(message.startsWith(prefix), message).toBe(true);
  return message.slice(prefix.length);
}

describe('downloaded archives are checked before use', () => {
  it('refuses an archive with ../ paths', async () => {
    const archive = tarGz([
      ['b/Chart.yaml', CHART_YAML],
      ['b/../../../etc/cron.d/evil', '* * * * * root true\n'],
    ]);
    expect(await buildWith(archive)).toBe('is not a usable chart archive: chart illegally references parent directory');
  });

  it('refuses an archive with absolute paths', async () => {
    const archive = tarGz([
      ['b/Chart.yaml', CHART_YAML],
      ['b//etc/passwd', 'root:x:0:0\n'],
    ]);
    expect(await buildWith(archive)).toBe('is not a usable chart archive: chart illegally contains absolute paths');
  });

  it("refuses an archive larger than Helm's 100 MiB, or with a file over 5 MiB", async () => {
    const fiveMiB = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const big = tarGz([
      ['b/Chart.yaml', CHART_YAML],
      ...Array.from({ length: 21 }, (_, i): [string, Buffer] => [`b/files/f${i}.txt`, fiveMiB]),
    ]);
    expect(big.length).toBeLessThan(1024 * 1024);
    expect(await buildWith(big)).toBe('is not a usable chart archive: decompressed chart is larger than the maximum size 104857600');
    const oneFile = tarGz([
      ['b/Chart.yaml', CHART_YAML],
      ['b/files/huge.bin', Buffer.alloc(5 * 1024 * 1024 + 1)],
    ]);
    expect(await buildWith(oneFile)).toBe(
      'is not a usable chart archive: decompressed chart file "b/files/huge.bin" is larger than the maximum file size 5242880',
    );
  });

  it('refuses what is not a gzipped tar', async () => {
    expect(await buildWith(Buffer.from(CHART_YAML))).toBe(
      'is not a usable chart archive: the file seems to be a YAML file, but a gzipped chart archive was expected',
    );
    expect(await buildWith(Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.alloc(40, 7)]))).toMatch(
      /^is not a usable chart archive: the archive is not valid gzip data: /,
    );
  });

  it('refuses an archive of another chart, or another version', async () => {
    expect(await buildWith(await standInArchive('c', '1.0.0'))).toBe(
      'contains chart "c", not "b"; the repository serves the wrong archive',
    );
    expect(await buildWith(await standInArchive('b', '1.0.1'))).toBe(
      'contains b version 1.0.1, not 1.0.0; the repository serves the wrong archive',
    );
  });

  it('refuses an archive that does not match the digest in index.yaml', async () => {
    const message = await buildWith(await standInArchive('b', '1.0.0'), { digestOf: Buffer.from('something else') });
    expect(message).toMatch(
      /^does not match the digest sha256:[0-9a-f]{64} that the index\.yaml of .* gives for it \(got sha256:[0-9a-f]{64}\); the repository is inconsistent or the download was altered$/,
    );
  });

  it('refuses an archive whose chart is invalid', async () => {
    const archive = tarGz([['b/Chart.yaml', 'apiVersion: v2\nname: b\nversion: latest\n']]);
    expect(await buildWith(archive)).toMatch(/^is not a usable chart archive: validation: chart\.metadata\.version "latest" is invalid/);
  });
});
