import * as core from '@actions/core';
import type { ChartOutcome, RunReport } from '../publish/report.js';

/**
 * The action's outputs (always valid JSON) and its job summary: one row per chart, what would
 * be pushed in a dry-run, a `helm pull` line for every published chart.
 */

function chartsOutput(report: RunReport): object[] {
  return report.charts.map((c) => ({
    name: c.name,
    version: c.version,
    path: c.path,
    reference: c.reference,
    tag: c.tag,
    ...(c.digest ? { digest: c.digest } : {}),
    ...(c.chartDigest ? { chartDigest: c.chartDigest } : {}),
    ...(c.provenanceDigest ? { provenanceDigest: c.provenanceDigest } : {}),
    ...(c.package ? { package: c.package } : {}),
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.deprecated ? { deprecated: true } : {}),
  }));
}

export function writeOutputs(report: RunReport): void {
  core.setOutput('charts', JSON.stringify(chartsOutput(report)));
  core.setOutput(
    'published',
    report.charts
      .filter((c) => c.status === 'published' && c.digest)
      .map((c) => `${c.reference}@${c.digest}`)
      .join('\n'),
  );
  core.setOutput('matrix', JSON.stringify({ include: report.charts.map((c) => ({ name: c.name, path: c.path, version: c.version })) }));
  core.setOutput('changed', report.charts.length > 0 ? 'true' : 'false');
}

const STATUS_ICON: Record<ChartOutcome['status'], string> = {
  published: '✅ published',
  unchanged: '⏸️ unchanged',
  'dry-run': '🧪 dry-run',
  skipped: '⏭️ skipped',
  failed: '❌ failed',
};

export function summaryMarkdown(report: RunReport): string {
  const lines: string[] = [];
  const count = (s: ChartOutcome['status']) => report.charts.filter((c) => c.status === s).length;
  lines.push(`## Helm charts → ${report.registry}`, '');
  if (report.dryRun) {
    lines.push(
      `**Dry run**: nothing was pushed. ${count('dry-run')} chart(s) validated and packaged; these references would be published.`,
      '',
    );
  } else {
    const parts = (['published', 'unchanged', 'skipped', 'failed'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s}`);
    lines.push(parts.length ? `${parts.join(', ')}.` : 'No chart was selected.', '');
  }
  if (report.selection) lines.push(`Selection: ${escape(report.selection)}`, '');
  const deprecated = report.charts.filter((c) => c.deprecated).length;
  if (deprecated > 0) lines.push(`${deprecated} of these version(s) are deprecated in the chart repository (\`deprecated: true\`).`, '');
  if (report.signing) lines.push(`Signed with the ${escape(report.signing)}; each chart's .prov is pushed as its provenance layer.`, '');
  if (report.charts.length > 0) {
    lines.push('| Chart | Version | Reference | Status | Digest | Size | Reason |', '|---|---|---|---|---|---|---|');
    for (const c of report.charts) {
      lines.push(
        `| ${escape(c.name)} | ${escape(c.version)} | \`${escape(c.reference)}\` | ${STATUS_ICON[c.status]} | ` +
          `${c.digest ? `\`${c.digest.slice(0, 19)}…\`` : ''} | ${c.size !== undefined ? formatSize(c.size) : ''} | ${escape(c.reason ?? '')} |`,
      );
    }
    lines.push('');
  }
  const pullable = report.charts.filter((c) => c.status === 'published' || c.status === 'unchanged');
  if (pullable.length > 0) {
    lines.push('```sh');
    for (const c of pullable) {
      const repository = c.reference.slice(0, c.reference.lastIndexOf(':'));
      lines.push(`helm pull oci://${repository} --version ${c.version}${c.provenanceDigest ? ' --prov' : ''}`);
    }
    lines.push('```', '');
  }
  if (report.deleted.length > 0) {
    lines.push(`Deleted by this change (not published): ${report.deleted.map((d) => `\`${escape(d)}\``).join(', ')}`, '');
  }
  return lines.join('\n');
}

/** When the run stops before any chart is looked at (e.g. an input error). */
export async function writeFailureSummary(message: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(`## Helm charts\n\n❌ ${escape(message)}\n`, true).write();
}

export async function writeSummary(report: RunReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(summaryMarkdown(report), true).write();
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
