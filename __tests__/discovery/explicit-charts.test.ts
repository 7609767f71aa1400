import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explicitCharts } from '../../src/discovery/explicit-charts.js';
import { InputError } from '../../src/shared/errors.js';
import { chartYaml } from './fixtures.js';

describe('the charts input (discovery skipped)', () => {
  let ws: string;
  let outside: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'ocp-ws-'));
    outside = mkdtempSync(join(tmpdir(), 'ocp-out-'));
    for (const dir of ['charts/a', 'charts/b', '.']) {
      mkdirSync(join(ws, dir), { recursive: true });
      writeFileSync(join(ws, dir, 'Chart.yaml'), chartYaml('x', '1.0.0'));
    }
    mkdirSync(join(ws, 'docs'));
    writeFileSync(join(outside, 'Chart.yaml'), chartYaml('out', '1.0.0'));
    symlinkSync(outside, join(ws, 'linked'));
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('returns each chart once, sorted, with the reason', async () => {
    const discovery = await explicitCharts(ws, ['charts/b', './charts/a/', 'charts/b', '.', '']);
    expect(discovery.charts).toEqual([
      { dir: '.', reasons: [{ kind: 'explicit' }] },
      { dir: 'charts/a', reasons: [{ kind: 'explicit' }] },
      { dir: 'charts/b', reasons: [{ kind: 'explicit' }] },
    ]);
  });

  it.each([
    ['charts/missing', /"charts\/missing" does not exist/],
    ['docs', /"docs" is not a chart folder: it has no Chart.yaml/],
    ['charts/a/Chart.yaml', /"charts\/a\/Chart.yaml" is a file; give the chart's folder/],
    ['../', /"\.\.\/" is outside the workspace/],
    ['linked', /"linked" is outside the workspace/],
  ])('refuses %s, naming the input', async (entry, message) => {
    const error = await explicitCharts(ws, [entry]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('charts');
    expect((error as Error).message).toMatch(message);
  });
});
