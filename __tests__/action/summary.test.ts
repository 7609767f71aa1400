import { describe, expect, it } from 'vitest';
import { summaryMarkdown } from '../../src/action/outputs.js';
import type { ChartOutcome, RunReport } from '../../src/publish/report.js';

function chart(name: string, status: ChartOutcome['status'], extra: Partial<ChartOutcome> = {}): ChartOutcome {
  return { name, version: '1.0.0', path: `charts/${name}`, reference: `r.example/ns/${name}:1.0.0`, tag: '1.0.0', status, ...extra };
}

const firstLine = (report: RunReport) => summaryMarkdown(report).split('\n')[2];

describe("the summary's first line", () => {
  it('counts published, unchanged and failed charts of a release', () => {
    const report: RunReport = {
      dryRun: false,
      registry: 'oci://r.example/ns',
      charts: [chart('a', 'published'), chart('b', 'published'), chart('c', 'unchanged'), chart('d', 'failed')],
      deleted: [],
    };
    expect(firstLine(report)).toBe('2 published, 1 unchanged, 1 failed.');
  });

  it('counts what a dry-run would do, from what the registry said', () => {
    const report: RunReport = {
      dryRun: true,
      registry: 'oci://r.example/ns',
      charts: [
        chart('a', 'dry-run', { wouldBe: 'published' }),
        chart('b', 'dry-run', { wouldBe: 'unchanged' }),
        chart('c', 'dry-run', { wouldBe: 'skipped' }),
      ],
      deleted: [],
      onInvalid: 'fail',
    };
    expect(firstLine(report)).toBe(
      '**Dry run**: nothing was pushed. 1 would be published, 1 would be unchanged, 1 would be skipped, 0 failed.',
    );
  });

  it('in a dry-run whose chart failed after the run (a version not bumped), says a real run would push nothing', () => {
    const report: RunReport = {
      dryRun: true,
      registry: 'oci://r.example/ns',
      charts: [chart('a', 'dry-run', { wouldBe: 'published' }), chart('b', 'failed', { reason: 'version not bumped' })],
      deleted: [],
      onInvalid: 'fail',
    };
    expect(firstLine(report)).toBe(
      '**Dry run**: nothing was pushed. 1 would be published, 1 failed. **A real run would push nothing: 1 of 2 selected chart(s) failed, ' +
        'and nothing is pushed unless every selected chart validates (on-invalid: fail).**',
    );
    expect(firstLine({ ...report, onInvalid: 'skip' })).toBe('**Dry run**: nothing was pushed. 1 would be published, 1 failed.');
  });

  it('adds --plain-http to helm pull lines when the registry speaks http, and leaves no empty code span', () => {
    const report: RunReport = {
      dryRun: false,
      registry: 'oci://r.example/ns',
      charts: [
        chart('a', 'published', { digest: `sha256:${'1'.repeat(64)}` }),
        chart('', 'failed', { path: 'charts/broken', reference: '', version: '' }),
      ],
      deleted: [],
    };
    const markdown = summaryMarkdown(report, { plainHttp: true });
    expect(markdown).toContain('helm pull oci://r.example/ns/a --version 1.0.0 --plain-http');
    expect(markdown).toContain('| charts/broken |  |  | ❌ failed |');
    expect(markdown).not.toMatch(/\| `` \|/);
    expect(summaryMarkdown(report)).not.toContain('--plain-http');
  });
});

describe('the summary of a run over many charts', () => {
  it('lists the failed charts first, and folds the check notes of more than 10 charts', () => {
    const charts = Array.from({ length: 300 }, (_, i) =>
      chart(`c${String(i).padStart(3, '0')}`, i % 60 === 59 ? 'failed' : 'published', {
        checks: ['values.schema.json: default values validate'],
        ...(i % 60 === 59 ? { reason: `broken ${i}` } : {}),
      }),
    );
    const markdown = summaryMarkdown({ dryRun: false, registry: 'oci://r.example/ns', charts, deleted: [] });
    const rows = markdown.split('\n').filter((line) => /^\| c\d{3} /.test(line));
    expect(rows).toHaveLength(300);
    expect(rows.slice(0, 5).map((row) => row.split(' | ')[0])).toEqual(['| c059', '| c119', '| c179', '| c239', '| c299']);
    expect(rows.slice(0, 5).every((row) => row.includes('❌ failed'))).toBe(true);
    expect(rows[5]).toMatch(/^\| c000 /);
    expect(markdown).toContain('<details><summary>Checks of 300 charts</summary>');
    expect(markdown).not.toContain('### Checks');
    expect(markdown.indexOf('</details>')).toBeGreaterThan(markdown.indexOf('**c299**'));
  });

  it('shows the checks of a few charts unfolded', () => {
    const markdown = summaryMarkdown({
      dryRun: true,
      registry: 'oci://r.example/ns',
      charts: [chart('a', 'dry-run', { checks: ['values.schema.json: default values validate'] })],
      deleted: [],
    });
    expect(markdown).toContain('### Checks');
    expect(markdown).not.toContain('<details>');
  });
});
