import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/oci/digest.js';
import { runAction } from '../support/action-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { skopeoFor } from '../support/skopeo.js';
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

const REPO_YML = 'repositoryID: 9c1e7a44-2b6f-4d0e-8f3a-5b7c9d1e2f30\nowners:\n  - name: Acme\n    email: charts@acme.example\n';

function workspace(): string {
  const ws = tempDir();
  writeTree(
    ws,
    chartFiles('charts/web', 'web', '2.0.0', {
      'Chart.yaml':
        'apiVersion: v2\nname: web\nversion: 2.0.0\nannotations:\n  artifacthub.io/changes: |\n    - kind: added\n      description: Artifact Hub metadata\n  artifacthub.io/license: Apache-2.0\n',
      'values.yaml': 'replicas: 2\nimage:\n  tag: "1.27"\n',
      'values.schema.json': JSON.stringify(
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { replicas: { type: 'integer', minimum: 1 } },
        },
        null,
        2,
      ),
      'artifacthub-repo.yml': REPO_YML,
    }),
  );
  return ws;
}

describe('the bundle: schema gate and Artifact Hub', () => {
  it('publishes the chart and its Artifact Hub metadata, and reports the checks in the summary', async () => {
    const ws = workspace();
    const inputs = { charts: 'charts/web', 'plain-http': 'true', registry: `oci://${registry.host}/acme/charts`, 'dry-run': 'false' };
    const run = await runAction({ workspace: ws, inputs });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.charts.map((c) => [c.name, c.status])).toEqual([['web', 'published']]);
    // Outputs gain nothing: the checks are for the summary.
    expect(Object.keys(run.charts[0]!)).not.toContain('checks');

    const raw = await skopeoFor(registry).inspectRaw('acme/charts/web:artifacthub.io');
    const manifest = JSON.parse(raw.toString('utf8')) as OciManifest;
    expect(manifest.layers[0]!.digest).toBe(sha256Digest(Buffer.from(REPO_YML)));
    expect(run.summary).toContain('### Checks');
    expect(run.summary).toContain('- charts/web/values.schema.json: default values of web validate');
    expect(run.summary).toContain('- Artifact Hub annotations: 2 checked, all parse');
    expect(run.summary).toContain(
      `- charts/web/artifacthub-repo.yml → ${registry.host}/acme/charts/web:artifacthub.io: pushed (${sha256Digest(raw)})`,
    );

    const again = await runAction({ workspace: ws, inputs });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.summary).toContain(`web:artifacthub.io: unchanged (${sha256Digest(raw)})`);
  });

  it('fails a pull request whose default values violate the schema, annotated on the values.yaml line', async () => {
    const ws = workspace();
    writeTree(ws, { 'charts/web/values.yaml': 'image:\n  tag: "1.27"\nreplicas: 0\n' });
    const run = await runAction({
      workspace: ws,
      inputs: { charts: 'charts/web', registry: 'oci://ghcr.io/acme/charts' },
      event: { name: 'pull_request', payload: {} },
    });
    expect(run.exitCode).toBe(1);
    expect(run.charts.map((c) => c.status)).toEqual(['failed']);
    expect(run.stdout).toContain(
      '::error title=web cannot be published,file=charts/web/values.yaml,line=3::default values do not validate against charts/web/values.schema.json: replicas: must be >= 1 (charts/web/values.schema.json#/properties/replicas/minimum)',
    );
    expect(run.charts[0]!.reason).toBe(
      'charts/web/values.yaml:3: default values do not validate against charts/web/values.schema.json: replicas: must be >= 1 (charts/web/values.schema.json#/properties/replicas/minimum)',
    );
  });
});
