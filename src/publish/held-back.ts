import type { LoadedChart } from '../chart/chart-loader.js';
import type { ChartOutcome } from './report.js';
import type { PreparedChart } from './run.js';

/**
 * Under `on-invalid: skip`, the charts that contain a chart of this run that failed are held
 * back with it: published, they would carry a chart that was never validated or published. A
 * chart contains another when it is built from its directory (`file://`), or pulled from the
 * target in the version this run publishes (the two links `publishOrder` follows), at any depth.
 * Returns each held-back chart with the failed chart it waits for.
 */
export function heldBack(ready: readonly PreparedChart[], failed: readonly ChartOutcome[]): Map<PreparedChart, string> {
  // Where a chart of this run is found as a subchart: its directory and its target reference.
  const blocked = new Map<string, string>();
  for (const outcome of failed) {
    const name = outcome.name ? `${outcome.name} (${outcome.path})` : outcome.path;
    blocked.set(outcome.path, name);
    if (outcome.reference) blocked.set(`oci://${outcome.reference}`, name);
  }
  const held = new Map<PreparedChart, string>();
  // Until nothing changes: a chart held back holds back the charts that contain it.
  for (let changed = true; changed;) {
    changed = false;
    for (const chart of ready) {
      if (held.has(chart)) continue;
      const cause = firstBlocked(chart.chart.dependencies, blocked);
      if (cause === undefined) continue;
      held.set(chart, cause);
      const name = `${chart.chart.metadata.name} (${chart.path})`;
      blocked.set(chart.path, name);
      const { registry, repository, tag } = chart.reference;
      blocked.set(`oci://${registry}/${repository}:${tag}`, name);
      changed = true;
    }
  }
  return held;
}

function firstBlocked(charts: readonly LoadedChart[], blocked: ReadonlyMap<string, string>): string | undefined {
  for (const sub of charts) {
    const found = blocked.get(sub.location) ?? firstBlocked(sub.dependencies, blocked);
    if (found !== undefined) return found;
  }
  return undefined;
}
