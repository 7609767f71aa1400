import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChartYaml, validateMetadata } from '../../src/chart/metadata.js';
import { helmArtifact, helmManifest, manifestAnnotations, rfc3339 } from '../../src/publish/artifact.js';
import { corpusPath } from '../support/corpus.js';

function metadataFromArchive(archive: string, name: string) {
  const text = execFileSync('tar', ['xzOf', archive, `${name}/Chart.yaml`], { encoding: 'utf8' });
  const { metadata, source } = parseChartYaml(text, 'Chart.yaml');
  validateMetadata(metadata, source);
  return metadata;
}

describe("Helm's OCI artifact", () => {
  it('reproduces the golden manifest of pkg/registry/registry_test.go (spec §3.2, §3.3)', () => {
    const archive = corpusPath('helm-testdata', 'signtest-0.1.0.tgz');
    const artifact = helmArtifact({
      metadata: metadataFromArchive(archive, 'signtest'),
      chart: readFileSync(archive),
      provenance: readFileSync(`${archive}.prov`),
      created: Date.parse('1977-09-02T22:04:05Z') / 1000,
    });
    expect(artifact.config.bytes.toString()).toBe(
      '{"name":"signtest","version":"0.1.0","description":"A Helm chart for Kubernetes","apiVersion":"v1"}',
    );
    expect(artifact.config.digest).toBe('sha256:8d17cb6bf6ccd8c29aace9a658495cbd5e2e87fc267876e86117c7db681c9580');
    expect(artifact.layers.map((l) => [l.mediaType, l.size])).toEqual([
      ['application/vnd.cncf.helm.chart.provenance.v1.prov', 695],
      ['application/vnd.cncf.helm.chart.content.v1.tar+gzip', 973],
    ]);
    expect(artifact.manifest.size).toBe(742);
    expect(artifact.manifest.digest).toBe('sha256:fbbade96da6050f68f94f122881e3b80051a18f13ab5f4081868dd494538f5c2');
    const manifest = JSON.parse(artifact.manifest.bytes.toString());
    expect(Object.keys(manifest)).toEqual(['schemaVersion', 'config', 'layers', 'annotations']);
    expect(manifest.mediaType).toBeUndefined();
  });

  it("builds the same manifest from the archive's digest and size as from its bytes (the plan's size check)", () => {
    const archive = corpusPath('helm-testdata', 'signtest-0.1.0.tgz');
    const bytes = readFileSync(archive);
    const common = {
      metadata: metadataFromArchive(archive, 'signtest'),
      created: Date.parse('1977-09-02T22:04:05Z') / 1000,
      revision: '0123456789abcdef0123456789abcdef01234567',
      repositoryUrl: 'https://github.com/acme/charts',
      extra: new Map([['team', 'core']]),
    };
    for (const provenance of [readFileSync(`${archive}.prov`), undefined]) {
      const input = { ...common, ...(provenance ? { provenance } : {}) };
      const full = helmArtifact({ ...input, chart: bytes });
      const planned = helmManifest({ ...input, chart: { digest: full.chartLayer.digest, size: bytes.length } });
      expect(planned.manifest.bytes.equals(full.manifest.bytes)).toBe(true);
      expect(planned.manifest.digest).toBe(full.manifest.digest);
      expect([...planned.annotations]).toEqual([...full.annotations]);
    }
    const golden = helmManifest({
      metadata: common.metadata,
      created: common.created,
      chart: { digest: helmArtifact({ ...common, chart: bytes }).chartLayer.digest, size: 973 },
      provenance: readFileSync(`${archive}.prov`),
    });
    expect(golden.manifest.digest).toBe('sha256:fbbade96da6050f68f94f122881e3b80051a18f13ab5f4081868dd494538f5c2');
  });

  it('sets annotations as Helm does, then revision, source and the input, protecting title and version', () => {
    const { metadata, source } = parseChartYaml(
      [
        'apiVersion: v2',
        'name: demo',
        'version: 1.2.3+build.4',
        'description: "  "',
        'home: https://example.com',
        'maintainers:',
        '- name: A',
        '- name: B',
        '  email: b@x',
        '- email: c@x',
        'annotations:',
        '  org.opencontainers.image.title: hijack',
        '  org.opencontainers.image.created: "2020-01-01T00:00:00Z"',
        '  team: core',
      ].join('\n'),
      'Chart.yaml',
    );
    validateMetadata(metadata, source);
    const annotations = manifestAnnotations({
      metadata,
      chart: Buffer.alloc(0),
      created: 0,
      revision: 'abc123',
      repositoryUrl: 'https://github.com/acme/charts',
      extra: new Map([
        ['org.opencontainers.image.version', '9.9.9'],
        ['team', 'platform'],
      ]),
    });
    expect(Object.fromEntries(annotations)).toEqual({
      'org.opencontainers.image.title': 'demo',
      'org.opencontainers.image.version': '1.2.3+build.4',
      'org.opencontainers.image.url': 'https://example.com',
      'org.opencontainers.image.created': '2020-01-01T00:00:00Z',
      'org.opencontainers.image.authors': 'A, B (b@x),  (c@x)',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.source': 'https://github.com/acme/charts',
      team: 'platform',
    });
  });

  it('keeps the chart source when Chart.yaml names one, and writes created in UTC', () => {
    const { metadata } = parseChartYaml('apiVersion: v2\nname: d\nversion: 1.0.0\nsources: [https://src.example]\n', 'C');
    const annotations = manifestAnnotations({
      metadata,
      chart: Buffer.alloc(0),
      created: 1700000000,
      repositoryUrl: 'https://github.com/x/y',
    });
    expect(annotations.get('org.opencontainers.image.source')).toBe('https://src.example');
    expect(annotations.get('org.opencontainers.image.created')).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339(0)).toBe('1970-01-01T00:00:00Z');
  });

  it('writes annotations in sorted order whatever order they were given in', () => {
    const chartYaml = (order: string[]) =>
      `apiVersion: v2\nname: d\nversion: 1.0.0\nannotations:\n${order.map((k) => `  ${k}: v-${k}\n`).join('')}`;
    const digest = (order: string[], extra: Array<[string, string]>) => {
      const { metadata } = parseChartYaml(chartYaml(order), 'C');
      return helmArtifact({ metadata, chart: Buffer.from('x'), created: 5, extra: new Map(extra) }).manifest.digest;
    };
    const a = digest(
      ['zeta', 'alpha', 'mid'],
      [
        ['x.team', 'a'],
        ['b.owner', 'b'],
      ],
    );
    const b = digest(
      ['mid', 'zeta', 'alpha'],
      [
        ['b.owner', 'b'],
        ['x.team', 'a'],
      ],
    );
    expect(a).toBe(b);
    const { metadata } = parseChartYaml(chartYaml(['zeta', 'alpha']), 'C');
    const keys = Object.keys(
      JSON.parse(helmArtifact({ metadata, chart: Buffer.from('x'), created: 5 }).manifest.bytes.toString()).annotations,
    );
    expect(keys).toEqual([...keys].sort());
  });
});
