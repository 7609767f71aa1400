import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { checkValuesSchemas, lineOfPointer, type RemoteRefs } from '../../src/chart/values-schema.js';
import { corpusPath } from '../support/corpus.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

async function check(files: Record<string, string>, dir = 'chart', remoteRefs: RemoteRefs = 'error') {
  const ws = tempDir();
  writeTree(ws, files);
  const chart = await loadChart(dir, { workspace: ws, logger: new MemoryLogger() });
  return checkValuesSchemas(chart, { remoteRefs });
}

const errors = (report: Awaited<ReturnType<typeof check>>) => report.findings.filter((f) => f.severity === 'error');

const OBJECT_SCHEMA = (properties: object, extra: object = {}) =>
  JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties, ...extra }, null, 2);

describe('values.schema.json gate', () => {
  it('passes real charts with schemas: bitnami nginx (with bitnami common as its subchart) and prometheus', async () => {
    const ws = tempDir();
    cpSync(corpusPath('charts', 'bitnami', 'nginx'), join(ws, 'nginx'), { recursive: true });
    cpSync(corpusPath('charts', 'bitnami', 'common'), join(ws, 'nginx', 'charts', 'common'), { recursive: true });
    cpSync(corpusPath('charts', 'prometheus-community', 'prometheus'), join(ws, 'prometheus'), { recursive: true });
    for (const dir of ['nginx', 'prometheus']) {
      const chart = await loadChart(dir, { workspace: ws, logger: new MemoryLogger() });
      const report = await checkValuesSchemas(chart, { remoteRefs: 'error' });
      expect(report.findings).toEqual([]);
      expect(report.notes).toEqual([`${dir}/values.schema.json: default values of ${chart.metadata.name} validate`]);
    }
  });

  it('leaves charts without a schema untouched', async () => {
    const report = await check(chartFiles('chart', 'plain'));
    expect(report).toEqual({ findings: [], notes: [] });
  });

  it('names the values.yaml line of a value that violates the schema', async () => {
    const report = await check(
      chartFiles('chart', 'web', '0.1.0', {
        'values.yaml': '# the image\nimage:\n  repository: nginx\n  tag: latest\nreplicas: "three"\n',
        'values.schema.json': OBJECT_SCHEMA({ replicas: { type: 'integer' }, image: { type: 'object', required: ['pullPolicy'] } }),
      }),
    );
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'chart/values.yaml',
        line: 2,
        message: `default values do not validate against chart/values.schema.json: image: must have required property 'pullPolicy' (chart/values.schema.json#/properties/image/required)`,
      },
      {
        severity: 'error',
        file: 'chart/values.yaml',
        line: 5,
        message:
          'default values do not validate against chart/values.schema.json: replicas: must be integer (chart/values.schema.json#/properties/replicas/type)',
      },
    ]);
  });

  it('warns, and does not fail, for a value the defaults leave null for the install to set', async () => {
    // kubernetes-sigs/external-dns 1.21: `policy:` is null on purpose, the schema requires one of
    // its values, and an install must pass --set policy=…; a missing key stays an error.
    const report = await check(
      chartFiles('chart', 'dns', '0.1.0', {
        'values.yaml': 'replicas: 1\npolicy:\n',
        'values.schema.json': OBJECT_SCHEMA({ policy: { type: 'string', enum: ['sync', 'upsert-only'] }, replicas: { type: 'integer' } }),
      }),
    );
    expect(errors(report)).toEqual([]);
    expect(report.findings.map((f) => [f.severity, f.file, f.line, f.message])).toEqual([
      [
        'warning',
        'chart/values.yaml',
        2,
        'default values leave policy empty (null), which chart/values.schema.json does not accept: an install must set it. ' +
          'policy: must be string (chart/values.schema.json#/properties/policy/type)',
      ],
      [
        'warning',
        'chart/values.yaml',
        2,
        'default values leave policy empty (null), which chart/values.schema.json does not accept: an install must set it. ' +
          'policy: must be equal to one of the allowed values (chart/values.schema.json#/properties/policy/enum)',
      ],
    ]);
    expect(report.notes).toEqual([
      'chart/values.schema.json: default values of dns validate, but for values left empty for the install to set',
    ]);
  });

  it('reports a schema that does not compile, with the line of the bad keyword', async () => {
    const report = await check(
      chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': OBJECT_SCHEMA({ replicas: { type: 'integr' } }) }),
    );
    expect(errors(report)).toHaveLength(1);
    expect(errors(report)[0]).toMatchObject({ file: 'chart/values.schema.json', line: 6 });
    expect(errors(report)[0]?.message).toMatch(/^does not compile as JSON Schema 2020-12: #\/properties\/replicas\/type/);
  });

  it('matches pattern and patternProperties as Helm does, with RE2: linear time, whatever the pattern', async () => {
    // ^(a+)+$ backtracks exponentially in JavaScript on 40 a's and a "!"; RE2 answers at once.
    const report = await check(
      chartFiles('chart', 'web', '0.1.0', {
        'values.yaml': `name: ${'a'.repeat(40)}!\nlabels:\n  ok-key: x\n  "${'b'.repeat(40)}!": y\n`,
        'values.schema.json': OBJECT_SCHEMA({
          name: { type: 'string', pattern: '^(a+)+$' },
          labels: { type: 'object', patternProperties: { '^(b+)+$': { type: 'integer' } } },
        }),
      }),
    );
    expect(errors(report).map((f) => f.message.split(': ').slice(1).join(': '))).toEqual([
      'name: must match pattern "^(a+)+$" (chart/values.schema.json#/properties/name/pattern)',
    ]);
  });

  it("refuses a pattern Go's regexp refuses (a look-ahead), as Helm fails to compile the schema", async () => {
    const report = await check(
      chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': OBJECT_SCHEMA({ name: { type: 'string', pattern: '^(?=a)\\w+$' } }) }),
    );
    expect(errors(report)).toHaveLength(1);
    expect(errors(report)[0]?.message).toMatch(/^does not compile as JSON Schema 2020-12: .*invalid or unsupported Perl syntax/);
  });

  it('refuses a schema nested thousands of levels deep with a clear message, not a stack overflow', async () => {
    const deep = `${'{"type":"object","properties":{"x":'.repeat(3000)}{"type":"string"}${'}}'.repeat(3000)}`;
    const report = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': deep }));
    expect(errors(report)).toHaveLength(1);
    expect(errors(report)[0]).toMatchObject({ file: 'chart/values.schema.json' });
    expect(errors(report)[0]?.message).toMatch(/^nests deeper than 256 levels \(at #\/properties\/x\/properties\/x/);
  });

  it('refuses a schema too large to compile, with the way out, before compiling it', async () => {
    const properties = Object.fromEntries(Array.from({ length: 20_001 }, (_, i) => [`p${i}`, { type: 'string' }]));
    const report = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': OBJECT_SCHEMA(properties) }));
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'chart/values.schema.json',
        message: 'holds 20002 subschemas, more than the 20000 this check compiles; set check-schema: false to publish without this check',
      },
    ]);
  });

  it('refuses an anyOf or oneOf of more than 500 alternatives, with its line', async () => {
    // Each alternative nests Ajv's generated code a level deeper: 2,000 overflowed the stack.
    const alternatives = Array.from({ length: 2000 }, (_, i) => ({ properties: { kind: { const: i } } }));
    const schema = JSON.stringify({ type: 'object', properties: { a: { type: 'string' }, b: { oneOf: alternatives } } }, null, 1);
    const report = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema, 'values.yaml': 'b: {kind: 1}\n' }));
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'chart/values.schema.json',
        line: lineOfPointer(schema, '/properties/b/oneOf'),
        message:
          'lists 2000 alternatives at #/properties/b/oneOf, more than the 500 this check compiles; set check-schema: false to publish without this check',
      },
    ]);
  });

  it('checks a oneOf of 500 alternatives', async () => {
    const alternatives = Array.from({ length: 500 }, (_, i) => ({ properties: { kind: { const: i } }, required: ['kind'] }));
    const schema = JSON.stringify({ type: 'object', properties: { b: { oneOf: alternatives } } });
    const valid = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema, 'values.yaml': 'b: {kind: 499}\n' }));
    expect(valid).toEqual({ findings: [], notes: ['chart/values.schema.json: default values of web validate'] });
    const invalid = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema, 'values.yaml': 'b: {kind: 500}\n' }));
    expect(errors(invalid).length).toBeGreaterThan(0);
  });

  it('reports a $ref that leads back to itself as a schema problem of the file, not an unexpected error', async () => {
    const schema = JSON.stringify({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' });
    const report = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema }));
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'chart/values.schema.json',
        message: expect.stringMatching(/^does not compile here: the compiler ran out of stack .*, on a \$ref that leads back to itself/),
      },
    ]);
  });

  it('reports invalid JSON with its line and column', async () => {
    // The loader refuses the file first, as Helm's loader would have to parse it.
    const ws = tempDir();
    writeTree(ws, chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': '{\n  "type": "object",\n  "properties": {,}\n}\n' }));
    await expect(loadChart('chart', { workspace: ws, logger: new MemoryLogger() })).rejects.toMatchObject({
      file: 'chart/values.schema.json',
      line: 3,
      column: 18,
    });
  });

  it('refuses a repeated $id, on the line of the second one', async () => {
    const schema = OBJECT_SCHEMA({
      a: { $id: 'https://example.com/thing.json', type: 'string' },
      b: { $id: 'https://example.com/thing.json', type: 'string' },
    });
    const report = await check(chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema }));
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'chart/values.schema.json',
        line: lineOfPointer(schema, '/properties/b'),
        message: expect.stringContaining(
          '"$id" https://example.com/thing.json appears 2 times (at #/properties/a, #/properties/b)',
        ) as string,
      },
    ]);
    expect(lineOfPointer(schema, '/properties/b')).toBe(9);
  });

  it('refuses a remote $ref by default and only warns with schema-remote-refs: allow', async () => {
    const schema = OBJECT_SCHEMA(
      {
        resources: { $ref: 'https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.30.0/resourcerequirements.json' },
        local: { $ref: '#/$defs/port' },
        other: { $ref: 'common.schema.json' },
      },
      { $defs: { port: { type: 'integer' } } },
    );
    const files = chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': schema, 'values.yaml': 'local: 80\nresources: {}\n' });
    const strict = await check(files);
    expect(errors(strict).map((f) => [f.line, f.message.split(' points')[0]])).toEqual([
      [6, '"$ref": "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.30.0/resourcerequirements.json"'],
      [12, '"$ref": "common.schema.json"'],
    ]);
    expect(errors(strict)[0]?.message).toContain('which Helm downloads at install time');
    const allowed = await check(files, 'chart', 'allow');
    expect(errors(allowed)).toEqual([]);
    expect(allowed.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(allowed.notes).toEqual(['chart/values.schema.json: default values of web validate']);
  });

  it('validates a subchart through its parent: parent values under its name, globals copied down', async () => {
    const files = {
      ...chartFiles('parent', 'parent', '0.1.0', {
        'Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 1.0.0\n',
        'values.yaml': 'global:\n  region: 7\ndb:\n  port: http\n',
      }),
      ...chartFiles('parent/charts/db', 'db', '1.0.0', {
        'values.yaml': 'port: 5432\nglobal:\n  region: eu\n',
        'values.schema.json': OBJECT_SCHEMA({
          port: { type: 'integer' },
          global: { type: 'object', properties: { region: { type: 'string' } } },
        }),
      }),
    };
    const report = await check(files, 'parent');
    expect(errors(report).map((f) => [f.file, f.line, f.message.replace(/.*: (\w+\.?\w*: must be \w+).*/, '$1')])).toEqual([
      ['parent/values.yaml', 2, 'global.region: must be string'],
      ['parent/values.yaml', 4, 'port: must be integer'],
    ]);
  });

  it('validates an aliased subchart under its alias, and skips one disabled by its condition', async () => {
    const files = {
      ...chartFiles('parent', 'parent', '0.1.0', {
        'Chart.yaml':
          'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n' +
          '  - name: db\n    version: 1.0.0\n    alias: primary\n' +
          '  - name: db\n    version: 1.0.0\n    alias: replica\n    condition: replica.enabled\n',
        'values.yaml': 'primary:\n  port: 5432\n  mode: 3\nreplica:\n  enabled: false\n  port: broken\n',
      }),
      ...chartFiles('parent/charts/db', 'db', '1.0.0', {
        'values.yaml': 'port: 5432\nmode: standalone\n',
        'values.schema.json': OBJECT_SCHEMA({ port: { type: 'integer' }, mode: { enum: ['standalone', 'replication'] } }),
      }),
    };
    const report = await check(files, 'parent');
    expect(errors(report)).toEqual([
      {
        severity: 'error',
        file: 'parent/values.yaml',
        line: 3,
        message:
          'default values do not validate against parent/charts/db/values.schema.json: mode: must be equal to one of the allowed values (parent/charts/db/values.schema.json#/properties/mode/enum)',
      },
    ]);
    expect(report.notes).toEqual(['parent/charts/db/values.schema.json: 1 problem(s) for db (as primary)']);
  });

  it('checks a subchart packaged as a .tgz in charts/', async () => {
    const ws = tempDir();
    writeTree(ws, {
      ...chartFiles('parent', 'parent', '0.1.0', { 'values.yaml': 'common:\n  exampleValue: 3\n' }),
    });
    cpSync(corpusPath('charts', 'bitnami', 'common'), join(ws, 'src-common'), { recursive: true });
    writeTree(ws, {
      'src-common/values.schema.json': OBJECT_SCHEMA({ exampleValue: { type: 'string' } }),
    });
    const { packageChart } = await import('../../src/chart/packager.js');
    const common = await loadChart('src-common', { workspace: ws, logger: new MemoryLogger() });
    await packageChart(common, { outputDir: join(ws, 'parent', 'charts'), mtime: 0 });
    const chart = await loadChart('parent', { workspace: ws, logger: new MemoryLogger() });
    const report = await checkValuesSchemas(chart, { remoteRefs: 'error' });
    expect(errors(report)).toEqual([
      expect.objectContaining({
        file: 'parent/values.yaml',
        line: 2,
        message: expect.stringContaining('exampleValue: must be string') as string,
      }),
    ]);
  });
});

describe('drafts, as Helm compiles them by $schema', () => {
  const withSchema = (schema: object, values: string) =>
    chartFiles('chart', 'web', '0.1.0', { 'values.schema.json': JSON.stringify(schema, null, 2), 'values.yaml': values });

  it('asserts format for draft-07 and older, not for 2019-09 and 2020-12', async () => {
    const properties = { contact: { type: 'string', format: 'email' } };
    const draft07 = await check(withSchema({ $schema: 'http://json-schema.org/draft-07/schema#', properties }, 'contact: nobody\n'));
    expect(errors(draft07).map((f) => [f.line, f.message])).toEqual([
      [
        1,
        'default values do not validate against chart/values.schema.json: contact: must match format "email" (chart/values.schema.json#/properties/contact/format)',
      ],
    ]);
    const draft06 = await check(withSchema({ $schema: 'http://json-schema.org/draft-06/schema#', properties }, 'contact: nobody\n'));
    expect(errors(draft06)).toHaveLength(1);
    const modern = await check(withSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', properties }, 'contact: nobody\n'));
    expect(errors(modern)).toEqual([]);
  });

  it("compiles draft-04 schemas with draft-04's boolean exclusiveMinimum, and 2019-09 ones", async () => {
    const draft04 = await check(
      withSchema(
        {
          $schema: 'http://json-schema.org/draft-04/schema#',
          properties: { port: { type: 'integer', minimum: 0, exclusiveMinimum: true } },
        },
        'port: 0\n',
      ),
    );
    expect(errors(draft04).map((f) => f.message)).toEqual([
      'default values do not validate against chart/values.schema.json: port: must be > 0 (chart/values.schema.json#/properties/port/minimum)',
    ]);
    const draft2019 = await check(
      withSchema(
        {
          $schema: 'https://json-schema.org/draft/2019-09/schema',
          $defs: { p: { type: 'integer' } },
          properties: { port: { $ref: '#/$defs/p' } },
        },
        'port: x\n',
      ),
    );
    expect(errors(draft2019).map((f) => f.line)).toEqual([1]);
  });

  it('refuses an unknown $schema, which Helm would download as a meta-schema', async () => {
    const report = await check(withSchema({ $schema: 'https://example.com/my-meta.json', type: 'object' }, 'a: 1\n'));
    expect(errors(report)).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining('"$schema": "https://example.com/my-meta.json" is not a JSON Schema draft Helm knows') as string,
      }),
    ]);
  });
});
