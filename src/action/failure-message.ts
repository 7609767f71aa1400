import { blockedReason, type RunReport } from '../publish/report.js';
import { safeLogText } from '../shared/log-sanitizer.js';
import { shortenRedacted } from '../shared/secret-redactor.js';

/**
 * The step's final error line: GitHub shows it as an annotation and in the checks list, where a
 * line of 34,000 characters (every reason of a hundred failing charts) helps nobody. It names
 * at most 10 charts, each reason shortened, then "… and N more"; the full reasons stay in the
 * job summary and the `charts` output.
 */

const MAX_CHARTS = 10;
const MAX_REASON = 120;
/** Kept under 2,000 characters whatever the names and reasons. */
const MAX_FAILURE_MESSAGE = 1_999;

export function failureMessage(report: RunReport, suppressedAnnotations = 0): string {
  const failed = report.charts.filter((c) => c.status === 'failed');
  const listed = failed.slice(0, MAX_CHARTS).map((c) => `${c.name || c.path}: ${shorten(c.reason ?? 'failed', MAX_REASON)}`);
  const more = failed.length - listed.length;
  const parts = [
    `${failed.length} of ${report.charts.length} chart(s) failed: ${listed.join('; ')}${more > 0 ? `; … and ${more} more` : ''}.`,
  ];
  const blocked = blockedReason(report);
  if (blocked) parts.push(`${capitalize(blocked)}.`);
  if (more > 0 || suppressedAnnotations > 0) {
    parts.push(
      `${suppressedAnnotations > 0 ? `${suppressedAnnotations} more error(s) were not annotated. ` : ''}` +
        'Every chart and its full reason is in the job summary and the "charts" output.',
    );
  }
  // Names and reasons are the chart author's or a server's text: sanitized like every log line.
  return shorten(safeLogText(parts.join(' ')), MAX_FAILURE_MESSAGE);
}

function shorten(text: string, max: number): string {
  return shortenRedacted(text.replaceAll('\n', ' '), max);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
