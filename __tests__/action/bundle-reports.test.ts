import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/action-runner.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { chartFiles, tempDir, writeTree } from '../support/temp-workspace.js';

/**
 * Honest reports at scale, through the bundle: the summary's first line counts the charts, at
 * most 11 error annotations (10 on their lines, then the final line), and a final line under
 * 2,000 characters, while every chart's reason stays in the `charts` output and the summary.
 */

const GOOD = 10;
const BAD = 110;

/** 10 valid charts, 109 whose appVersion is a YAML float, one whose Chart.yaml is not YAML. */
function manyCharts(): string {
  const ws = tempDir();
  const files: Record<string, string> = {};
  for (let i = 0; i < GOOD; i++) Object.assign(files, chartFiles(`charts/ok-${i}`, `ok-${i}`, '1.0.0'));
  for (let i = 0; i < BAD - 1; i++) {
    Object.assign(
      files,
      chartFiles(`charts/bad-${i}`, `bad-${i}`, '1.0.0', {
        'Chart.yaml': `apiVersion: v2\nname: Bad-${i}\nversion: 1.0.0\n`,
      }),
    );
  }
  Object.assign(files, chartFiles('charts/broken', 'broken', '1.0.0', { 'Chart.yaml': 'apiVersion: v2\nname: [broken\n' }));
  writeTree(ws, files);
  return ws;
}

const errorLines = (run: ActionRun) => run.stdout.split('\n').filter((line) => line.startsWith('::error'));
/** The summary's line under its heading. */
const firstLine = (run: ActionRun) => run.summary.split('\n').filter((l) => l.trim() !== '')[1];
const registryWrites = (registry: TestRegistry) =>
  readFileSync(registry.logFile, 'utf8')
    .split('\n')
    .filter((line) => /"(POST|PUT|PATCH|DELETE) \/v2\/.+/.test(line));

describe('the bundle reporting 120 charts, 110 failing', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ mode: 'plain' });
  });
  afterAll(async () => registry?.stop());

  const inputs = (extra: Record<string, string>) => ({
    'charts-dir': 'charts',
    discover: 'all',
    'plain-http': 'true',
    registry: `oci://${registry.host}/scale`,
    ...extra,
  });

  it('publishing: 10 error annotations on their lines, one final line under 2,000 characters, nothing pushed', async () => {
    const run = await runAction({ workspace: manyCharts(), inputs: inputs({ 'dry-run': 'false' }) });
    expect(run.exitCode).toBe(1);
    const errors = errorLines(run);
    expect(errors.length).toBeLessThanOrEqual(11);
    expect(errors.slice(0, 10).every((line) => /^::error title=.*,file=charts\/[^,]+\/Chart\.yaml/.test(line))).toBe(true);
    const final = errors.at(-1)!;
    expect(final.length).toBeLessThan(2000);
    expect(final).toMatch(/^::error::110 of 120 chart\(s\) failed: /);
    expect(final).toContain('… and 100 more');
    expect(final).toMatch(/100 more error\(s\) were not annotated/);
    // The others are still in the log, as plain lines.
    expect(run.stdout.match(/^Error \(not annotated, 10 already are\): /gm)).toHaveLength(100);

    expect(firstLine(run)).toMatch(
      /^0 published, 10 not pushed, 110 failed\. \*\*Nothing was pushed: 110 of 120 selected chart\(s\) failed, /,
    );
    expect(run.charts).toHaveLength(120);
    const broken = run.charts.find((c) => c.path === 'charts/broken')!;
    expect(broken.status).toBe('failed');
    // No reference: an empty cell, not an empty code span.
    expect(run.summary).toContain('| charts/broken |  |  | ❌ failed |');
    expect(run.summary).not.toMatch(/\| `` \|/);
    for (const chart of run.charts.filter((c) => c.status === 'failed' && c.path !== 'charts/broken')) {
      expect(chart.reason).toMatch(/chart name "Bad-\d+" cannot be an OCI repository name/);
      expect(run.summary).toContain(`| ${chart.name} | 1.0.0 |`);
    }
    expect(registryWrites(registry)).toEqual([]);
  });

  it('dry-run: the counts and that a real run would push nothing', async () => {
    const run = await runAction({ workspace: manyCharts(), inputs: inputs({ 'dry-run': 'true' }) });
    expect(run.exitCode).toBe(1);
    expect(errorLines(run).length).toBeLessThanOrEqual(11);
    expect(firstLine(run)).toMatch(
      /^\*\*Dry run\*\*: nothing was pushed\. 10 would be published, 110 failed\. \*\*A real run would push nothing: 110 of 120 selected chart\(s\) failed/,
    );
  });

  it('on-invalid: skip publishes the 10 valid charts and still fails the step', async () => {
    const run = await runAction({ workspace: manyCharts(), inputs: inputs({ 'dry-run': 'false', 'on-invalid': 'skip' }) });
    expect(run.exitCode).toBe(1);
    expect(firstLine(run)).toBe('10 published, 110 failed.');
    expect(run.charts.filter((c) => c.status === 'published')).toHaveLength(GOOD);
    expect(run.summary).toContain(`helm pull oci://${registry.host}/scale/ok-0 --version 1.0.0 --plain-http`);
    expect(errorLines(run).at(-1)).toMatch(/^::error::110 of 120 chart\(s\) failed: /);
  });
});

describe('a dry-run without credentials', () => {
  let token: TestRegistry;
  let locked: TestRegistry;
  beforeAll(async () => {
    token = await startRegistry({ mode: 'token', token: { anonymousPull: true } });
    locked = await startRegistry({ mode: 'htpasswd' });
  });
  afterAll(async () => {
    await token?.stop();
    await locked?.stop();
  });

  it('reads the registry with an anonymous token and finds a conflict', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') });
    const common = { 'charts-dir': 'charts', discover: 'all', 'plain-http': 'true', registry: `oci://${token.host}/anon` };
    const published = await runAction({
      workspace: ws,
      inputs: { ...common, 'dry-run': 'false', username: token.username!, password: token.password! },
    });
    expect(published.exitCode, published.stdout).toBe(0);

    writeTree(ws, { 'charts/a/values.yaml': 'replicas: 5\n' });
    const run = await runAction({ workspace: ws, inputs: { ...common, 'dry-run': 'true' } });
    expect(run.exitCode).toBe(1);
    expect(run.charts.map((c) => [c.name, c.status])).toEqual([
      ['a', 'failed'],
      ['b', 'dry-run'],
    ]);
    expect(run.charts[0]!.reason).toMatch(/already published as sha256:[0-9a-f]{64} with different chart content/);
    expect(run.charts[1]!.reason).toMatch(/^already published with identical content: would be unchanged/);
    expect(token.tokenServer!.issued.some((t) => t.grant === 'anonymous')).toBe(true);
    expect(firstLine(run)).toMatch(/^\*\*Dry run\*\*: nothing was pushed\. 1 would be unchanged, 1 failed\./);
  });

  it('says once that the registry was not checked when it refuses anonymous reads', async () => {
    const ws = tempDir();
    writeTree(ws, { ...chartFiles('charts/a', 'a', '1.0.0'), ...chartFiles('charts/b', 'b', '1.0.0') });
    const run = await runAction({
      workspace: ws,
      inputs: { 'charts-dir': 'charts', discover: 'all', 'plain-http': 'true', registry: `oci://${locked.host}/anon`, 'dry-run': 'true' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout.match(/The registry was not checked/g)).toHaveLength(1);
    expect(run.stdout).not.toContain('::warning');
    expect(run.charts.map((c) => c.status)).toEqual(['dry-run', 'dry-run']);
    expect(run.charts[0]!.reason).toMatch(/^registry not checked: /);
    expect(firstLine(run)).toBe('**Dry run**: nothing was pushed. 2 would be published (registry not checked), 0 failed.');
  });
});
