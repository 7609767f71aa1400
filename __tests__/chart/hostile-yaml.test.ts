import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../src/chart/chart-loader.js';
import { parseChartYaml } from '../../src/chart/metadata.js';
import { decodeYaml, YamlSyntaxError } from '../../src/chart/go/yaml-decode.js';
import { parseIndex, RepositoryError } from '../../src/dependencies/chart-repository.js';
import { startDeadline } from '../../src/shared/deadline.js';
import { ChartError } from '../../src/shared/errors.js';
import { MemoryLogger } from '../support/memory-logger.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/** "Billion laughs": `levels` anchors each aliasing the previous one `width` times (width^levels nodes). */
function aliasBomb(levels = 9, width = 9): string {
  const lines = [`l0: &l0 [${Array<string>(width).fill('lol').join(', ')}]`];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array<string>(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

const BOMB_LINE = 1;

async function loadFailure(ws: string, dir = 'charts/demo'): Promise<ChartError> {
  const error = await loadChart(dir, { workspace: ws, logger: new MemoryLogger() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChartError);
  return error as ChartError;
}

function chartWith(extra: Record<string, string | Buffer>): string {
  const ws = tempDir();
  writeTree(ws, { ...chartFiles('charts/demo', 'demo'), ...extra });
  return ws;
}

describe('alias bombs are refused as go-yaml refuses them, in every file kind', () => {
  const bomb = aliasBomb();
  const cases: Array<[string, Record<string, string>, string]> = [
    ['Chart.yaml', { 'charts/demo/Chart.yaml': `apiVersion: v2\nname: demo\nversion: 0.1.0\n${bomb}` }, 'charts/demo/Chart.yaml'],
    ['Chart.lock', { 'charts/demo/Chart.lock': `digest: sha256:00\n${bomb}` }, 'charts/demo/Chart.lock'],
    ['requirements.yaml', { 'charts/demo/requirements.yaml': bomb }, 'charts/demo/requirements.yaml'],
    ['requirements.lock', { 'charts/demo/requirements.lock': bomb }, 'charts/demo/requirements.lock'],
    ['values.yaml', { 'charts/demo/values.yaml': bomb }, 'charts/demo/values.yaml'],
    ['a second values.yaml document', { 'charts/demo/values.yaml': `a: 1\n---\n${bomb}` }, 'charts/demo/values.yaml'],
    [
      "a subchart's Chart.yaml",
      {
        ...chartFiles('charts/demo/charts/sub', 'sub'),
        'charts/demo/charts/sub/Chart.yaml': `apiVersion: v2\nname: sub\nversion: 1.0.0\n${bomb}`,
      },
      'charts/demo/charts/sub/Chart.yaml',
    ],
    [
      "a subchart's values.yaml",
      { ...chartFiles('charts/demo/charts/sub', 'sub'), 'charts/demo/charts/sub/values.yaml': bomb },
      'charts/demo/charts/sub/values.yaml',
    ],
  ];
  it.each(cases)('in %s: a ChartError naming the file and line', async (_kind, files, file) => {
    const error = await loadFailure(chartWith(files));
    expect(error.message).toContain('document contains excessive aliasing');
    expect(error.file).toBe(file);
    expect(error.line).toBeGreaterThanOrEqual(BOMB_LINE);
  });

  it('in the Chart.yaml of a vendored .tgz subchart (extracted by the archive loader)', async () => {
    const ws = chartWith({ 'charts/demo/charts/.keep': '' });
    const src = tempDir();
    writeTree(src, { ...chartFiles('sub', 'sub'), 'sub/Chart.yaml': `apiVersion: v2\nname: sub\nversion: 1.0.0\n${bomb}` });
    execFileSync('tar', ['-czf', join(ws, 'charts/demo/charts/sub-1.0.0.tgz'), '-C', src, 'sub']);
    const error = await loadFailure(ws);
    expect(error.message).toContain('document contains excessive aliasing');
    expect(error.file).toBe('charts/demo/charts/sub-1.0.0.tgz:Chart.yaml');
  });

  it("in a chart repository's index.yaml", () => {
    const body = Buffer.from(`apiVersion: v1\nentries: {}\n${bomb}`);
    expect(() => parseIndex(body, 'https://charts.example.test', new MemoryLogger())).toThrow(
      /not valid YAML \(line \d+\): document contains excessive aliasing/,
    );
  });

  it('in a Chart.yaml read from git text (discovery)', () => {
    expect(() => parseChartYaml(`name: demo\nversion: 1.0.0\n${bomb}`, 'charts/demo/Chart.yaml')).toThrow(/excessive aliasing/);
  });

  it('a larger bomb (9^12) is refused as fast as a small one: the refusal does not depend on the expansion', () => {
    expect(() => decodeYaml(aliasBomb(12, 9))).toThrow(YamlSyntaxError);
  });
});

describe('ordinary anchors still work', () => {
  it('anchors, aliases and merge keys used in moderation decode', () => {
    const node = decodeYaml('base: &b {a: 1, b: 2}\nx: *b\ny:\n  <<: *b\n  c: 3\n');
    expect(node?.kind).toBe('map');
  });

  it('a document of 5,000 aliased values decodes (go-yaml allows 99% aliasing in small documents)', () => {
    const text = `base: &b [${Array<string>(20).fill('v').join(', ')}]\nlist:\n${Array.from({ length: 250 }, () => '  - *b').join('\n')}\n`;
    const node = decodeYaml(text);
    expect(node?.kind).toBe('map');
  });

  it('an anchor that contains itself is refused with its line', () => {
    try {
      decodeYaml('a: 1\nb: &x [1, *x]\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(YamlSyntaxError);
      expect((error as YamlSyntaxError).message).toMatch(/anchor "x" value contains itself|unknown anchor/);
      expect((error as YamlSyntaxError).line).toBe(2);
    }
  });
});

describe('bytes Helm refuses in YAML are refused, with the line', () => {
  it('a raw NUL byte in Chart.yaml', async () => {
    const ws = chartWith({
      'charts/demo/Chart.yaml': Buffer.from('apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: "a\u0000b"\n'),
    });
    const error = await loadFailure(ws);
    expect(error.message).toContain('control character U+0000 is not allowed');
    expect(error.file).toBe('charts/demo/Chart.yaml');
    expect(error.line).toBe(4);
  });

  it('invalid UTF-8 in Chart.yaml', async () => {
    const bytes = Buffer.concat([
      Buffer.from('apiVersion: v2\nname: demo\nversion: 0.1.0\ndescription: caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const error = await loadFailure(chartWith({ 'charts/demo/Chart.yaml': bytes }));
    expect(error.message).toContain('invalid UTF-8 byte 0xe9');
    expect(error.line).toBe(4);
  });

  it('invalid UTF-8 in values.yaml', async () => {
    const error = await loadFailure(chartWith({ 'charts/demo/values.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]) }));
    expect(error.message).toContain('cannot load values.yaml: invalid UTF-8 byte 0xff');
    expect(error.file).toBe('charts/demo/values.yaml');
  });

  it('an overlong encoding and a UTF-8 surrogate are invalid too', () => {
    expect(() => decodeYaml(Buffer.from([0x61, 0x3a, 0x20, 0xc0, 0x80]))).toThrow(/invalid UTF-8 byte 0xc0/);
    expect(() => decodeYaml(Buffer.from([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80]))).toThrow(/invalid UTF-8 byte 0xed/);
  });

  it('UTF-8 text with accents, CJK and emoji is fine', () => {
    expect(decodeYaml(Buffer.from('description: café 日本 🎉\n'))?.kind).toBe('map');
  });

  it('an escaped NUL inside a double-quoted string is text, not a raw byte, and stays allowed', () => {
    expect(decodeYaml('a: "x\\0y"\n')?.kind).toBe('map');
  });
});

describe('deep nesting is a clear error, not a stack overflow', () => {
  it.each([
    ['flow sequences', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['block mappings', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  ])('%s in values.yaml', async (_kind, text) => {
    const error = await loadFailure(chartWith({ 'charts/demo/values.yaml': text }));
    expect(error.message).toMatch(/nests too deeply/);
    expect(error.file).toBe('charts/demo/values.yaml');
  });
});

describe('nesting is limited to 500 levels, the same on every run', () => {
  // Each shape with `levels` collections around its innermost scalar, which is as deep.
  const shapes: Array<[string, (levels: number) => string]> = [
    ['flow sequences', (n) => `a: ${'['.repeat(n - 1)}1${']'.repeat(n - 1)}\n`],
    ['flow mappings', (n) => `a: ${'{a: '.repeat(n - 1)}1${'}'.repeat(n - 1)}\n`],
    ['block sequences on one line', (n) => `${'- '.repeat(n)}x\n`],
    ['block mappings', (n) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x\n`],
    ['explicit keys', (n) => `${'? '.repeat(n)}x\n`],
    [
      'tagged and anchored flow sequences',
      (n) => `a: ${Array.from({ length: n - 1 }, (_, i) => `!!seq &x${i} [`).join('')}1${']'.repeat(n - 1)}\n`,
    ],
  ];

  function depth(node: ReturnType<typeof decodeYaml>): number {
    if (node?.kind === 'seq') return 1 + Math.max(0, ...node.items.map(depth));
    if (node?.kind === 'map') return 1 + Math.max(0, ...node.entries.map((e) => Math.max(depth(e.key), depth(e.value))));
    return 0;
  }

  it.each(shapes)('%s: 500 levels decode, 501 are refused', (_shape, text) => {
    // The library's recursion overflows the stack at some 770 to 900 levels; below it, a
    // document decodes or fails the same way each time, whatever has been compiled before.
    for (let run = 0; run < 3; run++) {
      expect(depth(decodeYaml(text(500)))).toBe(500);
      expect(() => decodeYaml(text(501))).toThrow('document nests too deeply (more than 500 levels)');
    }
  });

  it('5 MiB of "[" is refused where the nesting passes the limit, not after building it', () => {
    const error = decodeYamlError(`a: ${'['.repeat(2_600_000)}${']'.repeat(2_600_000)}\n`);
    expect(error.message).toBe('document nests too deeply (more than 500 levels)');
    // "a: ", then the bracket that opens the 501st level: the mapping is the first.
    expect([error.line, error.column]).toEqual([1, 3 + 500 + 1]);
  });

  it('block nesting is refused on the line that passes the limit', () => {
    // Line n opens a mapping n - 1 levels down: line 502 is the first past the limit.
    const lines = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`);
    const error = decodeYamlError(lines.join('\n'));
    expect(error.message).toBe('document nests too deeply (more than 500 levels)');
    expect(error.line).toBe(502);
  });
});

function decodeYamlError(text: string): YamlSyntaxError {
  try {
    decodeYaml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(YamlSyntaxError);
    return error as YamlSyntaxError;
  }
  throw new Error('the document decoded');
}

describe('index.yaml goes through the same decoder', () => {
  it('a JSON index with invalid UTF-8 is refused', () => {
    const body = Buffer.concat([Buffer.from('{"apiVersion":"v1","entries":{"a\xff":[]}}', 'latin1')]);
    expect(() => parseIndex(body, 'https://charts.example.test', new MemoryLogger())).toThrow(/invalid UTF-8/);
  });

  it('a YAML index reads entries as before', () => {
    const body = Buffer.from('apiVersion: v1\nentries:\n  a:\n  - version: 1.2.3\n    urls: [a-1.2.3.tgz]\n');
    const index = parseIndex(body, 'https://charts.example.test', new MemoryLogger());
    expect(index.entries.get('a')?.[0]?.urls).toEqual(['a-1.2.3.tgz']);
  });
});

/** An index of `charts` chart names with one version each, as a repository of many charts lists them. */
function manyChartsIndex(charts: number): string {
  const lines = ['apiVersion: v1', 'entries:'];
  for (let i = 0; i < charts; i++) lines.push(`  c${i}:`, `  - name: c${i}`, '    version: 1.0.0', `    urls: [c${i}-1.0.0.tgz]`);
  return `${lines.join('\n')}\n`;
}

describe('a long decoding can be stopped by its caller', () => {
  it('the check is called every few thousand tokens and nodes; what it throws ends the decoding', () => {
    const text = manyChartsIndex(2_000);
    let calls = 0;
    const node = decodeYaml(text, { check: () => void calls++ });
    expect(node).toEqual(decodeYaml(text));
    // Some 64,000 tokens and 22,000 nodes: a call per 4,096 of each, and one after composing.
    expect(calls).toBeGreaterThanOrEqual(15);
    expect(calls).toBeLessThan(40);

    const stop = new Error('out of time');
    for (const after of [0, 5, 18]) {
      let left = after;
      const check = () => {
        if (left-- === 0) throw stop;
      };
      expect(() => decodeYaml(text, { check })).toThrow(stop);
    }
  });

  it("index.yaml decoding stops at the run's deadline, naming the file, how long it took, and what was in flight", () => {
    const deadline = startDeadline(150, 'input "timeout": 0.0025 minute(s)');
    const body = Buffer.from(manyChartsIndex(30_000));
    const error = (() => {
      try {
        parseIndex(body, 'https://charts.example.test', new MemoryLogger(), deadline);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RepositoryError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^decoding the index\\.yaml of https://charts\\.example\\.test \\(${body.byteLength} bytes\\) was stopped after \\d+\\.\\d s: ` +
          `the run's time limit \\(input "timeout": 0\\.0025 minute\\(s\\)\\) was reached$`,
      ),
    );
    // Synchronous work cannot wait for the deadline's timer: the check ends the run's time itself.
    expect(deadline.expired).toBe(true);
    expect(deadline.inFlightAtExpiry).toEqual([
      expect.stringMatching(
        new RegExp(`^decoding the index\\.yaml of https://charts\\.example\\.test \\(${body.byteLength} bytes, for \\d+\\.\\d s\\)$`),
      ),
    ]);
  });

  it('an index whose decoding the deadline has already passed is not decoded at all', () => {
    const deadline = startDeadline(60_000, 'input "timeout": 1 minute(s)');
    deadline.stop();
    // A stopped deadline (the run finished in time) never expires.
    expect(parseIndex(Buffer.from(manyChartsIndex(3)), 'https://h', new MemoryLogger(), deadline).entries.size).toBe(3);
    const expired = startDeadline(0, 'input "timeout": 0 minute(s)');
    let calls = 0;
    expect(() => decodeYaml(manyChartsIndex(3), { check: () => expired.throwIfExpired(() => `decoding ${++calls}`) })).toThrow(
      'the run\'s time limit (input "timeout": 0 minute(s)) was reached',
    );
    expect(calls).toBe(1);
    expired.stop();
  });
});

describe('long scalars decode in linear time', () => {
  it('a 200,000-digit number that is not one (a letter at its end) is a string, decoded at once', () => {
    const digits = `${'0'.repeat(200_000)}x`;
    expect(decodeYaml(`a: ${digits}\nb: ${'1.'.repeat(100_000)}\n`)).toMatchObject({ kind: 'map' });
  });
});
