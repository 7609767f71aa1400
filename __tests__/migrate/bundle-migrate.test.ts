import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { runAction, visibleLog } from '../support/action-runner.js';
import { startChartRepo, writeIndex, type ChartRepo } from '../support/chart-repo.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { corpusPath } from '../support/corpus.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

/** The bundle (dist/index.js, rebuilt with `npm run build`) migrating a private chart repository. */

const AUTH = { username: 'reader', password: 'bundle-s3cret' };
let registry: TestRegistry;
let repo: ChartRepo;
const signtest = corpusPath('helm-testdata', 'signtest-0.1.0.tgz');
const hashtest = corpusPath('helm-testdata', 'provenance', 'hashtest-1.2.3.tgz');

beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
  repo = await startChartRepo({ auth: AUTH });
  for (const file of [signtest, hashtest]) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    copyFileSync(file, join(repo.root, name));
    copyFileSync(`${file}.prov`, join(repo.root, `${name}.prov`));
  }
  writeIndex(repo.root, [
    { name: 'signtest', version: '0.1.0', url: 'signtest-0.1.0.tgz', archive: readFileSync(signtest) },
    { name: 'hashtest', version: '1.2.3', url: `${repo.url}/hashtest-1.2.3.tgz`, archive: readFileSync(hashtest) },
  ]);
});
afterAll(async () => {
  await repo?.stop();
  await registry?.stop();
});

describe('the bundle: migrate-from', () => {
  const inputs = (extra: Record<string, string> = {}) => ({
    registry: `oci://${registry.host}/migrated`,
    'plain-http': 'true',
    'migrate-from': `${repo.url}/index.yaml`,
    'dependency-credentials': `${repo.url} ${AUTH.username}:${AUTH.password}`,
    ...extra,
  });

  it('plans in a dry-run, then migrates, then finds everything unchanged', async () => {
    const ws = tempDir('ocp-bundle-migrate-');
    const dry = await runAction({ workspace: ws, inputs: inputs({ 'dry-run': 'true' }) });
    expect(dry.exitCode, dry.stdout).toBe(0);
    expect(dry.charts.map((c) => [c.name, c.status])).toEqual([
      ['hashtest', 'dry-run'],
      ['signtest', 'dry-run'],
    ]);
    await expect(skopeoFor(registry).listTags('migrated/signtest')).rejects.toThrow();

    const run = await runAction({ workspace: ws, inputs: inputs() });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.version, c.status, c.reference])).toEqual([
      ['hashtest', '1.2.3', 'published', `${registry.host}/migrated/hashtest:1.2.3`],
      ['signtest', '0.1.0', 'published', `${registry.host}/migrated/signtest:0.1.0`],
    ]);
    const log = visibleLog(run.stdout);
    expect(log).not.toContain(AUTH.password);
    expect(log).toMatch(/\[2\/2\]/);
    expect(run.summary).toContain('Selection: migration of 2 version(s) of 2 chart(s) from');
    expect(run.summary).toContain('helm pull oci://');
    for (const [chart, file] of [
      [run.charts[0], hashtest],
      [run.charts[1], signtest],
    ] as const) {
      expect(chart?.chartDigest).toBe(sha256Digest(readFileSync(file)));
      expect(chart?.provenanceDigest).toBe(sha256Digest(readFileSync(`${file}.prov`)));
      const manifest = JSON.parse((await skopeoFor(registry).inspectRaw(`migrated/${chart?.name}:${chart?.tag}`)).toString('utf8')) as {
        layers: Array<{ digest: string }>;
        annotations: Record<string, string>;
      };
      expect(manifest.layers.map((l) => l.digest).sort()).toEqual([chart?.chartDigest, chart?.provenanceDigest].sort());
      expect(manifest.annotations['org.opencontainers.image.source']).toBe('https://github.com/acme/charts');
    }

    const again = await runAction({ workspace: ws, inputs: inputs() });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.charts.map((c) => c.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.outputs.published).toBe('');
  });

  it('names the input when the repository refuses the credentials', async () => {
    const run = await runAction({
      workspace: tempDir('ocp-bundle-migrate-'),
      inputs: inputs({ 'dependency-credentials': `${repo.url} ${AUTH.username}:wrong` }),
    });
    expect(run.exitCode).not.toBe(0);
    expect(visibleLog(run.stdout)).toMatch(/401 Unauthorized: the repository refused the credentials of the dependency-credentials line/);
    expect(run.charts).toEqual([]);
  });

  it('stops a stalled download at the run deadline, naming it, and reports every version it has', async () => {
    const proxy = await startFaultProxy({ target: repo.url, rules: [{ path: /\.prov$/, fault: { kind: 'stall', ms: 10 * 60_000 } }] });
    try {
      const run = await runAction({
        workspace: tempDir('ocp-bundle-migrate-'),
        inputs: inputs({
          'migrate-from': proxy.url,
          'dependency-credentials': [proxy.url, repo.url].map((url) => `${url} ${AUTH.username}:${AUTH.password}`).join('\n'),
          'migrate-charts': 'signtest',
          'dry-run': 'true',
          timeout: '0.1',
        }),
      });
      expect(run.exitCode, run.stdout).toBe(1);
      const limit = `the run's time limit (input "timeout": 0.1 minute(s)) was reached`;
      expect(run.charts.map((c) => [c.name, c.version, c.status])).toEqual([['signtest', '0.1.0', 'failed']]);
      expect(run.charts[0]?.reason).toContain(limit);
      const message = visibleLog(run.stdout)
        .split('\n')
        .filter((line) => line.startsWith('::error::'))
        .at(-1);
      expect(message).toBe(
        `::error::The run was stopped: ${limit}. 1 of 1 chart(s) not finished (signtest). ` +
          `Still in flight: GET ${proxy.url}/signtest-0.1.0.tgz.prov. Nothing more was pushed; raise the "timeout" input if the run needs longer`,
      );
      expect(run.summary).toContain(limit);
      // Stopped, not retried after the deadline.
      expect(proxy.count('GET', /\.prov$/)).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('refuses packages together with migrate-from', async () => {
    const run = await runAction({ workspace: tempDir('ocp-bundle-migrate-'), inputs: inputs({ packages: 'dist' }) });
    expect(run.exitCode).not.toBe(0);
    expect(visibleLog(run.stdout)).toContain('Input "packages": cannot be combined with migrate-from');
  });
});

describe('the bundle: packages', () => {
  it('pushes a folder of existing packages with their .prov files', async () => {
    const ws = tempDir('ocp-bundle-packages-');
    mkdirSync(join(ws, '.cr-release-packages'));
    for (const file of [signtest, hashtest]) {
      const name = file.slice(file.lastIndexOf('/') + 1);
      copyFileSync(file, join(ws, '.cr-release-packages', name));
      copyFileSync(`${file}.prov`, join(ws, '.cr-release-packages', `${name}.prov`));
    }
    const run = await runAction({
      workspace: ws,
      inputs: {
        registry: `oci://${registry.host}/from-files`,
        'plain-http': 'true',
        packages: '.cr-release-packages',
        'migrate-charts': 'signtest',
      },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.status, c.path, c.chartDigest, c.provenanceDigest])).toEqual([
      [
        'signtest',
        'published',
        '.cr-release-packages/signtest-0.1.0.tgz',
        sha256Digest(readFileSync(signtest)),
        sha256Digest(readFileSync(`${signtest}.prov`)),
      ],
    ]);
    expect(run.summary).toContain('from .cr-release-packages in the workspace');
  });
});
