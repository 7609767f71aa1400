import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import type { RequestEvent } from '../../src/oci/transport.js';
import {
  ARTIFACTHUB_CONFIG_MEDIA_TYPE,
  ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE,
  parseRepositoryMetadata,
  withRepositoryMetadataLookup,
} from '../../src/publish/artifacthub-metadata.js';
import { registrySteps } from '../../src/publish/push-chart.js';
import { publishCharts, type RunOptions } from '../../src/publish/run.js';
import { createProcessRunner } from '../../src/shared/process-runner.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
import { readTar } from '../support/tar-entries.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

interface OciManifest {
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>;
}

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry({ mode: 'plain' });
});
afterAll(async () => {
  await registry?.stop();
});

let counter = 0;
const freshNamespace = () => `ah${process.pid}/run${++counter}`;

const ID_A = '5f8c1a2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
const ID_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const metadataFile = (id: string) =>
  `# Artifact Hub\nrepositoryID: ${id}\nowners:\n  - name: Acme Charts\n    email: charts@acme.example\n`;

/** The engine over the real registry, with the action's look-up step (chart, then Artifact Hub metadata). */
async function publish(ws: string, dirs: string[], namespace: string, options: Partial<RunOptions> = {}) {
  const logger = new MemoryLogger();
  const requests: RequestEvent[] = [];
  const client = new RegistryClient({ plainHttp: true, logger, onRequest: (event) => requests.push(event) });
  const registryStepsFor = registrySteps({ client, onConflict: 'fail', logger });
  const report = await publishCharts(
    dirs,
    {
      workspace: ws,
      target: { registry: registry.host, namespace },
      dryRun: false,
      outputDir: join(ws, '.out'),
      sourceDateEpoch: '1700000000',
      concurrency: 2,
      ...options,
    },
    { logger, git: createProcessRunner(), lookup: withRepositoryMetadataLookup(registryStepsFor.lookup, client, logger) },
  );
  return { report, logger, writes: requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD') };
}

describe('Artifact Hub repository metadata', () => {
  it('is pushed to <chart>:artifacthub.io with Artifact Hub media types, read back with skopeo; a re-run uploads nothing', async () => {
    const ws = tempDir();
    const yml = metadataFile(ID_A);
    writeTree(ws, chartFiles('charts/web', 'web', '1.2.3', { 'artifacthub-repo.yml': yml }));
    const namespace = freshNamespace();

    const first = await publish(ws, ['charts/web'], namespace);
    expect(first.report.charts.map((c) => [c.name, c.status, c.reason])).toEqual([['web', 'published', undefined]]);
    const skopeo = skopeoFor(registry);
    const raw = await skopeo.inspectRaw(`${namespace}/web:artifacthub.io`);
    const manifest = JSON.parse(raw.toString('utf8')) as OciManifest;
    expect(manifest.config).toEqual({ mediaType: ARTIFACTHUB_CONFIG_MEDIA_TYPE, digest: sha256Digest(new Uint8Array()), size: 0 });
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]!.mediaType).toBe(ARTIFACTHUB_METADATA_LAYER_MEDIA_TYPE);
    expect(manifest.layers[0]!.annotations).toEqual({ 'org.opencontainers.image.title': 'artifacthub-repo.yml' });
    // skopeo copy checks every blob against its digest; the layer holds the file's exact bytes.
    const layout = tempDir('ocp-layout-');
    await skopeo.copyToOciLayout(`${namespace}/web:artifacthub.io`, layout);
    const layer = readFileSync(join(layout, 'blobs', 'sha256', manifest.layers[0]!.digest.slice('sha256:'.length)));
    expect(layer.equals(Buffer.from(yml))).toBe(true);
    expect(first.report.charts[0]?.checks).toEqual([
      `charts/web/artifacthub-repo.yml: valid (repository ID ${ID_A}, 1 owner(s))`,
      `charts/web/artifacthub-repo.yml → ${registry.host}/${namespace}/web:artifacthub.io: pushed (${sha256Digest(raw)})`,
    ]);

    // The metadata file is the registry's, not the chart's: it is not in the package.
    const tgz = readFileSync(first.report.charts[0]!.package!);
    expect(readTar(gunzipSync(tgz)).map((e) => e.name)).not.toContain('web/artifacthub-repo.yml');

    const again = await publish(ws, ['charts/web'], namespace);
    expect(again.report.charts.map((c) => c.status)).toEqual(['unchanged']);
    expect(again.writes).toEqual([]);
    expect(again.report.charts[0]?.checks?.[1]).toBe(
      `charts/web/artifacthub-repo.yml → ${registry.host}/${namespace}/web:artifacthub.io: unchanged (${sha256Digest(raw)})`,
    );
  });

  it('replaces changed metadata, and reads the path given by artifacthub-metadata relative to each chart', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/web', 'web', '1.0.0'),
      'charts/web/.artifacthub/repo.yaml': metadataFile(ID_A),
    });
    const namespace = freshNamespace();
    await publish(ws, ['charts/web'], namespace, { checks: { artifactHubMetadata: '.artifacthub/repo.yaml' } });
    writeTree(ws, { 'charts/web/.artifacthub/repo.yaml': metadataFile(ID_B) });
    const second = await publish(ws, ['charts/web'], namespace, { checks: { artifactHubMetadata: '.artifacthub/repo.yaml' } });
    expect(second.report.charts[0]?.checks?.[1]).toMatch(/: pushed \(sha256:/);
    expect(second.writes.map((w) => w.method)).toEqual(['POST', 'PUT', 'PUT']);
    const skopeo = skopeoFor(registry);
    const manifest = JSON.parse((await skopeo.inspectRaw(`${namespace}/web:artifacthub.io`)).toString('utf8')) as OciManifest;
    expect(manifest.layers[0]!.digest).toBe(sha256Digest(Buffer.from(metadataFile(ID_B))));
  });

  it('fails a bad artifacthub-repo.yml in the plan, on its line, and nothing is pushed', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/web', 'web', '1.0.0', { 'artifacthub-repo.yml': 'repositoryID: not-a-uuid\nowners:\n  - name: x\n' }),
      ...chartFiles('charts/api', 'api', '1.0.0'),
    });
    const namespace = freshNamespace();
    const { report, writes, logger } = await publish(ws, ['charts/api', 'charts/web'], namespace);
    expect(report.charts.map((c) => [c.name, c.status])).toEqual([
      ['api', 'skipped'],
      ['web', 'failed'],
    ]);
    expect(report.charts[1]?.reason).toMatch(/^charts\/web\/artifacthub-repo.yml:1: repositoryID must be the UUID/);
    expect(logger.entries.find((e) => e.level === 'error')?.where).toMatchObject({ file: 'charts/web/artifacthub-repo.yml', line: 1 });
    expect(writes).toEqual([]);
  });

  it('refuses one repository ID for two charts of the run', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('charts/web', 'web', '1.0.0', { 'artifacthub-repo.yml': metadataFile(ID_A) }),
      ...chartFiles('charts/api', 'api', '1.0.0', { 'artifacthub-repo.yml': metadataFile(ID_A) }),
    });
    const { report, writes } = await publish(ws, ['charts/api', 'charts/web'], freshNamespace());
    expect(report.charts.map((c) => c.status)).toEqual(['failed', 'failed']);
    expect(report.charts[0]?.reason).toBe(
      `charts/api/artifacthub-repo.yml:2: repositoryID ${ID_A} is also used by charts/web/artifacthub-repo.yml: each chart is its own Artifact Hub repository and needs its own ID (add one repository per chart in Artifact Hub)`,
    );
    expect(writes).toEqual([]);
  });

  it('is validated but not pushed in a dry-run', async () => {
    const ws = tempDir();
    writeTree(ws, chartFiles('charts/web', 'web', '1.0.0', { 'artifacthub-repo.yml': metadataFile(ID_A) }));
    const { report, writes } = await publish(ws, ['charts/web'], freshNamespace(), { dryRun: true });
    expect(report.charts.map((c) => [c.status, c.checks])).toEqual([
      ['dry-run', [`charts/web/artifacthub-repo.yml: valid (repository ID ${ID_A}, 1 owner(s)); not pushed in a dry-run`]],
    ]);
    expect(writes).toEqual([]);
  });

  it('refuses a metadata file that leads outside the workspace', async () => {
    const ws = tempDir();
    const outside = tempDir();
    writeTree(outside, { 'secret.yml': 'repositoryID: 5f8c1a2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b\n' });
    writeTree(ws, chartFiles('charts/web', 'web', '1.0.0'));
    // Outside the chart (so not seen by the loader), and a link out of the repository.
    symlinkSync(join(outside, 'secret.yml'), join(ws, 'charts/artifacthub.yml'));
    const { report, writes } = await publish(ws, ['charts/web'], freshNamespace(), {
      checks: { artifactHubMetadata: '../artifacthub.yml' },
    });
    expect(report.charts[0]?.status).toBe('failed');
    expect(report.charts[0]?.reason).toMatch(/^charts\/artifacthub.yml: leads outside the workspace/);
    expect(writes).toEqual([]);
  });

  it('validates owners, the ignore list, and warns about keys Artifact Hub ignores', () => {
    const parse = (text: string) => parseRepositoryMetadata(Buffer.from(text), 'artifacthub-repo.yml', 'artifacthub-repo.yml');
    expect(() => parse('owners:\n  - name: Someone\n')).toThrow(/^an owner needs an email/);
    expect(() => parse('owners: someone@example.com\n')).toThrow(/owners must be a list of \{name, email\}/);
    expect(() => parse('ignore:\n  - version: beta\n')).toThrow(/each ignore entry needs the name of a package/);
    expect(() => parse('repositoryID: [\n')).toThrow(/not valid YAML/);
    expect(() => parse('- a\n')).toThrow(/expected a YAML map/);
    const parsed = parse(`repositoryId: ${ID_A}\nowners:\n  - name: A\n    email: a@example.com\n`);
    expect(parsed.warnings).toEqual([
      { line: 1, message: 'artifacthub-repo.yml: Artifact Hub ignores "repositoryId": did you mean repositoryID?' },
    ]);
    expect(parsed.repositoryID).toBeUndefined();
  });
});

describe('the checks in the plan', () => {
  const options = (ws: string, dryRun: boolean): RunOptions => ({
    workspace: ws,
    target: { registry: 'registry.invalid', namespace: 'ns' },
    dryRun,
    outputDir: join(ws, '.out'),
    sourceDateEpoch: '0',
    concurrency: 1,
  });

  it('fail a chart whose default values violate its schema, on the values.yaml line, unless check-schema is off', async () => {
    const ws = tempDir();
    writeTree(
      ws,
      chartFiles('web', 'web', '1.0.0', {
        'values.yaml': 'replicas: 1\nport: http\n',
        'values.schema.json': JSON.stringify({ type: 'object', properties: { port: { type: 'integer' } } }),
      }),
    );
    const logger = new MemoryLogger();
    const report = await publishCharts(['web'], options(ws, true), { logger, git: createProcessRunner() });
    expect(report.charts[0]?.status).toBe('failed');
    expect(report.charts[0]?.reason).toBe(
      'web/values.yaml:2: default values do not validate against web/values.schema.json: port: must be integer (web/values.schema.json#/properties/port/type)',
    );
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.where)).toEqual([
      { file: 'web/values.yaml', line: 2, title: 'web cannot be published' },
    ]);
    const off = await publishCharts(['web'], { ...options(ws, true), checks: { schema: false } }, { logger, git: createProcessRunner() });
    expect(off.charts[0]?.status).toBe('dry-run');
  });

  it('make a malformed Artifact Hub annotation an error in a dry-run and a warning on publish', async () => {
    const ws = tempDir();
    writeTree(
      ws,
      chartFiles('web', 'web', '1.0.0', {
        'Chart.yaml':
          'apiVersion: v2\nname: web\nversion: 1.0.0\nannotations:\n  artifacthub.io/links: |\n    - name: docs\n      url: docs\n',
      }),
    );
    const pr = await publishCharts(['web'], options(ws, true), { logger: new MemoryLogger(), git: createProcessRunner() });
    expect(pr.charts[0]?.status).toBe('failed');
    expect(pr.charts[0]?.reason).toMatch(/^web\/Chart.yaml:7: artifacthub.io\/links: url "docs" is not an http\(s\) URL/);

    const logger = new MemoryLogger();
    const release = await publishCharts(['web'], options(ws, false), {
      logger,
      git: createProcessRunner(),
      push: () => Promise.resolve({ status: 'published' as const, digest: 'sha256:0' }),
    });
    expect(release.charts[0]?.status).toBe('published');
    expect(logger.entries.filter((e) => e.level === 'warning').map((e) => [e.where?.file, e.where?.line])).toEqual([['web/Chart.yaml', 7]]);
    expect(release.charts[0]?.checks).toEqual(['Artifact Hub annotations: 1 checked, 1 problem(s)']);
  });
});
