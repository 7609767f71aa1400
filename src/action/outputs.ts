import { blockedReason, type ChartOutcome, type RunReport } from '../publish/report.js';
import { safeMarkdown, safeMarkdownCode } from '../shared/log-sanitizer.js';
import { redactSecrets } from '../shared/secret-redactor.js';
import * as core from './workflow-commands.js';

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
    ...(c.reason ? { reason: redactSecrets(c.reason) } : {}),
    ...(c.signature ? { signature: c.signature } : {}),
    ...(c.attestation ? { attestation: c.attestation } : {}),
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

export interface SummaryOptions {
  /** The registry is reached over plain http: `helm pull` needs `--plain-http` too. */
  plainHttp?: boolean;
}

export function summaryMarkdown(report: RunReport, options: SummaryOptions = {}): string {
  const lines: string[] = [];
  lines.push(`## Helm charts → ${report.registry}`, '');
  lines.push(countsLine(report), '');
  if (report.selection) lines.push(`Selection: ${escape(report.selection)}`, '');
  const deprecated = report.charts.filter((c) => c.deprecated).length;
  if (deprecated > 0) lines.push(`${deprecated} of these version(s) are deprecated in the chart repository (\`deprecated: true\`).`, '');
  if (report.signing) lines.push(`Signed with the ${escape(report.signing)}; each chart's .prov is pushed as its provenance layer.`, '');
  if (report.charts.length > 0) {
    lines.push('| Chart | Version | Reference | Status | Digest | Size | Reason |', '|---|---|---|---|---|---|---|');
    for (const c of report.charts) {
      lines.push(
        `| ${escape(c.name || c.path)} | ${escape(c.version)} | ${c.reference ? `\`${safeMarkdownCode(c.reference)}\`` : ''} | ${STATUS_ICON[c.status]} | ` +
          `${c.digest ? `\`${c.digest.slice(0, 19)}…\`` : ''} | ${c.size !== undefined ? formatSize(c.size) : ''} | ${escape(c.reason ?? '')} |`,
      );
    }
    lines.push('');
  }
  const checked = report.charts.filter((c) => c.checks && c.checks.length > 0);
  if (checked.length > 0) {
    lines.push('### Checks', '');
    for (const c of checked) {
      lines.push(`**${escape(c.name || c.path)}**`, '', ...(c.checks ?? []).map((note) => `- ${escape(note)}`), '');
    }
  }
  const pullable = report.charts.filter((c) => c.status === 'published' || c.status === 'unchanged');
  if (pullable.length > 0) {
    lines.push('```sh');
    for (const c of pullable) {
      const repository = c.reference.slice(0, c.reference.lastIndexOf(':'));
      lines.push(
        `helm pull oci://${repository} --version ${c.version}${c.provenanceDigest ? ' --prov' : ''}${options.plainHttp ? ' --plain-http' : ''}`,
      );
    }
    lines.push('```', '');
  }
  if (report.verification) lines.push(report.verification);
  if (report.deleted.length > 0) {
    lines.push(`Deleted by this change (not published): ${report.deleted.map((d) => `\`${safeMarkdownCode(d)}\``).join(', ')}`, '');
  }
  return lines.join('\n');
}

/** When the run stops before any chart is looked at (e.g. an input error). */
export async function writeFailureSummary(message: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.appendSummary(`## Helm charts\n\n❌ ${escape(message)}\n`);
}

export async function writeSummary(report: RunReport, options: SummaryOptions = {}): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.appendSummary(summaryMarkdown(report, options));
}

/**
 * The first line: how many charts were published, unchanged, would be published, failed; and,
 * when charts that passed were held back, that nothing was (or would be) pushed and why.
 */
function countsLine(report: RunReport): string {
  if (report.charts.length === 0) return 'No chart was selected.';
  const counts = new Map<string, number>();
  const add = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const c of report.charts) add(countLabel(c, report));
  const always = report.dryRun ? ['failed'] : ['published', 'failed'];
  const order = report.dryRun
    ? ['would be published', 'would be published (registry not checked)', 'would be unchanged', 'would be skipped', 'failed']
    : ['published', 'unchanged', 'skipped', 'not pushed', 'failed'];
  const parts = order.filter((label) => always.includes(label) || counts.has(label)).map((label) => `${counts.get(label) ?? 0} ${label}`);
  const why = blockedReason(report);
  const blocked = why ? ` **${why.charAt(0).toUpperCase()}${why.slice(1)}.**` : '';
  return `${report.dryRun ? '**Dry run**: nothing was pushed. ' : ''}${parts.join(', ')}.${blocked}`;
}

function countLabel(c: ChartOutcome, report: RunReport): string {
  if (c.status === 'failed') return 'failed';
  if (report.dryRun) {
    if (c.status === 'skipped' || c.wouldBe === 'skipped') return 'would be skipped';
    if (c.wouldBe === 'unchanged') return 'would be unchanged';
    return c.wouldBe === 'published' ? 'would be published' : 'would be published (registry not checked)';
  }
  if (c.status === 'skipped' && report.blocked) return 'not pushed';
  return c.status === 'dry-run' ? 'skipped' : c.status;
}

/** Chart names, reasons and paths come from the chart's author or a server: see log-sanitizer.ts. */
function escape(text: string): string {
  return safeMarkdown(text);
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
