import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadChart, missingDependencies, type LoadedChart } from '../../src/chart/chart-loader.js';
import { marshalLock } from '../../src/chart/metadata.js';
import { packageChart } from '../../src/chart/packager.js';
import { createDependencyBuilder } from '../../src/dependencies/dependency-builder.js';
import { legacyLockDigest, lockDigest } from '../../src/dependencies/lock-digest.js';
import { ChartError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { readTar } from '../support/tar-entries.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

function chartYaml(
  name: string,
  version: string,
  deps: Array<{ name: string; version: string; repository: string; extra?: string }>,
): string {
  const lines = ['apiVersion: v2', `name: ${name}`, `version: ${version}`];
  if (deps.length > 0) lines.push('dependencies:');
  for (const d of deps) {
    lines.push(`  - name: ${d.name}`, `    version: "${d.version}"`, `    repository: "${d.repository}"`);
    if (d.extra) lines.push(d.extra);
  }
  return `${lines.join('\n')}\n`;
}

async function build(ws: string, dir: string, logger = new MemoryLogger()) {
  const chart = await loadChart(dir, { workspace: ws, logger });
  const builder = createDependencyBuilder({ workspace: ws, cacheDir: join(ws, '.out/.dependencies'), logger });
  return { chart: await builder.build(chart, dir), logger };
}

async function entries(chart: LoadedChart): Promise<string[]> {
  const pkg = await packageChart(chart, { outputDir: tempDir(), mtime: 1_700_000_000 });
  return readTar(gunzipSync(readFileSync(pkg.path))).map((e) => e.name);
}

async function rejection(promise: Promise<unknown>): Promise<ChartError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChartError);
  return error as ChartError;
}

describe('file:// dependencies', () => {
  it('builds a chain A → B → C, each packaged with its own .helmignore and its own dependencies', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '^2.0.0', repository: 'file://../b' }]),
      }),
      ...chartFiles('charts/b', 'b', '2.1.0', {
        'Chart.yaml': chartYaml('b', '2.1.0', [
          { name: 'c', version: '3.x', repository: 'file://../../libs/c', extra: '    condition: c.enabled\n    alias: see' },
        ]),
        '.helmignore': 'secret.txt\n',
        'secret.txt': 'never packaged\n',
      }),
      ...chartFiles('libs/c', 'c', '3.4.5'),
    });
    const { chart, logger } = await build(ws, 'charts/a');
    expect(missingDependencies(chart)).toEqual([]);
    const b = chart.dependencies[0]!;
    expect([b.metadata.name, b.metadata.version, b.location]).toEqual(['b', '2.1.0', 'charts/b']);
    expect(b.dependencies.map((c) => [c.metadata.name, c.metadata.version, c.location])).toEqual([['c', '3.4.5', 'libs/c']]);
    // Aliases and conditions pass through untouched.
    expect(b.metadata.dependencies?.[0]).toMatchObject({ alias: 'see', condition: 'c.enabled' });
    const names = await entries(chart);
    expect(names).toContain('a/charts/b/Chart.yaml');
    expect(names).toContain('a/charts/b/charts/c/templates/configmap.yaml');
    expect(names.some((n) => n.endsWith('secret.txt'))).toBe(false);
    // No lock: one is generated for each chart built, with Helm's digest, and the user is told.
    expect(chart.lock?.dependencies).toEqual([expect.objectContaining({ name: 'b', version: '2.1.0', repository: 'file://../b' })]);
    expect(chart.lock?.digest).toBe(lockDigest(chart.metadata.dependencies, chart.lock!.dependencies));
    expect(chart.lock?.generated).toBe('0001-01-01T00:00:00Z');
    expect(names).toContain('a/Chart.lock');
    expect(b.lock?.dependencies?.[0]).toMatchObject({ name: 'c', version: '3.4.5' });
    const warnings = logger.entries.filter((l) => l.level === 'warning');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('b has no Chart.lock: its dependencies were resolved to the newest matching versions (c 3.4.5)'),
      expect.stringContaining('a has no Chart.lock: its dependencies were resolved to the newest matching versions (b 2.1.0)'),
    ]);
    expect(warnings[1]?.where).toMatchObject({ file: 'charts/a/Chart.yaml', line: 4 });
    // Nothing was written into the workspace.
    expect(() => readFileSync(join(ws, 'charts/a/Chart.lock'))).toThrow();
  });

  it('uses exactly the locked version and refuses a local chart that moved on', async () => {
    const ws = tempDir();
    const deps = [{ name: 'b', version: '^1.0.0', repository: 'file://../b' }];
    const locked = [
      {
        name: 'b',
        version: '1.0.0',
        repository: 'file://../b',
        condition: '',
        tags: null,
        enabled: false,
        'import-values': null,
        alias: '',
      },
    ];
    const yaml = chartYaml('a', '1.0.0', deps);
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', { 'Chart.yaml': yaml }),
      ...chartFiles('b', 'b', '1.2.0'),
    });
    const loaded = await loadChart('a', { workspace: ws, logger: new MemoryLogger() });
    const lock = { generated: '2026-01-01T00:00:00Z', digest: lockDigest(loaded.metadata.dependencies, locked), dependencies: locked };
    writeTree(ws, { 'a/Chart.lock': marshalLock(lock) });
    const error = await rejection(build(ws, 'a'));
    expect(error.message).toBe(
      'dependency "b" (file://../b): b is version 1.2.0, but a/Chart.lock locks 1.0.0; run "helm dependency update" and commit the lock file',
    );
    expect(error.file).toBe('a/Chart.yaml');
    expect(error.line).toBe(5);

    writeTree(ws, chartFiles('b', 'b', '1.0.0'));
    const { chart, logger } = await build(ws, 'a');
    expect(chart.dependencies.map((d) => d.metadata.version)).toEqual(['1.0.0']);
    expect(chart.lock).toEqual(loaded.lock ?? lock);
    expect(logger.entries.filter((l) => l.level === 'warning')).toEqual([]);
  });

  it('refuses a Chart.lock out of sync with Chart.yaml, naming Chart.lock', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '^2.0.0', repository: 'file://../b' }]),
      }),
      ...chartFiles('b', 'b', '2.0.0'),
      // Written for `^1.0.0`; Chart.yaml has moved to ^2.0.0 since.
      'a/Chart.lock': [
        'dependencies:',
        '- name: b',
        '  repository: file://../b',
        '  version: 1.0.0',
        'digest: sha256:0000000000000000000000000000000000000000000000000000000000000000',
        'generated: "2026-01-01T00:00:00Z"',
        '',
      ].join('\n'),
    });
    const error = await rejection(build(ws, 'a'));
    expect(error.file).toBe('a/Chart.lock');
    expect(error.line).toBe(5);
    expect(error.message).toMatch(
      /^Chart\.lock is out of sync with the dependencies in Chart\.yaml: it was made for other dependencies \(its digest is sha256:0{64}, the dependencies now give sha256:[0-9a-f]{64}\); run "helm dependency update" in a and commit Chart\.lock$/,
    );
  });

  it('builds from a lock whose digest matches even where the range does not accept the locked version, as Helm does', async () => {
    // A Helm 2 lock: Helm 2 read ^0.13.0 as ">=0.13.0 <1.0.0" and locked 0.15.0; Helm 3's
    // `helm dependency build` checks the digest only and downloads the locked version.
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '^2.0.0', repository: 'file://../b' }]),
      }),
      ...chartFiles('b', 'b', '1.0.0'),
    });
    const loaded = await loadChart('a', { workspace: ws, logger: new MemoryLogger() });
    const locked = [
      {
        name: 'b',
        version: '1.0.0',
        repository: 'file://../b',
        condition: '',
        tags: null,
        enabled: false,
        'import-values': null,
        alias: '',
      },
    ];
    writeTree(ws, {
      'a/Chart.lock': marshalLock({
        generated: '2026-01-01T00:00:00Z',
        digest: lockDigest(loaded.metadata.dependencies, locked),
        dependencies: locked,
      }),
    });
    const { chart } = await build(ws, 'a');
    expect(chart.dependencies.map((d) => `${d.metadata.name} ${d.metadata.version}`)).toEqual(['b 1.0.0']);
  });

  it('says to write the URL a lock records for a repository alias, instead of calling the lock out of sync', async () => {
    const ws = tempDir();
    const url = 'https://charts.example.com/stable';
    const declared = [{ name: 'b', version: '^1.0.0', repository: '@stable' }];
    // The lock as Helm writes it after `helm repo add stable <url>`: the URL, digest over the URL.
    const entry = { name: 'b', version: '1.2.0', repository: url };
    const resolved = { apiVersion: 'v2', dependencies: [{ ...entry, version: '^1.0.0' }] };
    const digest = lockDigest(
      resolved.dependencies.map((d) => ({ ...d, condition: '', tags: null, enabled: false, 'import-values': null, alias: '' })),
      [{ ...entry, condition: '', tags: null, enabled: false, 'import-values': null, alias: '' }],
    );
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', declared),
        'Chart.lock': `dependencies:\n- name: b\n  repository: ${url}\n  version: 1.2.0\ndigest: ${digest}\ngenerated: "2026-01-01T00:00:00Z"\n`,
      }),
    });
    const error = await rejection(build(ws, 'a'));
    expect(error.message).toBe(
      'dependency "b" (@stable): "@stable" names a repository added with "helm repo add"; write its URL instead ' +
        '(Chart.lock records https://charts.example.com/stable): dependencies are fetched straight from their URLs',
    );
    expect(error).toMatchObject({ file: 'a/Chart.yaml', line: 5 });

    // apiVersion v1: requirements.yaml with alias:, the lock in sync by its Helm 2 digest, which
    // Helm 2 computed over the dependencies as written.
    rmSync(join(ws, 'a/Chart.lock'));
    writeTree(ws, {
      'a/Chart.yaml': 'apiVersion: v1\nname: a\nversion: 1.0.0\n',
      'a/requirements.yaml': `dependencies:\n- name: b\n  version: ^1.0.0\n  repository: alias:stable\n`,
    });
    const v1Chart = await loadChart('a', { workspace: ws, logger: new MemoryLogger() });
    writeTree(ws, {
      'a/requirements.lock': `dependencies:\n- name: b\n  repository: ${url}\n  version: 1.2.0\ndigest: ${legacyLockDigest(v1Chart.metadata.dependencies)}\ngenerated: "2026-01-01T00:00:00Z"\n`,
    });
    const v1 = await rejection(build(ws, 'a'));
    expect(v1.message).toBe(
      'dependency "b" (alias:stable): "alias:stable" names a repository added with "helm repo add"; write its URL instead ' +
        '(requirements.lock records https://charts.example.com/stable): dependencies are fetched straight from their URLs',
    );
    expect(v1).toMatchObject({ file: 'a/requirements.yaml', line: 2 });
  });

  it('refuses a file:// dependency that leaves the workspace', async () => {
    const outside = tempDir();
    writeTree(outside, chartFiles('b', 'b', '1.0.0'));
    const ws = tempDir();
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '1.0.0', repository: `file://${outside}/b` }]),
      }),
    );
    const error = await rejection(build(ws, 'a'));
    expect(error.message).toBe(
      `dependency "b" (file://${outside}/b): file://${outside}/b leads to ${outside}/b, outside the workspace; a file:// dependency must be a chart directory in this repository`,
    );
    expect(error).toMatchObject({ file: 'a/Chart.yaml', line: 5 });

    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '1.0.0', repository: 'file://../../nope' }]),
      }),
    );
    expect((await rejection(build(ws, 'a'))).message).toMatch(
      /^dependency "b" \(file:\/\/\.\.\/\.\.\/nope\): directory \.\.\/.*nope not found$/,
    );
  });

  it('reports a cycle of file:// dependencies instead of waiting for it', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', { 'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '*', repository: 'file://../b' }]) }),
      ...chartFiles('b', 'b', '1.0.0', { 'Chart.yaml': chartYaml('b', '1.0.0', [{ name: 'c', version: '*', repository: 'file://../c' }]) }),
      ...chartFiles('c', 'c', '1.0.0', { 'Chart.yaml': chartYaml('c', '1.0.0', [{ name: 'a', version: '*', repository: 'file://../a' }]) }),
    });
    const error = await rejection(build(ws, 'a'));
    expect(error.message).toBe('dependency "a" (file://../a): dependency cycle: a → b → c → a; a chart cannot contain itself');
    expect(error.file).toBe('c/Chart.yaml');
  });

  it('uses subcharts already in charts/ that satisfy a dependency, and requires them for repository ""', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [
          { name: 'vendored', version: '~1.2.0', repository: 'file://../elsewhere' },
          { name: 'intree', version: '0.1.0', repository: '' },
          { name: 'b', version: '1.x', repository: 'file://../b' },
        ]),
      }),
      ...chartFiles('a/charts/vendored', 'vendored', '1.2.7'),
      ...chartFiles('a/charts/intree', 'intree', '0.1.0'),
      ...chartFiles('b', 'b', '1.5.0'),
    });
    const { chart } = await build(ws, 'a');
    expect(chart.dependencies.map((d) => [d.metadata.name, d.location])).toEqual([
      ['b', 'b'],
      ['intree', 'a/charts/intree'],
      ['vendored', 'a/charts/vendored'],
    ]);
    // The generated lock records an in-tree dependency with its range, as Helm does.
    expect(chart.lock?.dependencies?.map((d) => [d?.name, d?.version])).toEqual([
      ['vendored', '1.2.7'],
      ['intree', '0.1.0'],
      ['b', '1.5.0'],
    ]);

    writeTree(ws, chartFiles('a/charts/intree', 'intree', '0.2.0'));
    expect((await rejection(build(ws, 'a'))).message).toBe(
      'dependency "intree": a/charts/intree is version 0.2.0, which the range "0.1.0" does not accept',
    );
    writeTree(ws, { 'a/charts/intree/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n' });
    const missing = await rejection(build(ws, 'a'));
    expect(missing.message).toBe(
      'dependency "intree": it has no repository, so it must be in a/charts/ (as a directory or .tgz); add it there or give its repository',
    );
    expect(missing).toMatchObject({ file: 'a/Chart.yaml', line: 8 });
  });

  it('replaces a subchart in charts/ that does not satisfy its dependency, with a warning', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '^2.0.0', repository: 'file://../b' }]),
      }),
      ...chartFiles('a/charts/b', 'b', '1.0.0'),
      ...chartFiles('b', 'b', '2.0.0'),
    });
    const { chart, logger } = await build(ws, 'a');
    expect(chart.dependencies.map((d) => [d.metadata.version, d.location])).toEqual([['2.0.0', 'b']]);
    expect(logger.messages('warning')).toContain(
      'a/charts/b (b 1.0.0) does not match what a/Chart.yaml asks for; the package carries the version built instead',
    );
  });

  it('names each entry of a chart declared under several aliases by its alias and its own line', async () => {
    const ws = tempDir();
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [
          { name: 'common', version: '1.0.0', repository: 'ftp://x/y', extra: '    alias: first' },
          { name: 'common', version: '1.0.0', repository: 'ftp://x/y', extra: '    alias: second' },
        ]),
      }),
    );
    const error = await rejection(build(ws, 'a'));
    expect(error.message).toMatch(
      /^2 of the 2 dependencies of a cannot be built: "common" as "first", "common" as "second" \(ftp:\/\/x\/y, Chart\.yaml lines 5, 9\): repository "ftp:\/\/x\/y" is not supported/,
    );
    expect(error).toMatchObject({ file: 'a/Chart.yaml', line: 5 });
  });

  it('refuses repository aliases and unknown schemes with what to write instead', async () => {
    const ws = tempDir();
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', { 'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '1.0.0', repository: '@bitnami' }]) }),
    );
    expect((await rejection(build(ws, 'a'))).message).toBe(
      'dependency "b" (@bitnami): "@bitnami" names a repository added with "helm repo add"; write its URL instead ' +
        '(e.g. https://charts.example.com or oci://registry.example.com/charts): dependencies are fetched straight from their URLs',
    );
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', { 'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: '1.0.0', repository: 'ftp://x/y' }]) }),
    );
    expect((await rejection(build(ws, 'a'))).message).toMatch(
      /^dependency "b" \(ftp:\/\/x\/y\): repository "ftp:\/\/x\/y" is not supported/,
    );
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', {
        'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: 'latest', repository: 'file://../a' }]),
      }),
    );
    expect((await rejection(build(ws, 'a'))).message).toBe(
      'dependency "b" (file://../a): version "latest" is not a version or range Helm accepts (improper constraint: "latest")',
    );
    // A range too long to read is quoted in part: the reason stays in view.
    const long = `~${'1'.repeat(50_000)}`;
    writeTree(
      ws,
      chartFiles('a', 'a', '1.0.0', { 'Chart.yaml': chartYaml('a', '1.0.0', [{ name: 'b', version: long, repository: 'file://../a' }]) }),
    );
    expect((await rejection(build(ws, 'a'))).message).toBe(
      `dependency "b" (file://../a): version "${long.slice(0, 79)}…" is not a version or range Helm accepts ` +
        '(a range of 50001 characters: this action reads ranges of up to 1024)',
    );
  });

  it('writes requirements.lock for an apiVersion v1 chart without one, where Helm would', async () => {
    const ws = tempDir();
    writeTree(ws, {
      'old/Chart.yaml': 'apiVersion: v1\nname: old\nversion: 1.0.0\n',
      'old/requirements.yaml': 'dependencies:\n- name: b\n  version: ~1.0.0\n  repository: file://../b\n',
      'old/values.yaml': 'a: 1\n',
      'old/zz.txt': 'last\n',
      ...chartFiles('b', 'b', '1.0.3'),
    });
    const { chart, logger } = await build(ws, 'old');
    expect(await entries(chart)).toEqual([
      'old/Chart.yaml',
      'old/values.yaml',
      'old/requirements.lock',
      'old/requirements.yaml',
      'old/zz.txt',
      'old/charts/b/Chart.yaml',
      'old/charts/b/values.yaml',
      'old/charts/b/templates/configmap.yaml',
    ]);
    expect(logger.entries.find((l) => l.level === 'warning')?.where).toMatchObject({ file: 'old/requirements.yaml', line: 1 });
  });
});

describe('oci:// dependencies on the target that this run publishes', () => {
  const target = 'oci://registry.invalid:5000/team';
  function runChart(ws: string, name: string, deps: string[]): void {
    writeTree(
      ws,
      chartFiles(`charts/${name}`, name, '1.0.0', {
        'Chart.yaml': chartYaml(
          name,
          '1.0.0',
          deps.map((d) => ({ name: d, version: '1.0.0', repository: target })),
        ),
      }),
    );
  }
  function runBuilder(ws: string, charts: string[]) {
    return createDependencyBuilder({
      workspace: ws,
      cacheDir: join(ws, '.cache'),
      logger: new MemoryLogger(),
      run: { target: { registry: 'registry.invalid:5000', namespace: 'team' }, charts },
      retry: { maxRetries: 0 },
    });
  }

  it('takes them from the workspace without asking the registry, sharing one build', async () => {
    const ws = tempDir();
    runChart(ws, 'app', ['lib', 'base']);
    runChart(ws, 'lib', ['base']);
    runChart(ws, 'base', []);
    const dirs = ['charts/app', 'charts/lib', 'charts/base'];
    const app = await loadChart('charts/app', { workspace: ws, logger: new MemoryLogger() });
    const built = await runBuilder(ws, dirs).build(app, 'charts/app');
    expect(built.dependencies.map((d) => [d.metadata.name, d.location])).toEqual([
      ['base', 'charts/base'],
      ['lib', 'charts/lib'],
    ]);
    expect(built.dependencies[1]?.dependencies[0]).toBe(built.dependencies[0]);
  });

  it('reports a cycle among them instead of waiting for it', async () => {
    const ws = tempDir();
    runChart(ws, 'app', ['lib', 'lib2']);
    runChart(ws, 'lib', ['lib2']);
    runChart(ws, 'lib2', ['lib']);
    const dirs = ['charts/app', 'charts/lib', 'charts/lib2'];
    const app = await loadChart('charts/app', { workspace: ws, logger: new MemoryLogger() });
    const error = await rejection(runBuilder(ws, dirs).build(app, 'charts/app'));
    expect(error.message).toBe(
      `dependency "lib" (${target}): dependency cycle among the charts of this run: charts/lib → charts/lib2 → charts/lib`,
    );
    expect(error.file).toBe('charts/lib2/Chart.yaml');
  });
});
