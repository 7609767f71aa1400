import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataJson } from '../../src/chart/metadata.js';
import { loadChart } from '../../src/chart/chart-loader.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { HELM_CHART_MEDIA_TYPE, HELM_CONFIG_MEDIA_TYPE } from '../../src/chart/oci-media-types.js';
import { helmArtifact } from '../../src/publish/artifact.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { publishWith, writes } from '../support/publish-harness.js';
import { repoRoot } from '../support/corpus.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { readTar } from '../support/tar-entries.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});

let namespaceCounter = 0;
const freshNamespace = () => `test${process.pid}/run${++namespaceCounter}`;

function examplesWorkspace(): string {
  const ws = tempDir();
  cpSync(join(repoRoot, 'examples'), join(ws, 'examples'), { recursive: true });
  return ws;
}
const EXAMPLES = ['examples/hello-stack', 'examples/hello-web', 'examples/shared-config'];

describe('publishing to the real Distribution registry', () => {
  it('pushes exactly the artifact Helm pushes, verified with skopeo', async () => {
    const ws = examplesWorkspace();
    const namespace = freshNamespace();
    const { report } = await publishWith(ws, EXAMPLES, { host: registry.host, namespace });
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['hello-stack', 'published'],
      ['hello-web', 'published'],
      ['shared-config', 'published'],
    ]);
    const skopeo = skopeoFor(registry);
    for (const chart of report.charts) {
      const repository = `${namespace}/${chart.name}`;
      expect(chart.reference).toBe(`${registry.host}/${repository}:${chart.tag}`);
      const raw = await skopeo.inspectRaw(`${repository}:${chart.tag}`);
      expect(sha256Digest(raw)).toBe(chart.digest);
      const manifest = JSON.parse(raw.toString('utf8'));
      expect(manifest.schemaVersion).toBe(2);
      expect(manifest.mediaType).toBeUndefined();
      expect(manifest.config.mediaType).toBe(HELM_CONFIG_MEDIA_TYPE);
      expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([HELM_CHART_MEDIA_TYPE]);
      const tgz = readFileSync(chart.package!);
      expect(manifest.layers[0].size).toBe(tgz.length);
      expect(manifest.layers[0].digest).toBe(chart.chartDigest);
      expect(manifest.annotations['org.opencontainers.image.title']).toBe(chart.name);
      expect(manifest.annotations['org.opencontainers.image.version']).toBe(chart.version);
      expect(manifest.annotations['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20Z');
      expect(manifest.annotations['org.opencontainers.image.revision']).toBe('f00dfeed');

      const config = await skopeo.inspectConfigRaw(`${repository}:${chart.tag}`);
      expect(manifest.config.size).toBe(config.length);
      const loaded = await loadChart(chart.path, { workspace: ws, logger: new MemoryLogger() });
      expect(config.toString('utf8')).toBe(metadataJson(loaded.metadata));

      // skopeo copy checks every blob against its digest.
      const layout = tempDir('ocp-layout-');
      expect(await skopeo.copyToOciLayout(`${repository}:${chart.tag}`, layout)).toBe(chart.digest);
      const layerFile = join(layout, 'blobs', 'sha256', manifest.layers[0].digest.slice('sha256:'.length));
      const entries = readTar(gunzipSync(readFileSync(layerFile)));
      expect(entries[0]?.name).toBe(`${chart.name}/Chart.yaml`);
      expect(entries.every((e) => e.name.startsWith(`${chart.name}/`))).toBe(true);
    }
    // "+" in a version becomes "_" in the tag.
    expect(report.charts[0]?.tag).toBe('0.4.0_build.7');
  });

  it('a second run of the same publish is unchanged and uploads nothing', async () => {
    const ws = examplesWorkspace();
    const namespace = freshNamespace();
    await publishWith(ws, EXAMPLES, { host: registry.host, namespace });
    const again = await publishWith(ws, EXAMPLES, { host: registry.host, namespace });
    expect(again.report.charts.map((c) => c.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(writes(again.requests)).toEqual([]);
    expect(again.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'HEAD']);
  });

  it('a changed template under the same version fails, naming the version line; skip and overwrite behave', async () => {
    const ws = examplesWorkspace();
    const namespace = freshNamespace();
    const dirs = ['examples/hello-web'];
    const first = await publishWith(ws, dirs, { host: registry.host, namespace });
    const original = first.report.charts[0]!.digest;
    writeFileSync(join(ws, 'examples/hello-web/templates/NOTES.txt'), 'changed\n');

    const failed = await publishWith(ws, dirs, { host: registry.host, namespace });
    const outcome = failed.report.charts[0]!;
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(
      /version 1.2.0 is already published as sha256:[0-9a-f]{64} with different chart content \(templates\/NOTES.txt changed\).*bump version in Chart.yaml/,
    );
    const annotation = failed.logger.entries.find((l) => l.level === 'error');
    expect(annotation?.where).toMatchObject({ file: 'examples/hello-web/Chart.yaml', line: 6 });
    expect(writes(failed.requests)).toEqual([]);

    const skipped = await publishWith(ws, dirs, { host: registry.host, namespace, onConflict: 'skip' });
    expect(skipped.report.charts[0]!.status).toBe('skipped');
    expect(skipped.logger.messages('warning').join()).toMatch(/on-conflict: skip/);
    expect(skipped.report.charts[0]!.digest).toBe(original);

    const overwritten = await publishWith(ws, dirs, { host: registry.host, namespace, onConflict: 'overwrite' });
    const replaced = overwritten.report.charts[0]!;
    expect(replaced.status).toBe('published');
    expect(replaced.digest).not.toBe(original);
    const raw = await skopeoFor(registry).inspectRaw(`${namespace}/hello-web:1.2.0`);
    expect(sha256Digest(raw)).toBe(replaced.digest);
  });

  it('the same chart pushed earlier by another packager (other times, other compression) is unchanged', async () => {
    const ws = examplesWorkspace();
    const namespace = freshNamespace();
    const dirs = ['examples/shared-config'];
    // What helm would have pushed: same files, entries stamped "now", gzip -9, other annotations.
    const chart = await loadChart(dirs[0]!, { workspace: ws, logger: new MemoryLogger() });
    const staging = tempDir('ocp-helm-');
    mkdirSync(join(staging, 'shared-config/templates'), { recursive: true });
    writeFileSync(
      join(staging, 'shared-config/Chart.yaml'),
      'apiVersion: v2\ndescription: Named templates shared by the example charts (a library chart).\nname: shared-config\ntype: library\nversion: 0.3.1\n',
    );
    cpSync(join(ws, 'examples/shared-config/templates/_labels.tpl'), join(staging, 'shared-config/templates/_labels.tpl'));
    execFileSync(
      'tar',
      [
        '--format=ustar',
        '--owner=0',
        '--group=0',
        '-cf',
        join(staging, 'c.tar'),
        'shared-config/Chart.yaml',
        'shared-config/templates/_labels.tpl',
      ],
      { cwd: staging },
    );
    const helmish = execFileSync('gzip', ['-9', '-c', join(staging, 'c.tar')]);
    const artifact = helmArtifact({ metadata: chart.metadata, chart: helmish, created: 1234 });
    const client = new RegistryClient({ plainHttp: true });
    const repository = client.repository(registry.host, `${namespace}/shared-config`, { push: true });
    for (const blob of [artifact.config, ...artifact.layers]) await repository.pushBlob(blob, blob.bytes);
    await repository.putManifest('0.3.1', 'application/vnd.oci.image.manifest.v1+json', artifact.manifest.bytes);

    const run = await publishWith(ws, dirs, { host: registry.host, namespace });
    expect(run.report.charts[0]).toMatchObject({
      status: 'unchanged',
      digest: artifact.manifest.digest,
      reason: 'same chart files, packaged differently',
    });
    expect(writes(run.requests)).toEqual([]);
  });

  it('plans before acting: one invalid chart means nothing is pushed', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/good', 'good'),
      ...chartFiles('charts/bad', 'bad', `1.0.0-${'a'.repeat(130)}`),
    });
    const namespace = freshNamespace();
    const { report, requests } = await publishWith(ws, ['charts/bad', 'charts/good'], { host: registry.host, namespace });
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['bad', 'failed'],
      ['good', 'skipped'],
    ]);
    expect(report.charts[0]!.reason).toMatch(
      /charts\/bad\/Chart.yaml:3: version "1.0.0-a+" is longer than the 128 characters an OCI tag allows/,
    );
    expect(report.charts[1]!.reason).toMatch(/nothing is pushed unless every selected chart validates/);
    expect(requests).toEqual([]);
  });

  it('a dry-run looks at the registry read-only and flags a conflict as an error', async () => {
    const ws = examplesWorkspace();
    const namespace = freshNamespace();
    const fresh = await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace, dryRun: true });
    expect(fresh.report.charts[0]).toMatchObject({ status: 'dry-run', reason: 'new version: would be published' });
    expect(writes(fresh.requests)).toEqual([]);

    await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace });
    writeFileSync(join(ws, 'examples/hello-web/values.yaml'), 'replicaCount: 3\n');
    const conflict = await publishWith(ws, ['examples/hello-web'], { host: registry.host, namespace, dryRun: true });
    expect(conflict.report.charts[0]!.status).toBe('failed');
    expect(conflict.report.charts[0]!.reason).toMatch(/the release would fail: bump version/);
    expect(writes(conflict.requests)).toEqual([]);
  });
});
