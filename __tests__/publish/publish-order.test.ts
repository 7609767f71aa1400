import { describe, expect, it } from 'vitest';
import type { LoadedChart } from '../../src/chart/chart-loader.js';
import { publishOrder } from '../../src/publish/publish-order.js';
import type { PreparedChart } from '../../src/publish/run.js';
import { ChartError } from '../../src/shared/errors.js';

/** A loaded chart as far as ordering looks at it: name, version, location, subcharts. */
function loaded(name: string, version: string, location: string, dependencies: LoadedChart[] = []): LoadedChart {
  return {
    metadata: { name, version } as LoadedChart['metadata'],
    source: { file: `${location}/Chart.yaml`, keyLines: new Map([['dependencies', 7]]), valueKinds: new Map(), unknownKeys: [] },
    lock: null,
    values: null,
    schema: null,
    templates: [],
    files: [],
    dependencies,
    location,
  };
}

function prepared(chart: LoadedChart): PreparedChart {
  const repository = `team/${chart.metadata.name}`;
  return {
    path: chart.location,
    chart,
    reference: {
      registry: 'reg.example',
      repository,
      tag: chart.metadata.version.replaceAll('+', '_'),
      text: `reg.example/${repository}:${chart.metadata.version}`,
    },
    package: { path: '', fileName: '', sha256: '', size: 0, entries: 0 },
    epoch: 0,
  };
}

const names = (waves: PreparedChart[][]) => waves.map((w) => w.map((p) => p.chart.metadata.name));

describe('publish order of the charts of one run', () => {
  it('puts independent charts in one wave, in input order', () => {
    const charts = ['x', 'y', 'z'].map((n) => prepared(loaded(n, '1.0.0', `charts/${n}`)));
    expect(names(publishOrder(charts))).toEqual([['x', 'y', 'z']]);
  });

  it('publishes what a chart contains from this run first, following nested subcharts', () => {
    const c = loaded('c', '1.0.0', 'libs/c');
    const b = loaded('b', '2.0.0', 'charts/b', [c]);
    const a = loaded('a', '1.0.0', 'charts/a', [loaded('b', '2.0.0', 'charts/b', [c])]);
    const d = loaded('d', '1.0.0', 'charts/d', [loaded('b', '2.0.0', 'oci://reg.example/team/b:2.0.0')]);
    const waves = publishOrder([a, b, c, d].map(prepared));
    expect(names(waves)).toEqual([['c'], ['b'], ['a', 'd']]);
  });

  it('does not wait for a chart whose other version is downloaded from the registry', () => {
    const b = loaded('b', '2.0.0+build.1', 'charts/b');
    const old = loaded('a', '1.0.0', 'charts/a', [loaded('b', '1.0.0', 'oci://reg.example/team/b:1.0.0')]);
    expect(names(publishOrder([old, b].map(prepared)))).toEqual([['a', 'b']]);
    const current = loaded('a', '1.0.0', 'charts/a', [loaded('b', '2.0.0+build.1', 'oci://reg.example/team/b:2.0.0_build.1')]);
    expect(names(publishOrder([current, b].map(prepared)))).toEqual([['b'], ['a']]);
  });

  it('refuses a cycle, naming it and pointing at the dependencies of its first chart', () => {
    const a = loaded('a', '1.0.0', 'charts/a', [loaded('b', '1.0.0', 'oci://reg.example/team/b:1.0.0')]);
    const b = loaded('b', '1.0.0', 'charts/b', [loaded('c', '1.0.0', 'charts/c')]);
    const c = loaded('c', '1.0.0', 'charts/c', [loaded('a', '1.0.0', 'oci://reg.example/team/a:1.0.0')]);
    const free = loaded('free', '1.0.0', 'charts/free');
    const error = (() => {
      try {
        publishOrder([free, a, b, c].map(prepared));
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChartError);
    expect(error).toMatchObject({
      file: 'charts/a/Chart.yaml',
      line: 7,
      message:
        'dependency cycle among the charts of this run: a (charts/a) → b (charts/b) → c (charts/c) → a (charts/a); ' +
        'charts that contain each other cannot be published: remove one of the dependencies',
    });
  });
});
