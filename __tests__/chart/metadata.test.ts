import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  marshalChartYaml,
  metadataJson,
  parseChartYaml,
  parseLock,
  marshalLock,
  lintOnlyProblems,
  nonStrictVersionProblem,
  publishingProblems,
  validateMetadata,
} from '../../src/chart/metadata.js';
import { ChartError } from '../../src/shared/errors.js';
import { corpusPath } from '../support/corpus.js';

function load(text: string) {
  const parsed = parseChartYaml(text, 'charts/demo/Chart.yaml');
  validateMetadata(parsed.metadata, parsed.source);
  return parsed;
}

describe('Chart.yaml re-serialised byte for byte as Helm writes it', () => {
  const packaged = corpusPath('packaged');
  const pairs = readdirSync(packaged).flatMap((origin) => readdirSync(join(packaged, origin)).map((pair) => join(packaged, origin, pair)));
  it.each(pairs)('%s', (dir) => {
    const archive = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string;
    const chart = readdirSync(join(dir, 'src'))[0] as string;
    const { metadata } = load(readFileSync(join(dir, 'src', chart, 'Chart.yaml'), 'utf8'));
    const helm = execFileSync('tar', ['xzOf', join(dir, archive), `${metadata.name}/Chart.yaml`]).toString('utf8');
    expect(marshalChartYaml(metadata)).toBe(helm);
  });
});

describe('go-yaml v2 / sigs.k8s.io/yaml reading (spec §1.10)', () => {
  it('coerces YAML numbers and booleans in string fields like Helm', () => {
    const { metadata } = parseChartYaml('name: x\nversion: 1.10\nappVersion: 010\nkubeVersion: on\ndescription: 1e3\n', 'C');
    expect(metadata.version).toBe('1.1');
    expect(metadata.appVersion).toBe('8');
    expect(metadata.kubeVersion).toBe('true');
    expect(metadata.description).toBe('1000');
  });

  it('matches keys case-insensitively and drops unknown keys, reporting them', () => {
    const { metadata, source } = parseChartYaml('Name: x\nVERSION: 1.0.0\nmaintainer: typo\nengine: gotpl\n', 'C');
    expect(metadata.name).toBe('x');
    expect(metadata.version).toBe('1.0.0');
    expect(source.unknownKeys.map((k) => k.key)).toEqual(['engine', 'maintainer']);
  });

  it('defaults a missing apiVersion to v1 and drops nulls', () => {
    const { metadata } = load('name: x\nversion: 1.0.0\nicon: null\n');
    expect(metadata.apiVersion).toBe('v1');
    expect(marshalChartYaml(metadata)).toBe('apiVersion: v1\nname: x\nversion: 1.0.0\n');
  });

  it('reads a Chart.yaml with CRLF line endings and writes it with LF', () => {
    const a = load('apiVersion: v2\r\nname: x\r\nversion: 1.0.0\r\n');
    expect(marshalChartYaml(a.metadata)).toBe('apiVersion: v2\nname: x\nversion: 1.0.0\n');
  });

  it('sanitises free text: newlines and tabs become spaces', () => {
    const { metadata } = load('apiVersion: v2\nname: x\nversion: 1.0.0\ndescription: "a\\nb\\tc"\n');
    expect(metadata.description).toBe('a b c');
  });

  it('quotes strings that would read back as another type', () => {
    const { metadata } = load(
      'apiVersion: v2\nname: x\nversion: 1.0.0\nappVersion: "1.10"\nkeywords: ["yes", "1", "", "2021-01-01", "1:20", "~", "0x1F", "a: b", "#x", "- y", " lead"]\n',
    );
    expect(marshalChartYaml(metadata)).toBe(
      [
        'apiVersion: v2',
        'appVersion: "1.10"',
        'keywords:',
        '- "yes"',
        '- "1"',
        '- ""',
        '- "2021-01-01"',
        '- "1:20"',
        '- "~"',
        '- "0x1F"',
        "- 'a: b'",
        "- '#x'",
        "- '- y'",
        "- ' lead'",
        'name: x',
        'version: 1.0.0',
        '',
      ].join('\n'),
    );
  });

  it('folds long descriptions at column 80 and writes maintainers unindented', () => {
    const description = 'A very long description of this chart that keeps going well past the eightieth column of the line for sure';
    const { metadata } = load(
      `apiVersion: v2\nname: x\nversion: 1.0.0\ndescription: ${description}\nmaintainers:\n  - name: A\n    email: a@x\n`,
    );
    expect(marshalChartYaml(metadata)).toBe(
      'apiVersion: v2\n' +
        'description: A very long description of this chart that keeps going well past the\n' +
        '  eightieth column of the line for sure\n' +
        'maintainers:\n- email: a@x\n  name: A\nname: x\nversion: 1.0.0\n',
    );
  });

  it('writes annotations with newlines as literal blocks and sorts keys the go-yaml way', () => {
    const { metadata } = load(
      'apiVersion: v2\nname: x\nversion: 1.0.0\nannotations:\n  b10: x\n  b9: "y"\n  on: yes\n  a: "line1\\nline2\\n"\n',
    );
    expect(marshalChartYaml(metadata)).toBe(
      'annotations:\n  a: |\n    line1\n    line2\n  b9: "y"\n  b10: x\n  "true": "true"\napiVersion: v2\nname: x\nversion: 1.0.0\n',
    );
  });

  it('omits dependencies from a v1 archive Chart.yaml but keeps them in the JSON', () => {
    const { metadata } = load('apiVersion: v1\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  repository: ""\n');
    expect(marshalChartYaml(metadata)).not.toContain('dependencies');
    expect(metadataJson(metadata)).toBe('{"name":"x","version":"1.0.0","apiVersion":"v1","dependencies":[{"name":"a","repository":""}]}');
  });
});

describe('OCI config JSON (spec §3.2)', () => {
  it('equals the golden vector for signtest 0.1.0', () => {
    const { metadata } = load(readFileSync(corpusPath('helm-testdata', 'signtest', 'Chart.yaml'), 'utf8'));
    expect(metadataJson(metadata)).toBe(
      '{"name":"signtest","version":"0.1.0","description":"A Helm chart for Kubernetes","apiVersion":"v1"}',
    );
  });

  it('equals the helm create example (spec §1.8)', () => {
    const { metadata } = load(
      'apiVersion: v2\nname: mychart\ndescription: A Helm chart for Kubernetes\ntype: application\nversion: 0.1.0\nappVersion: "1.16.0"\n',
    );
    expect(metadataJson(metadata)).toBe(
      '{"name":"mychart","version":"0.1.0","description":"A Helm chart for Kubernetes","apiVersion":"v2","appVersion":"1.16.0","type":"application"}',
    );
  });

  it('escapes like Go: <, >, & and U+2028', () => {
    const { metadata } = load('apiVersion: v2\nname: x\nversion: 1.0.0\ndescription: "<a> & b\\u2028"\n');
    expect(metadataJson(metadata)).toContain('"description":"\\u003ca\\u003e \\u0026 b "');
  });
});

describe('Chart.lock', () => {
  it('round-trips what helm dependency update writes', () => {
    const text =
      'dependencies:\n- name: common\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 2.31.4\n' +
      'digest: sha256:abc\ngenerated: "2025-06-18T10:31:49.387186+02:00"\n';
    expect(marshalLock(parseLock(text, 'Chart.lock'))).toBe(text);
  });

  it('normalises the timestamp as Go does and keeps an empty repository', () => {
    const lock = parseLock('dependencies:\n- name: a\n  version: 1.0.0\ndigest: d\ngenerated: 2021-09-01T20:34:58.100Z\n', 'L');
    expect(marshalLock(lock)).toBe(
      'dependencies:\n- name: a\n  repository: ""\n  version: 1.0.0\ndigest: d\ngenerated: "2021-09-01T20:34:58.1Z"\n',
    );
  });
});

describe('validation messages name the file and line', () => {
  const expectError = (text: string, message: RegExp, line?: number) => {
    try {
      load(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ChartError);
      expect((error as ChartError).message).toMatch(message);
      expect((error as ChartError).file).toBe('charts/demo/Chart.yaml');
      if (line !== undefined) expect((error as ChartError).line).toBe(line);
      return;
    }
    throw new Error('expected a ChartError');
  };

  it('malformed YAML shows the line', () => expectError('apiVersion: v2\nname: x: y\nversion: 1.0.0\n', /not valid YAML/, 2));
  it('missing name', () => expectError('apiVersion: v2\nversion: 1.0.0\n', /chart.metadata.name is required/));
  it('missing version', () => expectError('apiVersion: v2\nname: x\n', /chart.metadata.version is required/));
  it('bad version', () => expectError('apiVersion: v2\nname: x\nversion: latest\n', /version "latest" is invalid/, 3));
  it('bad type', () => expectError('apiVersion: v2\nname: x\nversion: 1.0.0\ntype: app\n', /type must be application or library/, 4));
  it('a mapping where a string belongs', () =>
    expectError('apiVersion: v2\nname: x\nversion: 1.0.0\nhome:\n  a: b\n', /cannot use a mapping as Metadata.home/, 5));
  it('null maintainer', () =>
    expectError('apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n- null\n', /maintainers must not contain empty or null nodes/));
  it('duplicate dependency', () =>
    expectError(
      'apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  repository: ""\n- name: a\n  repository: ""\n',
      /more than one dependency with name or alias "a"/,
    ));
});

describe('publishing checks (HIP-6)', () => {
  const problems = (text: string) => {
    const { metadata, source } = load(text);
    return publishingProblems(metadata, source).map((p) => `${p.line}: ${p.message}`);
  };
  it('accepts a clean chart', () => expect(problems('apiVersion: v2\nname: my-chart\nversion: 1.2.3+build.1\n')).toEqual([]));
  it('accepts what helm package accepts: v-prefixed, short and zero-padded versions', () => {
    for (const version of ['v1.19.1', '"1.2"', '"1"', '01.2.3', 'v1.2.3-rc.1+b.2']) {
      expect(problems(`apiVersion: v2\nname: x\nversion: ${version}\n`), version).toEqual([]);
    }
  });
  it('says precisely what a version that is not strict SemVer 2 means for its users', () => {
    const notice = (text: string) => {
      const { metadata, source } = load(text);
      const problem = nonStrictVersionProblem(metadata, source);
      return problem && `${problem.line}: ${problem.message}`;
    };
    expect(notice('apiVersion: v2\nname: x\nversion: v1.19.1\n')).toBe(
      '3: version "v1.19.1" is not strict SemVer 2 (MAJOR.MINOR.PATCH, no "v" prefix, no leading zeros). ' +
        'It is published as tag v1.19.1, and an exact `--version v1.19.1` finds it; but version ranges (`--version "^1.0.0"`), ' +
        'dependency constraints in other charts and "latest" (no --version) never select it, and Helm 4\'s `helm lint` warns about it',
    );
    expect(notice('apiVersion: v2\nname: x\nversion: "1.2+b.1"\n')).toMatch(/^3: version "1.2\+b.1" is not strict SemVer 2.*tag 1.2_b.1/);
    expect(notice('apiVersion: v2\nname: x\nversion: 1.2.3-rc.1+b.1\n')).toBeUndefined();
  });
  it('leaves to helm lint, and to a warning, what helm package accepts: typed version and appVersion, type in a v1 chart', () => {
    const lint = (text: string) => {
      const { metadata, source } = load(text);
      expect(publishingProblems(metadata, source)).toEqual([]);
      return lintOnlyProblems(metadata, source).map(
        ({ problem, version }) => `${version ? 'version ' : ''}${problem.line}: ${problem.message}`,
      );
    };
    expect(lint('apiVersion: v2\nname: x\nversion: 1.10\n')).toEqual([
      'version 3: version is written as a YAML number, which Helm reads and publishes as "1.1" (a float such as 1.10 reads as 1.1); ' +
        'quote it, e.g. version: "1.1" (helm lint refuses it; helm package accepts it)',
    ]);
    expect(lint('apiVersion: v1\nname: x\nversion: 1\nappVersion: on\ntype: application\n')).toEqual([
      'version 3: version is written as a YAML number, which Helm reads and publishes as "1"; quote it, e.g. version: "1" (helm lint refuses it; helm package accepts it)',
      '4: appVersion is written as a YAML boolean, which Helm reads and publishes as "true"; quote it, e.g. appVersion: "true" (helm lint refuses it; helm package accepts it)',
      "5: chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2' (helm lint refuses it; helm package accepts it)",
    ]);
    expect(lint('apiVersion: v2\nname: x\nversion: "1.10"\nappVersion: "1.0"\ntype: library\n')).toEqual([]);
  });
  it('rejects an uppercase name', () =>
    expect(problems('apiVersion: v2\nname: MyChart\nversion: 1.0.0\n')[0]).toMatch(
      /^2: chart name "MyChart" cannot be an OCI repository name/,
    ));
  it('rejects a too long tag', () =>
    expect(problems(`apiVersion: v2\nname: x\nversion: 1.0.0-${'a'.repeat(130)}\n`)[0]).toMatch(/longer than the 128 characters/));
  it('rejects unknown apiVersion', () =>
    expect(problems('apiVersion: v3\nname: x\nversion: 1.0.0\n')[0]).toMatch(/apiVersion "v3" is not supported/));
});
