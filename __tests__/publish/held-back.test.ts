import { describe, expect, it } from 'vitest';
import type { LoadedChart } from '../../src/chart/chart-loader.js';
import { heldBack } from '../../src/publish/held-back.js';
import type { ChartOutcome } from '../../src/publish/report.js';
import type { PreparedChart } from '../../src/publish/run.js';

/** A loaded chart as far as holding back looks at it: name, version, location, subcharts. */
function loaded(name: string, version: string, location: string, dependencies: LoadedChart[] = []): LoadedChart {
  return {
    metadata: { name, version } as LoadedChart['metadata'],
    source: { file: `${location}/Chart.yaml`, keyLines: new Map(), valueKinds: new Map(), unknownKeys: [] },
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
      tag: chart.metadata.version,
      text: `reg.example/${repository}:${chart.metadata.version}`,
    },
    package: { path: '', fileName: '', sha256: '', size: 0, entries: 0 },
    epoch: 0,
  };
}

function failed(name: string, path: string, reference = ''): ChartOutcome {
  return { name, version: '1.0.0', path, reference, tag: '', status: 'failed' };
}

const names = (held: Map<PreparedChart, string>) => [...held].map(([chart, cause]) => [chart.chart.metadata.name, cause]);

describe('charts held back with a failed chart of the run', () => {
  it('holds back a chart built with a failed file:// chart, at any depth, and the charts containing it', () => {
    const lib = loaded('lib', '1.0.0', 'libs/lib');
    const mid = loaded('mid', '2.0.0', 'charts/mid', [lib]);
    const top = loaded('top', '3.0.0', 'charts/top', [loaded('mid', '2.0.0', 'charts/mid')]);
    const deep = loaded('deep', '1.0.0', 'charts/deep', [loaded('wrapper', '1.0.0', '<archive>', [lib])]);
    const free = loaded('free', '1.0.0', 'charts/free');
    const held = heldBack([top, mid, deep, free].map(prepared), [failed('lib', 'libs/lib')]);
    expect(names(held)).toEqual([
      ['mid', 'lib (libs/lib)'],
      ['deep', 'lib (libs/lib)'],
      ['top', 'mid (charts/mid)'],
    ]);
  });

  it('holds back a chart pulling the failed chart from the target in the version this run publishes', () => {
    const app = loaded('app', '1.0.0', 'charts/app', [loaded('db', '1.0.0', 'oci://reg.example/team/db:1.0.0')]);
    const older = loaded('old', '1.0.0', 'charts/old', [loaded('db', '0.9.0', 'oci://reg.example/team/db:0.9.0')]);
    const held = heldBack([app, older].map(prepared), [failed('db', 'charts/db', 'reg.example/team/db:1.0.0')]);
    expect(names(held)).toEqual([['app', 'db (charts/db)']]);
  });

  it('names a chart that failed before its name was known by its path', () => {
    const app = loaded('app', '1.0.0', 'charts/app', [loaded('x', '1.0.0', 'charts/broken')]);
    expect(names(heldBack([prepared(app)], [failed('', 'charts/broken')]))).toEqual([['app', 'charts/broken']]);
  });
});
