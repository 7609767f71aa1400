import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { archiveEntries, packageChart } from '../../src/chart/packager.js';
import { fileHeader, padding, trailer } from '../../src/chart/go/tar-writer.js';
import { ChartError, DomainError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as Error;
}

const load = (ws: string, dir = 'charts/demo') => loadChart(dir, { workspace: ws, logger: new MemoryLogger() });

describe('hostile or broken chart folders end in a clear error', () => {
  it('a chart location that is a file', async () => {
    const ws = tempDir();
    writeTree(ws, { 'charts/demo': 'not a folder' });
    const error = await failure(load(ws));
    expect(error).toBeInstanceOf(ChartError);
    expect(error.message).toBe('charts/demo is not a folder: a chart is a folder holding Chart.yaml');
  });

  it('a chart location that does not exist', async () => {
    const error = await failure(load(tempDir(), 'charts/nowhere'));
    expect(error.message).toMatch(/^cannot read the chart folder charts\/nowhere: it does not exist .*\(ENOENT\)$/);
  });

  it('a FIFO in the chart is refused, not read (a read would block forever)', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    execFileSync('mkfifo', [join(ws, 'charts/demo/pipe')]);
    const error = await failure(load(ws));
    expect(error.message).toMatch(/irregular file charts\/demo\/pipe .*FIFO/);
  });

  it('a FIFO named .helmignore is refused, not read', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    execFileSync('mkfifo', [join(ws, 'charts/demo/.helmignore')]);
    const error = await failure(load(ws));
    expect(error.message).toMatch(/charts\/demo\/.helmignore is not a regular file/);
  });

  it('a .helmignore linked out of the workspace is never read, so its content is never quoted', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    symlinkSync('/proc/self/environ', join(ws, 'charts/demo/.helmignore'));
    const error = await failure(load(ws));
    expect(error).toBeInstanceOf(ChartError);
    expect(String(error)).toMatch(/^charts\/demo\/.helmignore: leads outside the workspace/);
    expect(String(error)).not.toContain('PATH=');
  });

  it('a symbolic link loop names the link', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    symlinkSync('loop-b', join(ws, 'charts/demo/loop-a'));
    symlinkSync('loop-a', join(ws, 'charts/demo/loop-b'));
    const error = await failure(load(ws));
    expect(error).toBeInstanceOf(ChartError);
    expect((error as ChartError).file).toMatch(/^charts\/demo\/loop-[ab]$/);
  });

  it('a file name too long for the file system names the file (ENAMETOOLONG)', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    const demo = join(ws, 'charts/demo');
    const name = 'd'.repeat(250);
    // Only one folder at a time can build a path longer than PATH_MAX (4096).
    execFileSync('sh', ['-c', `cd "${demo}" && for i in $(seq 20); do mkdir ${name} && cd -P ${name} || exit 1; done && touch f`]);
    try {
      const error = await failure(load(ws));
      expect(error.message).toMatch(/^cannot (list the folder|read) charts\/demo\/d+.*the name is too long .*\(ENAMETOOLONG\)$/);
    } finally {
      execFileSync('rm', ['-rf', join(demo, name)]);
    }
  });
});

describe('the packager', () => {
  it('a file that disappears before it is packaged is an error naming it, not an unhandled rejection', async () => {
    const ws = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`charts/demo/templates/t${String(i).padStart(2, '0')}.yaml`] = `n: ${i}\n`.repeat(10000);
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), ...files });
    const chart = await load(ws);
    // Files read ahead of the one being written: several fail while the first is compressed.
    for (const name of ['t03', 't04', 't05', 't06']) rmSync(join(ws, `charts/demo/templates/${name}.yaml`));
    const error = await failure(packageChart(chart, { outputDir: join(ws, 'out'), mtime: 0 }));
    expect(error.message).toMatch(/^cannot read .*charts\/demo\/templates\/t03\.yaml: it does not exist .*\(ENOENT\)$/);
  });

  it('a package name longer than a file system allows is refused before writing', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'n'.repeat(200), `1.0.0-${'p'.repeat(60)}`));
    const chart = await load(ws);
    const error = await failure(packageChart(chart, { outputDir: join(ws, 'out'), mtime: 0 }));
    expect(error.message).toMatch(
      /package file name n+-1\.0\.0-p+\.tgz is 271 bytes long, more than the 255 .*: shorten the chart name or version/,
    );
  });

  it('an output folder that cannot be created names it', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), blocker: 'a file' });
    const chart = await load(ws);
    const error = await failure(packageChart(chart, { outputDir: join(ws, 'blocker/out'), mtime: 0 }));
    expect(error.message).toMatch(/^cannot create the output-dir .*blocker\/out: a part of the path is a file, not a folder \(ENOTDIR\)/);
  });

  it('a vendored subchart archive with 150,000 entries loads and packages (no spread into push)', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    const parts: Buffer[] = [];
    const add = (name: string, data: Buffer) => parts.push(fileHeader(name, data.length, 0), data, padding(data.length));
    add('big/Chart.yaml', Buffer.from('apiVersion: v2\nname: big\nversion: 1.0.0\n'));
    for (let i = 0; i < 150_000; i++) add(`big/files/f${i}`, Buffer.alloc(0));
    parts.push(trailer());
    mkdirSync(join(ws, 'charts/demo/charts'));
    writeFileSync(join(ws, 'charts/demo/charts/big-1.0.0.tgz'), gzipSync(Buffer.concat(parts), { level: 1 }));
    const chart = await load(ws);
    expect(archiveEntries(chart)).toHaveLength(150_004);
    const pkg = await packageChart(chart, { outputDir: join(ws, 'out'), mtime: 0 });
    expect(pkg.entries).toBe(150_004);
  }, 120_000);

  it('a chart folder over 100 MiB in all is refused: Helm could not load its package', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    mkdirSync(join(ws, 'charts/demo/files'));
    // Each file within the 5 MiB per file; sparse, so the test writes nothing.
    for (let i = 0; i < 21; i++) {
      writeFileSync(join(ws, `charts/demo/files/f${i}`), '');
      truncateSync(join(ws, `charts/demo/files/f${i}`), 5 * 1024 * 1024);
    }
    const error = await failure(load(ws));
    expect(error).toBeInstanceOf(ChartError);
    expect(String(error)).toMatch(
      /^charts\/demo: the chart's files add up to 110\d{6} bytes, more than the 104857600 \(100 MiB\) Helm loads from a chart archive/,
    );
  });

  it('subchart archives nested in a subchart archive share one 100 MiB, not 100 MiB each', async () => {
    // An archive of 95 MiB of zeros is about 100 KB: three of them in one vendored archive
    // would each pass alone, and hold 285 MiB in memory.
    const tar = (files: Array<[string, Buffer]>) => {
      const parts: Buffer[] = [];
      for (const [name, data] of files) parts.push(fileHeader(name, data.length, 0), data, padding(data.length));
      parts.push(trailer());
      return gzipSync(Buffer.concat(parts), { level: 1 });
    };
    const zeros = Buffer.alloc(5 * 1024 * 1024);
    const inner = (name: string) =>
      tar([
        [`${name}/Chart.yaml`, Buffer.from(`apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`)],
        ...Array.from({ length: 19 }, (_, i): [string, Buffer] => [`${name}/files/f${i}`, zeros]),
      ]);
    const outer = tar([
      ['outer/Chart.yaml', Buffer.from('apiVersion: v2\nname: outer\nversion: 1.0.0\n')],
      ...['a', 'b', 'c'].map((name): [string, Buffer] => [`outer/charts/${name}-1.0.0.tgz`, inner(name)]),
    ]);
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    mkdirSync(join(ws, 'charts/demo/charts'));
    writeFileSync(join(ws, 'charts/demo/charts/outer-1.0.0.tgz'), outer);
    const error = await failure(load(ws));
    expect(error).toBeInstanceOf(ChartError);
    expect(error.message).toBe(
      'error unpacking subchart outer-1.0.0.tgz in demo: error unpacking subchart b-1.0.0.tgz in outer: ' +
        'decompressed, the chart with its subcharts is larger than the maximum size 104857600',
    );
  }, 60_000);
});

describe('file names that are not valid UTF-8', () => {
  it('are packaged with their raw bytes, as Helm packages them (checked with GNU tar)', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    const raw = Buffer.concat([Buffer.from(join(ws, 'charts/demo/files/caf')), Buffer.from([0xe9]), Buffer.from('.txt')]);
    mkdirSync(join(ws, 'charts/demo/files'));
    writeFileSync(raw, 'latin-1 name');
    const chart = await load(ws);
    const pkg = await packageChart(chart, { outputDir: join(ws, 'out'), mtime: 0 });
    const listing = execFileSync('tar', ['--quoting-style=literal', '-tzf', pkg.path]);
    const expected = Buffer.concat([Buffer.from('demo/files/caf'), Buffer.from([0xe9]), Buffer.from('.txt\n')]);
    expect(listing.includes(expected), listing.toString('latin1')).toBe(true);
    const out = tempDir();
    execFileSync('tar', ['-xzf', pkg.path, '-C', out]);
    const extracted = Buffer.concat([Buffer.from(`${out}/`), expected.subarray(0, -1)]);
    expect(readFileSync(extracted, 'utf8')).toBe('latin-1 name');
  });
});
