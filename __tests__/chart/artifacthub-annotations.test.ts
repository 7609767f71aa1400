import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintArtifactHubAnnotations } from '../../src/chart/artifacthub-annotations.js';
import { parseChartYaml } from '../../src/chart/metadata.js';
import { corpusPath } from '../support/corpus.js';

/** Lints a Chart.yaml text the way the plan does: Helm's reading of it, plus its lines. */
function lint(chartYaml: string) {
  const { metadata } = parseChartYaml(chartYaml, 'Chart.yaml');
  return lintArtifactHubAnnotations(chartYaml, metadata.annotations);
}

const chart = (annotations: string) => `apiVersion: v2\nname: demo\nversion: 1.0.0\nannotations:\n${annotations}`;

describe('Artifact Hub annotations lint', () => {
  it('passes the annotations of real charts', () => {
    for (const dir of [
      ['argoproj', 'argo-events'],
      ['argoproj', 'argocd-apps'],
      ['prometheus-community', 'prometheus'],
      ['prometheus-community', 'prometheus-node-exporter'],
    ]) {
      const result = lint(readFileSync(corpusPath('charts', ...dir, 'Chart.yaml'), 'utf8'));
      expect(result.problems, dir.join('/')).toEqual([]);
      expect(result.checked).toBeGreaterThan(0);
    }
  });

  it("passes Artifact Hub's documented example", () => {
    const result = lint(
      chart(`  artifacthub.io/changes: |
    - kind: added
      description: Cool feature
      links:
        - name: GitHub Issue
          url: https://github.com/issue-url
    - kind: fixed
      description: Minor bug
  artifacthub.io/containsSecurityUpdates: "true"
  artifacthub.io/images: |
    - name: img1
      image: repo/img1:1.0.0
    - name: img2
      image: repo/img2:2.0.0
      whitelisted: true
      platforms:
        - linux/amd64
  artifacthub.io/crds: |
    - kind: MyKind
      version: v1
      name: mykind
      displayName: My Kind
      description: Some nice description
  artifacthub.io/crdsExamples: |
    - apiVersion: v1
      kind: MyKind
      metadata:
        name: mykind
      spec:
        replicas: 1
  artifacthub.io/license: Apache-2.0
  artifacthub.io/links: |
    - name: link1
      url: https://link1.url
  artifacthub.io/maintainers: |
    - name: user1
      email: user1@email.com
  artifacthub.io/operator: "true"
  artifacthub.io/operatorCapabilities: Basic Install
  artifacthub.io/prerelease: "false"
  artifacthub.io/recommendations: |
    - url: https://artifacthub.io/packages/helm/artifact-hub/artifact-hub
  artifacthub.io/screenshots: |
    - title: Sample screenshot 1
      url: https://example.com/screenshot1.jpg
  artifacthub.io/signKey: |
    fingerprint: C874011F0AB405110D02105534365D9472D7468F
    url: https://keybase.io/hashicorp/pgp_keys.asc
  artifacthub.io/category: security
  artifacthub.io/alternativeName: demo-chart
`),
    );
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(16);
  });

  // Every documented annotation that holds YAML, broken, with the Chart.yaml line it is caught on.
  const malformed: Array<[string, string, number, string]> = [
    [
      'changes',
      '  artifacthub.io/changes: |\n    - Added a feature\n    - Fixed: a bug\n    - Another entry\n',
      7,
      'mixes plain entries and {kind, description} entries',
    ],
    ['changes', '  artifacthub.io/changes: |\n    - kind: improved\n      description: faster\n', 6, 'kind "improved" is not one of'],
    ['changes', '  artifacthub.io/changes: |\n    - kind: added\n      links: []\n', 6, 'a change has no description'],
    [
      'images',
      '  artifacthub.io/images: |\n    - name: app\n      image: Repo/App:1.0\n',
      7,
      'image "Repo/App:1.0" is not an image reference',
    ],
    [
      'images',
      '  artifacthub.io/images: |\n    - name: app\n      image: repo/app:1.0\n      whitelisted: maybe\n',
      8,
      'whitelisted must be true or false',
    ],
    ['crds', '  artifacthub.io/crds: |\n    kind: MyKind\n    version: v1\n', 6, 'expected a YAML list'],
    ['crdsExamples', '  artifacthub.io/crdsExamples: |\n    - apiVersion: v1\n      kind: a: b\n', 7, 'not valid YAML'],
    [
      'links',
      '  artifacthub.io/links: |\n    - name: docs\n      url: docs.example.com\n',
      7,
      'url "docs.example.com" is not an http(s) URL',
    ],
    ['links', '  artifacthub.io/links: https://example.com\n', 5, 'expected a YAML list'],
    ['maintainers', '  artifacthub.io/maintainers: |\n    - name: [a, b]\n      email: a@example.com\n', 6, 'name must be a string'],
    [
      'recommendations',
      '  artifacthub.io/recommendations: |\n    - https://artifacthub.io/packages/helm/x/y\n',
      6,
      'each entry must be a map',
    ],
    ['screenshots', '  artifacthub.io/screenshots: |\n    - title: one\n      url: ftp://example.com/a.png\n', 7, 'is not an http(s) URL'],
    ['signKey', '  artifacthub.io/signKey: |\n    fingerprint: ABC\n', 6, 'an entry has no url'],
    ['signKey', '  artifacthub.io/signKey: |\n    - fingerprint: ABC\n', 6, 'expected a YAML map'],
  ];
  for (const [name, annotations, line, message] of malformed) {
    it(`catches a malformed artifacthub.io/${name} on its line (${message})`, () => {
      const result = lint(chart(annotations));
      expect(result.problems).toEqual([{ key: `artifacthub.io/${name}`, line, message: expect.stringContaining(message) as string }]);
    });
  }

  it('checks booleans as Go reads them, SPDX licenses, categories and capabilities', () => {
    const result = lint(
      chart(`  artifacthub.io/operator: "yes"
  artifacthub.io/prerelease: "True"
  artifacthub.io/containsSecurityUpdates: "on"
  artifacthub.io/license: Apache 2.0
  artifacthub.io/category: databases
  artifacthub.io/operatorCapabilities: full lifecycle
  artifacthub.io/changes: "- fixed it"
`),
    );
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [5, 'artifacthub.io/operator: "yes" is not a boolean: write "true" or "false" (quoted, annotations are strings)'],
      [7, 'artifacthub.io/containsSecurityUpdates: "on" is not a boolean: write "true" or "false" (quoted, annotations are strings)'],
      [8, 'artifacthub.io/license: "Apache" is not an SPDX license identifier (see https://spdx.org/licenses/), e.g. Apache-2.0 or MIT'],
      [9, expect.stringContaining('artifacthub.io/category: "databases" is not a category Artifact Hub knows') as string],
    ]);
  });

  it('accepts SPDX expressions and LicenseRefs, and reports the SPDX spelling', () => {
    expect(lint(chart('  artifacthub.io/license: (MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0\n')).problems).toEqual(
      [],
    );
    expect(lint(chart('  artifacthub.io/license: LicenseRef-Acme-Commercial\n')).problems).toEqual([]);
    expect(lint(chart('  artifacthub.io/license: apache-2.0\n')).problems[0]?.message).toBe(
      'artifacthub.io/license: "apache-2.0" is spelled "Apache-2.0" in the SPDX license list',
    );
  });

  it('flags an artifacthub.io annotation Artifact Hub does not read, suggesting the right one', () => {
    const result = lint(chart('  artifacthub.io/Changes: |\n    - fixed\n  artifacthub.io/readme: x\n  example.com/other: "{"\n'));
    expect(result.problems).toEqual([
      {
        key: 'artifacthub.io/Changes',
        line: 5,
        unknown: true,
        message: 'artifacthub.io/Changes is not an annotation Artifact Hub reads: did you mean artifacthub.io/changes?',
      },
      {
        key: 'artifacthub.io/readme',
        line: 7,
        unknown: true,
        message: expect.stringContaining('artifacthub.io/readme is not an annotation Artifact Hub reads (it reads') as string,
      },
    ]);
  });
});
