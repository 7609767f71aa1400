import type { LoadedChart } from '../chart/chart-loader.js';
import type { PreparedChart } from './run.js';
import { ChartError } from '../shared/errors.js';

/**
 * The order in which the charts of one run are pushed: waves, each pushed after the previous
 * one, so that a chart is published after the charts of this run it contains: those built from
 * their directory (`file://`, or an oci:// dependency on the target that this run provides) and
 * those downloaded from the target registry in exactly the version this run publishes. Charts
 * in one wave do not depend on one another; input order is kept within a wave. A cycle is an
 * error naming it.
 */
export function publishOrder(prepared: readonly PreparedChart[]): PreparedChart[][] {
  const needs = new Map<PreparedChart, Set<PreparedChart>>();
  for (const chart of prepared) {
    const found = new Set<PreparedChart>();
    visit(chart.chart.dependencies, (sub) => {
      const provider = prepared.find((other) => other !== chart && provides(other, sub));
      if (provider) found.add(provider);
    });
    needs.set(chart, found);
  }

  const waves: PreparedChart[][] = [];
  let remaining = [...prepared];
  while (remaining.length > 0) {
    const pending = new Set(remaining);
    const wave = remaining.filter((chart) => ![...(needs.get(chart) ?? [])].some((dep) => pending.has(dep)));
    if (wave.length === 0) throw cycleError(remaining, needs);
    waves.push(wave);
    remaining = remaining.filter((chart) => !wave.includes(chart));
  }
  return waves;
}

/** True when `sub` is `chart` as this run publishes it. */
function provides(chart: PreparedChart, sub: LoadedChart): boolean {
  if (sub.location === chart.path) return true;
  // Downloaded subcharts are located by the reference they came from.
  const { registry, repository, tag } = chart.reference;
  return sub.location === `oci://${registry}/${repository}:${tag}`;
}

function visit(charts: readonly LoadedChart[], fn: (chart: LoadedChart) => void): void {
  for (const chart of charts) {
    fn(chart);
    visit(chart.dependencies, fn);
  }
}

function cycleError(remaining: PreparedChart[], needs: Map<PreparedChart, Set<PreparedChart>>): ChartError {
  // Every remaining chart waits for another remaining one: walk until a chart repeats.
  const pending = new Set(remaining);
  const path: PreparedChart[] = [];
  let current = remaining[0] as PreparedChart;
  while (!path.includes(current)) {
    path.push(current);
    current = [...(needs.get(current) ?? [])].find((dep) => pending.has(dep)) as PreparedChart;
  }
  const cycle = [...path.slice(path.indexOf(current)), current];
  const first = cycle[0] as PreparedChart;
  return new ChartError(
    `dependency cycle among the charts of this run: ${cycle.map((c) => `${c.chart.metadata.name} (${c.path})`).join(' → ')}; ` +
      'charts that contain each other cannot be published: remove one of the dependencies',
    { file: first.chart.source.file, line: first.chart.source.keyLines.get('dependencies') },
  );
}
