import { join, resolve } from 'node:path';
import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutFile } from '../shared/checkout-file.js';
import { parseChartYaml } from '../chart/metadata.js';
import { repositoryUnder, type RegistryNamespace } from '../oci/reference.js';
import { ociLocation, type OciLocation } from './oci-source.js';

/** The charts a run publishes and where to. */
export interface RunCharts {
  target: RegistryNamespace;
  /** Workspace-relative chart directories. */
  charts: readonly string[];
}

/** A chart of the run, as its Chart.yaml names it. */
export interface RunChart {
  /** Absolute directory. */
  dir: string;
  name: string;
  version: string;
}

/**
 * The one place that knows the run's target: whether an oci:// dependency is a repository this
 * run publishes to, and which of the run's charts will be there. Charts published together may
 * depend on each other that way; the dependency is then taken from the workspace.
 */
export class RunTarget {
  private charts: RunChart[] | undefined;

  constructor(
    private readonly workspace: string,
    private readonly run: RunCharts | undefined,
  ) {}

  /** Whether `location` is the repository this run publishes chart `name` to. */
  holds(location: OciLocation, name: string): boolean {
    return this.run !== undefined && `${location.registry}/${location.repository}` === repositoryUnder(this.run.target, name);
  }

  /** Whether the dependency's repository text (`oci://…`) names the run's target for chart `name`. */
  names(repository: string, name: string): boolean {
    if (!this.run || !repository.startsWith('oci://')) return false;
    try {
      return this.holds(ociLocation(repository, name), name);
    } catch {
      return false;
    }
  }

  /** The charts of this run that the target will hold at `location` (any version). */
  provides(location: OciLocation, name: string): RunChart[] {
    const run = this.run;
    if (!run || !this.holds(location, name)) return [];
    this.charts ??= run.charts.flatMap((path) => {
      const dir = resolve(this.workspace, path);
      try {
        const bytes = readCheckoutFile(join(dir, 'Chart.yaml'), { workspace: this.workspace, maxBytes: MAX_FILE_SIZE });
        if (!bytes) return [];
        const { metadata } = parseChartYaml(bytes, `${path}/Chart.yaml`);
        return [{ dir, name: metadata.name, version: metadata.version }];
      } catch {
        // A chart that cannot be read fails on its own; it provides nothing here.
        return [];
      }
    });
    return this.charts.filter((c) => c.name === name);
  }
}
