import { describe, expect, it } from 'vitest';
import { summaryMarkdown } from '../../src/action/outputs.js';
import type { RunReport } from '../../src/publish/report.js';

describe('the summary of a migration', () => {
  it('counts deprecated versions apart', () => {
    const chart = (name: string, version: string, deprecated: boolean) => ({
      name,
      version,
      path: `https://charts.example.com/${name}-${version}.tgz`,
      reference: `ghcr.io/acme/charts/${name}:${version}`,
      tag: version,
      status: 'published' as const,
      ...(deprecated ? { deprecated: true } : {}),
    });
    const report: RunReport = {
      dryRun: false,
      registry: 'oci://ghcr.io/acme/charts',
      charts: [chart('web', '1.0.0', true), chart('web', '2.0.0', false), chart('api', '0.1.0', true)],
      deleted: [],
      selection: 'migration of 3 version(s) of 2 chart(s) from https://charts.example.com, 2 of them deprecated',
    };
    const markdown = summaryMarkdown(report);
    expect(markdown).toContain('2 of these version(s) are deprecated in the chart repository (`deprecated: true`).');
    expect(markdown).toContain('helm pull oci://ghcr.io/acme/charts/web --version 1.0.0');
  });
});
