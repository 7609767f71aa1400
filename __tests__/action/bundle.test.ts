import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { runAction, visibleLog } from '../support/action-runner.js';
import { repoRoot } from '../support/corpus.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { tempDir } from '../support/temp-workspace.js';

function examplesWorkspace(): string {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  return ws;
}

describe('the bundle as the runner runs it: dry-run', () => {
  it('packages the examples, fills every output and the summary', async () => {
    const ws = examplesWorkspace();
    const out = join(ws, 'packages');
    const run = await runAction({
      workspace: ws,
      inputs: { 'charts-dir': 'examples', discover: 'all', 'dry-run': 'true', 'output-dir': out, registry: 'oci://ghcr.io/acme/charts' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.status, c.reference])).toEqual([
      ['hello-stack', 'dry-run', 'ghcr.io/acme/charts/hello-stack:0.4.0_build.7'],
      ['hello-web', 'dry-run', 'ghcr.io/acme/charts/hello-web:1.2.0'],
      ['shared-config', 'dry-run', 'ghcr.io/acme/charts/shared-config:0.3.1'],
    ]);
    for (const chart of run.charts) {
      expect(existsSync(chart.package!)).toBe(true);
      expect(chart.chartDigest).toBe(sha256Digest(readFileSync(chart.package!)));
      expect(chart.path?.startsWith('examples/')).toBe(true);
    }
    expect(JSON.parse(run.outputs.matrix!)).toEqual({
      include: [
        { name: 'hello-stack', path: 'examples/hello-stack', version: '0.4.0+build.7' },
        { name: 'hello-web', path: 'examples/hello-web', version: '1.2.0' },
        { name: 'shared-config', path: 'examples/shared-config', version: '0.3.1' },
      ],
    });
    expect(run.outputs.changed).toBe('true');
    expect(run.outputs.published).toBe('');
    expect(run.summary).toContain('**Dry run**: nothing was pushed');
    expect(run.summary).toContain('| hello-web | 1.2.0 | `ghcr.io/acme/charts/hello-web:1.2.0` | 🧪 dry-run |');
  });

  it('defaults output-dir to $RUNNER_TEMP/oci-chart-publish and registry to the owner on ghcr.io', async () => {
    const ws = examplesWorkspace();
    const run = await runAction({ workspace: ws, inputs: { 'charts-dir': 'examples', discover: 'all', 'dry-run': 'true' } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts[0]!.package).toMatch(/ocp-runner-[^/]+\/oci-chart-publish\/hello-stack-0.4.0\+build.7.tgz$/);
    expect(run.charts[0]!.reference).toBe('ghcr.io/acme/charts/hello-stack:0.4.0_build.7');
  });

  it('fails with a clear message naming the input', async () => {
    const ws = examplesWorkspace();
    const run = await runAction({
      workspace: ws,
      inputs: { 'charts-dir': 'examples', 'dry-run': 'true', registry: 'https://ghcr.io/acme' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::Input "registry": scheme "https" is not supported: use "oci://host[:port]/namespace"');
  });

  it('says which input is wrong when output-dir cannot be created', async () => {
    const ws = examplesWorkspace();
    writeFileSync(join(ws, 'taken'), 'a file, not a folder');
    const run = await runAction({
      workspace: ws,
      inputs: { 'charts-dir': 'examples', discover: 'all', 'dry-run': 'true', 'output-dir': 'taken/packages' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/::error::Input "output-dir": cannot create .*taken\/packages \(ENOTDIR\): give a writable folder/);
  });

  it('annotates the Chart.yaml line of an invalid chart and pushes nothing', async () => {
    const ws = examplesWorkspace();
    const chartYaml = join(ws, 'examples/hello-web/Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace('version: 1.2.0', 'version: 1.2.0.1'));
    const run = await runAction({ workspace: ws, inputs: { 'charts-dir': 'examples', discover: 'all', 'dry-run': 'true' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error title=examples/hello-web cannot be published,file=examples/hello-web/Chart.yaml,line=6::validation: chart.metadata.version "1.2.0.1" is invalid',
    );
    expect(run.charts.find((c) => c.path === 'examples/hello-web')?.status).toBe('failed');
  });
});

describe('the bundle as the runner runs it: publishing to a local registry', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'htpasswd' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('publishes with input credentials, fills the outputs, and never shows a secret at debug level', async () => {
    const ws = examplesWorkspace();
    const run = await runAction({
      workspace: ws,
      inputs: {
        'charts-dir': 'examples',
        discover: 'all',
        'dry-run': 'false',
        'plain-http': 'true',
        registry: `oci://${registry.host}/team/charts`,
        username: registry.username!,
        password: registry.password!,
        annotations: 'org.example.team=platform',
      },
      env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true', GITHUB_SHA: 'c0ffee0000000000000000000000000000000000' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => c.status)).toEqual(['published', 'published', 'published']);
    const published = run.outputs.published!.split('\n');
    expect(published).toHaveLength(3);
    const skopeo = skopeoFor(registry);
    for (const chart of run.charts) {
      expect(published).toContain(`${chart.reference}@${chart.digest}`);
      const manifest = JSON.parse((await skopeo.inspectRaw(`team/charts/${chart.name}:${chart.tag}`)).toString());
      expect(manifest.annotations['org.example.team']).toBe('platform');
      expect(manifest.annotations['org.opencontainers.image.revision']).toBe('c0ffee0000000000000000000000000000000000');
      // Chart.yaml's own sources[0] wins; otherwise the repository links the package (GHCR).
      expect(manifest.annotations['org.opencontainers.image.source']).toBe(
        chart.name === 'hello-web' ? 'https://github.com/example/charts' : 'https://github.com/acme/charts',
      );
    }
    expect(run.summary).toContain(`helm pull oci://${registry.host}/team/charts/hello-web --version 1.2.0`);

    // The runner hides ::add-mask:: lines; nothing else may carry a secret.
    const log = visibleLog(run.stdout);
    expect(run.stdout).toContain('::debug::');
    const basic = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    for (const secret of [registry.password!, basic]) expect(log).not.toContain(secret);
    expect(run.stdout).toContain(`::add-mask::${registry.password}`);

    // A re-run is unchanged.
    const again = await runAction({
      workspace: ws,
      inputs: {
        'charts-dir': 'examples',
        discover: 'all',
        'dry-run': 'false',
        'plain-http': 'true',
        registry: `oci://${registry.host}/team/charts`,
        username: registry.username!,
        password: registry.password!,
      },
    });
    expect(again.charts.map((c) => c.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.outputs.published).toBe('');
  });
});
