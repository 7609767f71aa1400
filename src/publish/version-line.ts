import type { SourceLocation } from '../shared/logger.js';
import type { PreparedChart } from './run.js';

/**
 * Where registry problems are annotated: the chart's `version:` line (bump the version). Its own
 * module so that the push steps, which the lazily loaded migration shares, need nothing of the
 * run at runtime.
 */
export function versionLine(chart: PreparedChart): SourceLocation & { title: string } {
  return {
    file: chart.chart.source.file,
    line: chart.chart.source.keyLines.get('version'),
    title: `${chart.chart.metadata.name} ${chart.chart.metadata.version}`,
  };
}
