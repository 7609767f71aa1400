import { relative, sep } from 'node:path';
import { MAX_FILE_SIZE } from '../chart/archive-reader.js';
import { readCheckoutText } from '../shared/checkout-file.js';
import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency } from '../chart/metadata.js';

/** A chart whose dependencies are being built: where they are declared and locked, and the text of both. */
export interface Declaration {
  chart: LoadedChart;
  /** Absolute chart directory. */
  dir: string;
  /** Real paths of the charts being built, outermost first (for cycles). */
  stack: string[];
  /** Where dependencies are declared (Chart.yaml, or requirements.yaml for v1). */
  declaredIn: string;
  lockFile: string;
  text: { declared: string | undefined; lock: string | undefined };
}

export function readDeclaration(workspace: string, chart: LoadedChart, dir: string, stack: string[]): Declaration {
  const chartYaml = chart.source.file;
  const base = chartYaml.includes('/') ? chartYaml.slice(0, chartYaml.lastIndexOf('/') + 1) : '';
  const v1 = chart.metadata.apiVersion === 'v1';
  // The loader keeps requirements.yaml among a v1 chart's files: no need to look on disk.
  const declaredIn = v1 && chart.files.some((f) => f.name === 'requirements.yaml') ? `${base}requirements.yaml` : chartYaml;
  const lockFile = `${base}${v1 ? 'requirements.lock' : 'Chart.lock'}`;
  // Only for the lines in messages: the loader has read (and checked) these files already.
  const read = (file: string) => {
    try {
      return readCheckoutText(file, { workspace, maxBytes: MAX_FILE_SIZE });
    } catch {
      return undefined;
    }
  };
  return { chart, dir, stack, declaredIn, lockFile, text: { declared: read(declaredIn), lock: read(lockFile) } };
}

/**
 * The line declaring a dependency: its own entry when the same chart is declared more than once
 * (under several aliases); the `dependencies:` line when there is none or no such entry.
 */
export function dependencyLine(ctx: Declaration, dependency: Dependency | string | undefined): number | undefined {
  const fallback =
    ctx.declaredIn === ctx.chart.source.file ? ctx.chart.source.keyLines.get('dependencies') : lineOf(ctx.text.declared, /^dependencies:/);
  if (dependency === undefined) return fallback;
  const name = typeof dependency === 'string' ? dependency : dependency.name;
  const nth = typeof dependency === 'string' ? 0 : occurrence(ctx.chart.metadata.dependencies ?? [], dependency);
  return dependencyEntryLine(ctx.text.declared, name, nth) ?? dependencyEntryLine(ctx.text.declared, name, 0) ?? fallback;
}

/** The line locking a dependency (the n-th entry of its name), else the lock's `dependencies:` line. */
export function lockLine(ctx: Declaration, name: string, nth = 0): number | undefined {
  return (
    dependencyEntryLine(ctx.text.lock, name, nth) ?? dependencyEntryLine(ctx.text.lock, name, 0) ?? lineOf(ctx.text.lock, /^dependencies:/)
  );
}

/** How many entries of the same name come before this one in the list (0 when it is not in it). */
export function occurrence(list: readonly (Dependency | null)[], dependency: Dependency): number {
  const same = list.filter((d) => d?.name === dependency.name);
  return Math.max(0, same.indexOf(dependency));
}

/** `@name` and `alias:name`: a repository Helm knows from `helm repo add`, not a URL. */
export function isRepositoryAlias(repository: string): boolean {
  return repository.startsWith('@') || repository.startsWith('alias:');
}

/** The line of the n-th `name: <name>` inside the top-level `dependencies:` list of a YAML file. */
function dependencyEntryLine(text: string | undefined, name: string, nth: number): number | undefined {
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^dependencies:/.test(l));
  if (start < 0) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const entry = new RegExp(`^\\s+(?:-\\s+)?name:\\s*(["']?)${escaped}\\1\\s*(?:#.*)?$|^-\\s+name:\\s*(["']?)${escaped}\\2\\s*(?:#.*)?$`);
  let seen = 0;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\S/.test(line) && !line.startsWith('-') && !line.startsWith('#')) break;
    if (entry.test(line) && seen++ === nth) return i + 1;
  }
  return undefined;
}

export function lineOf(text: string | undefined, pattern: RegExp): number | undefined {
  if (text === undefined) return undefined;
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}

/** The file name of a workspace path (`charts/app/Chart.lock` → `Chart.lock`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A workspace-relative, `/`-separated path (`.` for the workspace itself). */
export function relativeTo(workspace: string, path: string): string {
  return relative(workspace, path).split(sep).join('/') || '.';
}
