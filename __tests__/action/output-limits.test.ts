import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_OUTPUT_BYTES, MAX_SUMMARY_BYTES, summaryMarkdown, withinSummaryLimit, writeOutputs } from '../../src/action/outputs.js';
import type { ChartOutcome, RunReport } from '../../src/publish/report.js';
import { clearSecrets, registerSecret } from '../../src/shared/secret-redactor.js';
import { tempDir } from '../support/temp-workspace.js';

/**
 * GitHub's limits on what a step leaves behind: an output holds at most 1 MB, a step's job
 * summary at most 1 MiB (above it the whole summary is dropped). A migration of thousands of
 * versions, or a chart from a fork with a 1.5 MB `version`, must stay within them.
 */

function chart(i: number, extra: Partial<ChartOutcome> = {}): ChartOutcome {
  const name = `chart-${i}`;
  const failed = extra.status === 'failed';
  return {
    name,
    version: '1.0.0',
    path: `charts/${name}`,
    reference: `registry.example/acme/${name}:1.0.0`,
    tag: '1.0.0',
    status: 'published',
    ...(failed ? {} : { digest: `sha256:${'a'.repeat(64)}` }),
    chartDigest: `sha256:${'b'.repeat(64)}`,
    package: `/runner/temp/oci-chart-publish/${name}-1.0.0.tgz`,
    ...extra,
  };
}

function report(charts: ChartOutcome[]): RunReport {
  return { dryRun: false, registry: 'oci://registry.example/acme', charts, deleted: [] };
}

/** The outputs as the runner reads GITHUB_OUTPUT: `name<<delimiter`, the value, the delimiter. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] as string] = match[3] as string;
  return outputs;
}

describe('the outputs within 1 MB each', () => {
  let file: string;
  let stdout: string[];
  beforeEach(() => {
    file = join(tempDir('ocp-outputs-'), 'output');
    writeFileSync(file, '');
    vi.stubEnv('GITHUB_OUTPUT', file);
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    clearSecrets();
  });

  it('6,000 published versions: each list output is valid, under 1 MB, and a warning says how many it lists', () => {
    const charts = Array.from({ length: 6_000 }, (_, i) => chart(i));
    writeOutputs(report(charts));
    const outputs = readOutputs(file);
    for (const name of ['charts', 'published', 'matrix'])
      expect(Buffer.byteLength(outputs[name] ?? ''), name).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    const listed = JSON.parse(outputs.charts ?? '') as Array<{ name: string }>;
    expect(listed.length).toBeGreaterThan(1_000);
    expect(listed.length).toBeLessThan(6_000);
    expect(listed.map((c) => c.name)).toEqual(charts.slice(0, listed.length).map((c) => c.name));
    // One more entry would not have fitted.
    expect(Buffer.byteLength(outputs.charts ?? '') + 400).toBeGreaterThan(MAX_OUTPUT_BYTES);
    const matrix = JSON.parse(outputs.matrix ?? '') as { include: unknown[] };
    expect(matrix.include.length).toBeGreaterThan(1_000);
    expect(outputs.published?.split('\n').length).toBe(6_000);
    expect(outputs.changed).toBe('true');
    const warnings = stdout.filter((line) => line.startsWith('::warning::'));
    expect(warnings).toContainEqual(expect.stringContaining(`The "charts" output lists ${listed.length} of 6000 charts`));
    expect(warnings.some((line) => line.includes('"published" output'))).toBe(false);
  });

  it("a failed chart's 1.5 MB version and a server's 3 MB message are cut in the outputs, after secrets are removed", () => {
    registerSecret('robot:Zq8xVb3nTr5yLm2kQ7');
    const huge = chart(1, {
      status: 'failed',
      version: '1'.repeat(1_500_000),
      reason: `${'-'.repeat(1_990)} robot:Zq8xVb3nTr5yLm2kQ7 ${'x'.repeat(3_000_000)}`,
    });
    writeOutputs(report([huge, chart(2)]));
    const outputs = readOutputs(file);
    const listed = JSON.parse(outputs.charts ?? '') as Array<{ version: string; reason?: string }>;
    expect(listed).toHaveLength(2);
    expect(listed[0]?.version.length).toBeLessThanOrEqual(1_000);
    expect(listed[0]?.reason?.length).toBeLessThanOrEqual(2_000);
    expect(outputs.charts).not.toContain('robot:Zq');
    expect(Buffer.byteLength(readFileSync(file))).toBeLessThan(20_000);
  });
});

describe('the job summary within 1 MiB', () => {
  afterEach(() => clearSecrets());

  it('6,000 charts: the summary is cut at a line end, its code block closed, and it says so', () => {
    const charts = Array.from({ length: 6_000 }, (_, i) => chart(i, { reason: 'r'.repeat(300) }));
    const full = summaryMarkdown(report(charts));
    expect(Buffer.byteLength(full)).toBeGreaterThan(MAX_SUMMARY_BYTES);
    const cut = withinSummaryLimit(full);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(cut).toContain('The summary is cut here: GitHub shows at most 1 MiB of it.');
    expect(cut.split('\n').filter((line) => line.startsWith('```')).length % 2).toBe(0);
    expect(full.startsWith(cut.slice(0, cut.lastIndexOf('\n_The summary is cut here')).replace(/```\n$/, ''))).toBe(true);
  });

  it('a cut through multi-byte characters stays within the limit, at a line end or inside a longer line', () => {
    const lines = withinSummaryLimit(`${'é'.repeat(300_000)}\n${'🧪'.repeat(300_000)}\n`);
    expect(Buffer.byteLength(lines)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(lines.startsWith(`${'é'.repeat(300_000)}\n\n_The summary is cut here`)).toBe(true);
    const oneLine = withinSummaryLimit('🧪'.repeat(300_000));
    expect(Buffer.byteLength(oneLine)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(Buffer.byteLength(oneLine)).toBeGreaterThan(MAX_SUMMARY_BYTES - 200);
    expect(oneLine).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("a chart's huge version and reason take one short cell each", () => {
    const markdown = summaryMarkdown(
      report([chart(1, { status: 'failed', version: 'v'.repeat(1_500_000), reason: 'x'.repeat(3_000_000) })]),
    );
    expect(markdown.length).toBeLessThan(2_000);
    expect(markdown).toContain(`${'v'.repeat(199)}…`);
  });

  it('a summary under the limit is left as it is', () => {
    const markdown = summaryMarkdown(report([chart(1)]));
    expect(withinSummaryLimit(markdown)).toBe(markdown);
  });
});
