import { blockedReason, type ChartOutcome, type RunReport } from '../publish/report.js';
import { safeMarkdown, safeMarkdownCode } from '../shared/log-sanitizer.js';
import { shortenRedacted } from '../shared/secret-redactor.js';
import * as core from './workflow-commands.js';

/**
 * The action's outputs (always valid JSON) and its job summary: one row per chart, what would
 * be pushed in a dry-run, a `helm pull` line for every published chart.
 *
 * Both stay within GitHub's limits whatever the run: an output holds at most 1 MB and a step's
 * summary at most 1 MiB (above it GitHub drops the whole summary). A chart's text is cut (a
 * failed chart can carry a 1 MB `version`, a server a 1 MB message), and a list of thousands of
 * charts ends where the limit would be passed, with a warning saying how many are left out.
 */

/** Bytes of one output, and of the summary: under GitHub's 1 MB and 1 MiB. */
export const MAX_OUTPUT_BYTES = 1_000_000;
export const MAX_SUMMARY_BYTES = 1_000_000;
/** Characters of a chart's text in the outputs (a valid chart's fields are far shorter). */
const MAX_FIELD = 1_000;
const MAX_REASON = 2_000;
/** Characters of a summary cell. */
const MAX_CELL = 200;
const MAX_REASON_CELL = 500;
/** Charts whose check notes are shown unfolded. */
const MAX_UNFOLDED_CHECKS = 10;

function chartsOutput(report: RunReport) {
  const field = (text: string) => shortenRedacted(text, MAX_FIELD);
  return report.charts.map((c) => ({
    name: field(c.name),
    version: field(c.version),
    path: field(c.path),
    reference: field(c.reference),
    tag: field(c.tag),
    ...(c.digest ? { digest: c.digest } : {}),
    ...(c.chartDigest ? { chartDigest: c.chartDigest } : {}),
    ...(c.provenanceDigest ? { provenanceDigest: c.provenanceDigest } : {}),
    ...(c.package ? { package: c.package } : {}),
    status: c.status,
    ...(c.reason ? { reason: shortenRedacted(c.reason, MAX_REASON) } : {}),
    ...(c.signature ? { signature: c.signature } : {}),
    ...(c.attestation ? { attestation: c.attestation } : {}),
    ...(c.deprecated ? { deprecated: true } : {}),
  }));
}

export function writeOutputs(report: RunReport): void {
  const charts = chartsOutput(report);
  setListOutput('charts', charts, (items) => JSON.stringify(items));
  const published = report.charts.filter((c) => c.status === 'published' && c.digest).map((c) => `${c.reference}@${c.digest}`);
  setListOutput('published', published, (items) => items.join('\n'));
  const include = charts.map(({ name, path, version }) => ({ name, path, version }));
  setListOutput('matrix', include, (items) => JSON.stringify({ include: items }));
  core.setOutput('changed', report.charts.length > 0 ? 'true' : 'false');
}

/** An output listing items: as many as fit in MAX_OUTPUT_BYTES, and a warning when some do not. */
function setListOutput<T>(name: string, items: T[], render: (items: T[]) => string): void {
  const { text, kept } = fitting(items, render, MAX_OUTPUT_BYTES);
  core.setOutput(name, text);
  if (kept < items.length) {
    core.warning(
      `The "${name}" output lists ${kept} of ${items.length} charts: GitHub limits an output to 1 MB. The log names every chart.`,
    );
  }
}

/**
 * The rendering of as many of the first items as fit within `limit` bytes: all of them, rendered
 * once, in nearly every run; else found by bisection (rendering is linear).
 */
function fitting<T>(items: T[], render: (items: T[]) => string, limit: number): { text: string; kept: number } {
  const whole = render(items);
  if (Buffer.byteLength(whole) <= limit) return { text: whole, kept: items.length };
  let low = 0;
  let high = items.length;
  let text = render([]);
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const candidate = render(items.slice(0, middle));
    if (Buffer.byteLength(candidate) <= limit) {
      low = middle;
      text = candidate;
    } else high = middle;
  }
  return { text, kept: low };
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
    // Failed charts first: in a run over hundreds, they are what the reader looks for.
    const failedFirst = [...report.charts.filter((c) => c.status === 'failed'), ...report.charts.filter((c) => c.status !== 'failed')];
    for (const c of failedFirst) {
      lines.push(
        `| ${cell(c.name || c.path)} | ${cell(c.version)} | ${c.reference ? `\`${safeMarkdownCode(c.reference)}\`` : ''} | ${STATUS_ICON[c.status]} | ` +
          `${c.digest ? `\`${c.digest.slice(0, 19)}…\`` : ''} | ${c.size !== undefined ? formatSize(c.size) : ''} | ${cell(c.reason ?? '', MAX_REASON_CELL)} |`,
      );
    }
    lines.push('');
  }
  const checked = report.charts.filter((c) => c.checks && c.checks.length > 0);
  if (checked.length > 0) {
    // Over many charts the notes (mostly "default values validate") are folded away.
    const folded = checked.length > MAX_UNFOLDED_CHECKS;
    lines.push(folded ? `<details><summary>Checks of ${checked.length} charts</summary>` : '### Checks', '');
    for (const c of checked) {
      lines.push(`**${cell(c.name || c.path)}**`, '', ...(c.checks ?? []).map((note) => `- ${cell(note, MAX_REASON_CELL)}`), '');
    }
    if (folded) lines.push('</details>', '');
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
  await core.appendSummary(withinSummaryLimit(summaryMarkdown(report, options)));
}

/**
 * The summary cut at a line end before MAX_SUMMARY_BYTES (an open code block closed), with a
 * last line saying so: GitHub drops a step's whole summary above 1 MiB.
 */
export function withinSummaryLimit(markdown: string): string {
  if (Buffer.byteLength(markdown) <= MAX_SUMMARY_BYTES) return markdown;
  const note = '\n_The summary is cut here: GitHub shows at most 1 MiB of it. The log and the `charts` output name every chart._\n';
  const room = MAX_SUMMARY_BYTES - Buffer.byteLength(note) - '\n```\n'.length;
  // A UTF-16 unit takes up to 3 bytes: drop units until the text fits, then go back to the last
  // line end (a line longer than the limit is cut where it stands).
  let kept = markdown.slice(0, room);
  for (let over = Buffer.byteLength(kept) - room; over > 0; over = Buffer.byteLength(kept) - room) {
    kept = kept.slice(0, kept.length - Math.ceil(over / 3));
  }
  if (/[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  const lineEnd = kept.lastIndexOf('\n');
  kept = lineEnd >= 0 ? kept.slice(0, lineEnd + 1) : `${kept}\n`;
  const fences = kept.split('\n').filter((line) => line.startsWith('```')).length;
  return `${kept}${fences % 2 === 1 ? '```\n' : ''}${note}`;
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

/** A chart's or a server's text in a summary cell: cut (after its secrets are removed), escaped. */
function cell(text: string, max = MAX_CELL): string {
  return escape(shortenRedacted(text, max));
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
