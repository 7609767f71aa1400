import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marshalChartYaml, mergeRequirements, parseChartYaml, validateMetadata } from '../../src/chart/metadata.js';
import { MESSAGE_SEPARATOR, parseMessageFiles, provenanceMessage } from '../../src/provenance/message.js';
import { sha256Hex } from '../../src/shared/sha256.js';
import { ProvenanceError } from '../../src/provenance/provenance-error.js';
import { corpusPath } from '../support/corpus.js';
import { readChartArchive } from './chart-archive.js';

/** The signed message, as Helm's pkg/provenance writes it. */

const packaged = corpusPath('packaged');
const archives = readdirSync(packaged).flatMap((origin) =>
  readdirSync(join(packaged, origin)).map((pair) => {
    const dir = join(packaged, origin, pair);
    return join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) as string);
  }),
);

describe('provenanceMessage', () => {
  it.each(archives)('starts with the Chart.yaml Helm wrote into %s', (archive) => {
    const chart = readChartArchive(archive);
    const inArchive = execFileSync('tar', ['xzOf', archive, `${chart.metadata.name}/Chart.yaml`]).toString('utf8');
    const sha = sha256Hex(chart.bytes);
    expect(provenanceMessage(chart.metadata, chart.fileName, sha)).toBe(`${inArchive}\n...\nfiles:\n  ${chart.fileName}: sha256:${sha}\n`);
  });

  it('includes the dependencies of requirements.yaml for apiVersion v1, which the archived Chart.yaml leaves out', () => {
    const dir = corpusPath('charts', 'grafana', 'loki-stack');
    const { metadata, source } = parseChartYaml(readFileSync(join(dir, 'Chart.yaml'), 'utf8'), 'loki-stack/Chart.yaml');
    mergeRequirements(metadata, readFileSync(join(dir, 'requirements.yaml'), 'utf8'), 'loki-stack/requirements.yaml');
    validateMetadata(metadata, source);
    const message = provenanceMessage(metadata, 'loki-stack.tgz', '0'.repeat(64));
    expect(marshalChartYaml(metadata)).not.toContain('dependencies:');
    expect(message).toMatch(/^dependencies:\n- condition: loki\.enabled\n/m);
  });

  it('quotes a file name the way go-yaml does when it would not read back as a string', () => {
    const { metadata } = parseChartYaml('apiVersion: v2\nname: x\nversion: 1.0.0\n', 'Chart.yaml');
    expect(provenanceMessage(metadata, 'true', 'a'.repeat(64))).toContain(`\nfiles:\n  "true": sha256:${'a'.repeat(64)}\n`);
  });

  it('refuses a digest or a file name it cannot have been given on purpose', () => {
    const { metadata } = parseChartYaml('apiVersion: v2\nname: x\nversion: 1.0.0\n', 'Chart.yaml');
    expect(() => provenanceMessage(metadata, 'x-1.0.0.tgz', 'ABC')).toThrow(TypeError);
    expect(() => provenanceMessage(metadata, 'dist/x-1.0.0.tgz', 'a'.repeat(64))).toThrow(/base name/);
  });
});

describe('parseMessageFiles (Helm parseMessageBlock)', () => {
  it('reads the files map of a message and ignores the metadata part', () => {
    const files = parseMessageFiles(`name: [unclosed${MESSAGE_SEPARATOR}files:\n  a.tgz: sha256:01\n  b.tgz: sha256:02`);
    expect([...files]).toEqual([
      ['a.tgz', 'sha256:01'],
      ['b.tgz', 'sha256:02'],
    ]);
  });

  it("fails with Helm's message when the separator is missing", () => {
    expect(() => parseMessageFiles('name: x\nfiles:\n  a.tgz: sha256:01\n')).toThrow(
      new ProvenanceError('message block must have at least two parts'),
    );
  });

  it.each([
    ['invalid YAML', 'files: [unclosed', /not valid YAML/],
    ['files as a list', 'files:\n- a', /not a mapping/],
    ['a checksum that is not a string', 'files:\n  a.tgz: [1]', /checksum of "a.tgz"/],
  ])('fails on %s', (_what, part, message) => {
    expect(() => parseMessageFiles(`name: x${MESSAGE_SEPARATOR}${part}`)).toThrow(message);
  });

  it('returns no files for an empty checksum part', () => {
    expect(parseMessageFiles(`name: x${MESSAGE_SEPARATOR}`).size).toBe(0);
  });
});
