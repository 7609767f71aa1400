import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newestEntryTime, readChartArchive } from '../../src/chart/archive-reader.js';
import { provenanceUrl } from '../../src/migrate/existing-packages.js';
import { IndexError, readRepositoryIndex } from '../../src/migrate/repository-index.js';
import { startDeadline } from '../../src/shared/deadline.js';
import { standInArchive } from '../support/chart-repo.js';
import { corpusPath } from '../support/corpus.js';

const DIGEST = 'c'.repeat(64);

describe('readRepositoryIndex', () => {
  it('lists every entry with what migration needs, including those Helm would skip', () => {
    const text = `apiVersion: v1
entries:
  web:
  - name: web
    version: 1.2.0
    urls: [charts/web-1.2.0.tgz, https://mirror.example.com/web-1.2.0.tgz]
    digest: ${DIGEST.toUpperCase()}
    created: "2025-03-04T05:06:07.123456789+01:00"
    deprecated: true
  - version: 1.10
    urls: [charts/web-1.10.tgz]
  - version: 2.0.0
    urls: []
  - version: 2.1.0
    digest: not-a-digest
    urls: [x.tgz]
generated: 2026-01-01T00:00:00Z
`;
    expect(readRepositoryIndex(text, 'index.yaml')).toEqual([
      {
        name: 'web',
        version: '1.2.0',
        urls: ['charts/web-1.2.0.tgz', 'https://mirror.example.com/web-1.2.0.tgz'],
        digest: DIGEST,
        deprecated: true,
        created: Date.UTC(2025, 2, 4, 4, 6, 7) / 1000,
        problem: undefined,
      },
      {
        name: 'web',
        version: '1.1',
        urls: ['charts/web-1.10.tgz'],
        digest: undefined,
        deprecated: false,
        created: undefined,
        problem: "the index entry's version is a YAML float (1.1), not a string: Helm cannot read this entry",
      },
      expect.objectContaining({ version: '2.0.0', problem: 'the index entry lists no download URL' }),
      expect.objectContaining({ version: '2.1.0', digest: undefined, problem: undefined }),
    ]);
  });

  it('reads a JSON index', () => {
    const json = JSON.stringify({ apiVersion: 'v1', entries: { a: [{ version: '0.1.0', urls: ['a-0.1.0.tgz'] }] } });
    expect(readRepositoryIndex(json, 'index.yaml').map((e) => [e.name, e.version, e.urls])).toEqual([['a', '0.1.0', ['a-0.1.0.tgz']]]);
  });

  it('reads a JSON index as the dependency path does: with JSON.parse, and JSON errors as JSON errors', () => {
    expect(() => readRepositoryIndex('{"apiVersion": "v1",\n "entries": {,}}', 'https://x/index.yaml')).toThrow(
      'https://x/index.yaml is not valid JSON (syntax error at line 2, column 14)',
    );
  });

  it("stops decoding at the run's deadline, naming the file", () => {
    const deadline = startDeadline(0, 'input "timeout": 0 minute(s)');
    expect(() => readRepositoryIndex('apiVersion: v1\nentries: {}\n', 'https://x/index.yaml', deadline)).toThrow(
      /^decoding https:\/\/x\/index\.yaml \(27 bytes\) was stopped after \d+\.\d s: the run's time limit \(input "timeout": 0 minute\(s\)\) was reached$/,
    );
    expect(deadline.inFlightAtExpiry).toEqual([expect.stringMatching(/^decoding https:\/\/x\/index\.yaml \(27 bytes, for /)]);
  });

  it('refuses what is not a repository index, saying where', () => {
    expect(() => readRepositoryIndex('', 'https://x/index.yaml')).toThrow(IndexError);
    expect(() => readRepositoryIndex('- a\n', 'https://x/index.yaml')).toThrow('https://x/index.yaml is empty or not a mapping');
    expect(() => readRepositoryIndex('entries: {}\n', 'https://x/index.yaml')).toThrow('has no apiVersion');
    expect(() => readRepositoryIndex('apiVersion: v1\nentries: [\n', 'https://x/index.yaml')).toThrow(/is not valid YAML \(line \d+\)/);
  });
});

describe('provenanceUrl', () => {
  it('puts .prov on the path and keeps the query', () => {
    expect(provenanceUrl('https://h/charts/a-1.0.0.tgz')).toBe('https://h/charts/a-1.0.0.tgz.prov');
    expect(provenanceUrl('https://h/a-1.0.0.tgz?token=x')).toBe('https://h/a-1.0.0.tgz.prov?token=x');
  });
});

describe('newestEntryTime', () => {
  const newest = async (bytes: Uint8Array) => newestEntryTime(await readChartArchive(bytes));

  it('is the newest entry time of the archive; none for an archive without times', async () => {
    expect(await newest(await standInArchive('t', '1.0.0'))).toBe(1_700_000_000);
    // Helm 3 stamps entries with the packaging time.
    expect(await newest(readFileSync(corpusPath('packaged', 'arielevs', 'mosquitto-0.0.12', 'mosquitto-0.0.12.tgz')))).toBeGreaterThan(
      1_500_000_000,
    );
    // An old Helm wrote 0 (see the corpus README).
    expect(
      await newest(
        readFileSync(corpusPath('packaged', 'arielevs', 'nalkinscloud-mqtt-simulators-0.1.1', 'nalkinscloud-mqtt-simulators-0.1.1.tgz')),
      ),
    ).toBeUndefined();
  });
});
