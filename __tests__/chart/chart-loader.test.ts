import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadChart, missingDependencies } from '../../src/chart/chart-loader.js';
import { archiveEntries, packageChart } from '../../src/chart/packager.js';
import { ChartError } from '../../src/shared/errors.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { readTar } from '../support/tar-entries.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

async function load(workspace: string, dir = 'charts/demo', logger = new MemoryLogger()) {
  return loadChart(dir, { workspace, logger });
}

async function loadError(workspace: string, dir = 'charts/demo'): Promise<ChartError> {
  try {
    await load(workspace, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ChartError);
    return error as ChartError;
  }
  throw new Error('expected the chart to fail loading');
}

function names(chart: Awaited<ReturnType<typeof load>>): string[] {
  return archiveEntries(chart).map((e) => e.name);
}

describe('file selection', () => {
  it("walks in Helm's order: per-directory byte order, special files first", async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo'),
      'charts/demo/templates/NOTES.txt': 'n',
      'charts/demo/templates/_helpers.tpl': 'h',
      'charts/demo/templates/tests/t.yaml': 't',
      'charts/demo/foo/x': 'x',
      'charts/demo/foo.txt': 'f',
      'charts/demo/.env': 'hidden files are kept',
      'charts/demo/values.schema.json': '{}',
      'charts/demo/templates/.gitkeep': 'default rule drops dotfiles directly in templates/',
      'charts/demo/templates/sub/.keep': 'but not deeper',
    });
    expect(names(await load(ws))).toEqual([
      'demo/Chart.yaml',
      'demo/values.yaml',
      'demo/values.schema.json',
      'demo/templates/NOTES.txt',
      'demo/templates/_helpers.tpl',
      'demo/templates/configmap.yaml',
      'demo/templates/sub/.keep',
      'demo/templates/tests/t.yaml',
      'demo/.env',
      'demo/foo/x',
      'demo/foo.txt',
    ]);
  });

  it('applies .helmignore and includes .helmignore itself', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo'),
      'charts/demo/.helmignore': '# comment\n*.bak\nsecrets/\n/top.txt\n',
      'charts/demo/a.bak': 'x',
      'charts/demo/secrets/key': 'x',
      'charts/demo/top.txt': 'x',
      'charts/demo/sub/top.txt': 'kept: anchored rule',
    });
    expect(names(await load(ws))).toEqual([
      'demo/Chart.yaml',
      'demo/values.yaml',
      'demo/templates/configmap.yaml',
      'demo/.helmignore',
      'demo/sub/top.txt',
    ]);
  });

  it('strips a BOM from every file and reads a CRLF Chart.yaml', async () => {
    const ws = tempDir();
    writeTree(ws, {
      'charts/demo/Chart.yaml': '\uFEFFapiVersion: v2\r\nname: demo\r\nversion: 0.1.0\r\n',
      'charts/demo/values.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\r\n')]),
    });
    const chart = await load(ws);
    expect(chart.metadata.name).toBe('demo');
    const out = tempDir();
    const pkg = await packageChart(chart, { outputDir: out, mtime: 0 });
    const entries = readTar(gunzipSync(readFileSync(pkg.path)));
    expect(entries.map((e) => e.data.toString())).toEqual(['apiVersion: v2\nname: demo\nversion: 0.1.0\n', 'a: 1\r\n']);
  });
});

describe('bad input gets a clear error naming the file (and line)', () => {
  it('malformed Chart.yaml YAML shows the line', async () => {
    const ws = tempDir();
    writeTree(ws, { 'charts/demo/Chart.yaml': 'apiVersion: v2\nname: demo: x\nversion: 0.1.0\n' });
    const error = await loadError(ws);
    expect(error.file).toBe('charts/demo/Chart.yaml');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/not valid YAML/);
  });

  it('missing name and missing version', async () => {
    const ws = tempDir();
    writeTree(ws, {
      'charts/demo/Chart.yaml': 'apiVersion: v2\nversion: 0.1.0\n',
      'charts/other/Chart.yaml': 'apiVersion: v2\nname: other\n',
    });
    expect((await loadError(ws)).message).toMatch(/chart.metadata.name is required/);
    expect((await loadError(ws, 'charts/other')).message).toMatch(/chart.metadata.version is required/);
  });

  it('** in .helmignore names the .helmignore line', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'charts/demo/.helmignore': '*.bak\n**/tmp\n' });
    const error = await loadError(ws);
    expect(error.file).toBe('charts/demo/.helmignore');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/double-star \(\*\*\) syntax is not supported/);
  });

  it('a lone ! rule that drops Chart.yaml says which rule', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'charts/demo/.helmignore': '!README.md\n' });
    const error = await loadError(ws);
    expect(error.message).toBe('Chart.yaml file is missing: .helmignore rule "!README.md" (line 1) excludes it');
    expect(error.file).toBe('charts/demo/.helmignore');
  });

  it('a FIFO is refused unless ignored', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    execFileSync('mkfifo', [join(ws, 'charts/demo/pipe')]);
    const error = await loadError(ws);
    expect(error.message).toMatch(/cannot load irregular file charts\/demo\/pipe as it has file mode type bits set/);
    writeFileSync(join(ws, 'charts/demo/.helmignore'), 'pipe\n');
    await expect(load(ws)).resolves.toBeDefined();
  });

  it('a 6 MiB file is refused with the 5 MiB limit', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'charts/demo/files/big.bin': Buffer.alloc(6 * 1024 * 1024, 1) });
    const error = await loadError(ws);
    expect(error.message).toMatch(/chart file "big.bin" is larger than the maximum file size 5242880/);
    expect(error.file).toBe('charts/demo/files/big.bin');
  });

  it('a symlink leaving the workspace is refused; one inside is followed', async () => {
    const ws = tempDir();
    const outside = tempDir();
    writeTree(outside, { 'secret.txt': 'runner file' });
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'shared/common.yaml': 'shared: true\n' });
    symlinkSync(join(ws, 'shared/common.yaml'), join(ws, 'charts/demo/templates/common.yaml'));
    const logger = new MemoryLogger();
    const chart = await load(ws, 'charts/demo', logger);
    expect(names(chart)).toContain('demo/templates/common.yaml');
    expect(logger.messages('info').join('\n')).toMatch(
      /found symbolic link in path: charts\/demo\/templates\/common.yaml → shared\/common.yaml/,
    );

    symlinkSync(join(outside, 'secret.txt'), join(ws, 'charts/demo/leak.txt'));
    const error = await loadError(ws);
    expect(error.message).toMatch(/symbolic link charts\/demo\/leak.txt points outside the workspace/);
  });

  it("a symlink into the repository's .git is refused; a root chart never carries the checkout's .git", async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('.', 'root'), '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n' });
    const logger = new MemoryLogger();
    const chart = await load(ws, '.', logger);
    expect(names(chart).some((n) => n.includes('.git'))).toBe(false);
    expect(logger.messages('info')).toContain(".git: the repository's own .git is never packaged");

    writeTree(ws, chartFiles('charts/demo', 'demo'));
    symlinkSync(join(ws, '.git/config'), join(ws, 'charts/demo/config'));
    expect((await loadError(ws)).message).toMatch(/symbolic link charts\/demo\/config points into the repository's .git folder/);
  });

  it('a dangling symlink is an error, even when .helmignore lists it (as in Helm)', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'charts/demo/.helmignore': 'gone.txt\n' });
    symlinkSync(join(ws, 'nowhere'), join(ws, 'charts/demo/gone.txt'));
    const error = await loadError(ws);
    expect(error.message).toMatch(/error evaluating symlink charts\/demo\/gone.txt: its target does not exist/);
  });

  it('a symlink loop is reported instead of recursing forever', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/demo', 'demo'));
    symlinkSync('..', join(ws, 'charts/demo/templates/up'));
    expect((await loadError(ws)).message).toMatch(/symbolic link loop/);
  });

  it('invalid values.yaml and values.schema.json are refused', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo', '0.1.0', { 'values.yaml': 'a: 1\nb: [\n' }) });
    expect((await loadError(ws)).message).toMatch(/cannot load values.yaml/);
    writeTree(ws, { 'charts/demo/values.yaml': '- a list\n' });
    expect((await loadError(ws)).message).toMatch(/must be a mapping/);
    writeTree(ws, { 'charts/demo/values.yaml': 'a: 1\n', 'charts/demo/values.schema.json': '{"a": }' });
    expect((await loadError(ws)).message).toMatch(/invalid JSON in values.schema.json/);
  });
});

describe('subcharts', () => {
  it('expands charts/*.tgz and charts/<dir> under charts/<name>/ in name order, drops _ and . entries', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo', '0.1.0', {
        'Chart.yaml':
          'apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n- name: zeta\n  version: 1.0.0\n  repository: ""\n- name: alpha\n  version: 1.0.0\n  repository: ""\n',
      }),
      ...chartFiles('charts/demo/charts/zeta-dir', 'zeta', '1.0.0'),
      'charts/demo/charts/.gitkeep': '',
      'charts/demo/charts/_skip/Chart.yaml': 'not even valid: [',
      'charts/demo/charts/alpha-1.0.0.tgz.prov': 'kept as a file',
      ...chartFiles('build/alpha', 'alpha', '1.0.0'),
    });
    // A real archive made by the packager itself, stored as charts/alpha-1.0.0.tgz.
    const alpha = await packageChart(await load(ws, 'build/alpha'), { outputDir: join(ws, 'charts/demo/charts'), mtime: 0 });
    expect(alpha.fileName).toBe('alpha-1.0.0.tgz');
    const chart = await load(ws);
    expect(missingDependencies(chart)).toEqual([]);
    expect(names(chart)).toEqual([
      'demo/Chart.yaml',
      'demo/values.yaml',
      'demo/templates/configmap.yaml',
      'demo/charts/alpha-1.0.0.tgz.prov',
      'demo/charts/alpha/Chart.yaml',
      'demo/charts/alpha/values.yaml',
      'demo/charts/alpha/templates/configmap.yaml',
      'demo/charts/zeta/Chart.yaml',
      'demo/charts/zeta/values.yaml',
      'demo/charts/zeta/templates/configmap.yaml',
    ]);
  });

  it('a plain file in charts/ fails as in Helm', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/demo', 'demo'), 'charts/demo/charts/README.md': 'x' });
    const error = await loadError(ws);
    expect(error.message).toMatch(
      /^error unpacking subchart README.md in demo: Chart.yaml file is missing: .* README.md is a file, not a chart folder/,
    );
    // The annotation points at the file to move, not at charts/README.md/Chart.yaml, which cannot exist.
    expect(error.file).toBe('charts/demo/charts/README.md');
  });

  it('declared dependencies missing from charts/ are reported with their names', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo', '0.1.0', {
        'Chart.yaml':
          'apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n- name: redis\n  version: 1.x\n  repository: oci://r/x\n- name: pg\n  version: 1.x\n  repository: https://x\n',
      }),
    });
    expect(missingDependencies(await load(ws))).toEqual(['redis', 'pg']);
  });

  it('apiVersion v1: requirements.yaml kept and merged, requirements.lock kept, Chart.lock not written', async () => {
    const ws = tempDir();
    writeTree(ws, {
      'charts/demo/Chart.yaml': 'apiVersion: v1\nname: demo\nversion: 0.1.0\n',
      'charts/demo/requirements.yaml': 'dependencies:\n- name: sub\n  version: 1.0.0\n  repository: file://../sub\n',
      'charts/demo/requirements.lock':
        'dependencies:\n- name: sub\n  repository: file://../sub\n  version: 1.0.0\ndigest: sha256:x\ngenerated: "2020-01-01T00:00:00Z"\n',
      ...chartFiles('charts/demo/charts/sub', 'sub', '1.0.0'),
    });
    const chart = await load(ws);
    expect(chart.metadata.dependencies?.map((d) => d?.name)).toEqual(['sub']);
    expect(names(chart)).toEqual([
      'demo/Chart.yaml',
      'demo/requirements.lock',
      'demo/requirements.yaml',
      'demo/charts/sub/Chart.yaml',
      'demo/charts/sub/values.yaml',
      'demo/charts/sub/templates/configmap.yaml',
    ]);
  });

  it('apiVersion v2: requirements.yaml is read with a warning and not packaged', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/demo', 'demo'),
      'charts/demo/requirements.yaml': 'dependencies:\n- name: sub\n  repository: ""\n',
    });
    const logger = new MemoryLogger();
    const chart = await load(ws, 'charts/demo', logger);
    expect(names(chart)).not.toContain('demo/requirements.yaml');
    expect(chart.metadata.dependencies?.length).toBe(1);
    expect(logger.entries.find((l) => l.level === 'warning')?.where?.file).toBe('charts/demo/requirements.yaml');
  });
});

describe('real charts from four chart monorepos', () => {
  const origins = readdirSync(corpusPath('charts'));
  const charts = origins.flatMap((o) => readdirSync(corpusPath('charts', o)).map((c) => `${o}/${c}`));
  // Charts whose Chart.yaml/requirements.yaml declares dependencies that must be downloaded.
  const external: Record<string, string[]> = {
    'prometheus-community/prometheus': ['alertmanager', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-pushgateway'],
    'grafana/loki-stack': ['loki', 'promtail', 'fluent-bit', 'grafana', 'prometheus', 'filebeat', 'logstash'],
    'bitnami/nginx': ['common'],
    'bitnami/kube-prometheus': ['node-exporter', 'kube-state-metrics', 'common'],
  };
  it.each(charts)('%s', async (chart) => {
    const loaded = await loadChart(chart, { workspace: corpusPath('charts'), logger: new MemoryLogger() });
    const missing = missingDependencies(loaded);
    expect(missing.sort()).toEqual((external[chart] ?? []).sort());
    if (missing.length === 0) {
      const pkg = await packageChart(loaded, { outputDir: tempDir(), mtime: 0 });
      expect(pkg.fileName).toBe(`${loaded.metadata.name}-${loaded.metadata.version}.tgz`);
      execFileSync('tar', ['tzf', pkg.path]);
    }
  });
});
