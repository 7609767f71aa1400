import { realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { InputError } from '../shared/errors.js';

/**
 * A package written inside a chart folder would be packaged into that chart the next time it
 * is walked (a run once published chart B carrying chart A's .tgz). An output-dir at or below
 * a selected chart is refused before anything is packaged.
 */
export async function checkOutputDirOutsideCharts(workspace: string, outputDir: string, chartPaths: readonly string[]): Promise<void> {
  const out = await real(resolve(workspace, outputDir));
  for (const path of chartPaths) {
    const chart = await real(resolve(workspace, path));
    const rel = relative(chart, out);
    const inside = rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
    if (inside) {
      throw new InputError(
        'output-dir',
        `${outputDir} is inside the chart ${path}: packages written there would be packaged into the chart. ` +
          'Give a folder outside every chart (the default is $RUNNER_TEMP/oci-chart-publish)',
      );
    }
  }
}

/** The real path when it exists (symbolic links resolved), else the path as given. */
async function real(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}
