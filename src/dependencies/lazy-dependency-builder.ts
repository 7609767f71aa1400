import type { DependencyBuilder, DependencyBuilderOptions } from './dependency-builder.js';

/**
 * The dependency builder, loaded for the first chart that has dependencies to build or a lock to
 * check its vendored subcharts against: a run of charts without either never compiles the
 * resolvers, the chart-repository client or the archive cache.
 */
export function lazyDependencyBuilder(options: DependencyBuilderOptions): DependencyBuilder {
  let builder: Promise<DependencyBuilder> | undefined;
  const load = (): Promise<DependencyBuilder> =>
    (builder ??= import('./dependency-builder.js').then((m) => m.createDependencyBuilder(options)));
  return {
    build: async (chart, path) => (await load()).build(chart, path),
    // Without a lock there is nothing to hold the vendored subcharts against.
    checkVendored: async (chart, path) => {
      if (chart.lock) await (await load()).checkVendored(chart, path);
    },
  };
}
