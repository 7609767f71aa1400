import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../shared/errors.js';
import type { Discovery } from './discover-charts.js';
import { ROOT, comparePaths } from './repo-paths.js';

const INPUT = 'charts';

/**
 * The `charts` input: chart folders named explicitly, so discovery is skipped. Each must be a
 * folder with a Chart.yaml inside the workspace (symbolic links resolved, so that a link cannot
 * lead the packager out of the checkout).
 */
export async function explicitCharts(workspace: string, entries: readonly string[]): Promise<Discovery> {
  const root = await realpath(workspace);
  const dirs = new Set<string>();
  for (const entry of entries) {
    const raw = entry.trim();
    if (raw === '') continue;
    dirs.add(await chartDir(root, raw));
  }
  if (dirs.size === 0) throw new InputError(INPUT, 'names no chart folder');
  const sorted = [...dirs].sort(comparePaths);
  return {
    charts: sorted.map((dir) => ({ dir, reasons: [{ kind: 'explicit' }] })),
    deleted: [],
    roots: sorted,
    base: undefined,
    explanation: `the charts named in the "${INPUT}" input`,
  };
}

async function chartDir(root: string, raw: string): Promise<string> {
  const path = resolve(root, raw);
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new InputError(
      INPUT,
      `"${raw}" does not exist (looked for ${path}); give chart folders relative to the repository, e.g. charts/my-chart`,
    );
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(INPUT, `"${raw}" is outside the workspace ${root}`);
  }
  if (!(await stat(real)).isDirectory()) {
    throw new InputError(INPUT, `"${raw}" is a file; give the chart's folder (the one that holds Chart.yaml)`);
  }
  const chartYaml = await stat(join(real, 'Chart.yaml')).catch(() => undefined);
  if (!chartYaml?.isFile()) {
    throw new InputError(INPUT, `"${raw}" is not a chart folder: it has no Chart.yaml`);
  }
  return rel === '' ? ROOT : rel.split('\\').join('/');
}
