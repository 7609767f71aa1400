import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency } from '../chart/metadata.js';
import { parseVersion } from '../chart/go/version-constraints.js';
import { relativeTo, type Declaration } from './declaration.js';
import { dependencyFailure } from './dependency-failures.js';
import type { Resolution, SourceServices } from './dependency-source.js';
import { constraintOrUndefined, sameVersion } from './dependency-versions.js';

// Charts already in charts/ (a directory or a .tgz), as `helm package` finds them.

/** The subchart already in charts/ that satisfies the dependency, if any. */
export function presentInCharts(ctx: Declaration, dependency: Dependency, locked: string | undefined): LoadedChart | undefined {
  const candidates = ctx.chart.dependencies.filter((s) => s.metadata.name === dependency.name);
  // A dependency without repository is locked with its range as written (resolver.Resolve).
  const exact = dependency.repository === '' ? undefined : locked;
  const range = exact === undefined ? constraintOrUndefined(dependency) : undefined;
  return candidates.find((s) => {
    const version = parseVersion(s.metadata.version);
    if (exact !== undefined) return version ? sameVersion(version, exact) : s.metadata.version === exact;
    // Helm does not compare versions when it packages; without a usable range, any will do.
    return !range || (version !== undefined && range.check(version));
  });
}

/** `repository: ""`: the chart must be in charts/ already (present() found none that fits). */
export function fromChartsDir(services: SourceServices, ctx: Declaration, dependency: Dependency): Resolution {
  const found = ctx.chart.dependencies.find((s) => s.metadata.name === dependency.name);
  const where = `${relativeTo(services.workspace, ctx.dir)}/charts/`;
  throw dependencyFailure(
    ctx,
    dependency,
    found
      ? `${where}${dependency.name} is version ${found.metadata.version}, which the range "${dependency.version}" does not accept`
      : `it has no repository, so it must be in ${where} (as a directory or .tgz); add it there or give its repository`,
  );
}
