import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { readCheckoutFile } from '../shared/checkout-file.js';
import { ChartError, DomainError } from '../shared/errors.js';
import { fileSystemError, FileSystemError } from '../shared/file-system-error.js';
import type { Logger } from '../shared/logger.js';
import { ArchiveError, MAX_CHART_SIZE, MAX_FILE_SIZE, readChartArchive, stripBom, type ArchiveFile } from './archive-reader.js';
import { HELMIGNORE, IgnoreRuleError, IgnoreRules } from './ignore-rules.js';
import { jsonSyntaxErrorPosition } from '../shared/json-syntax.js';
import { compareRawNames, decodeRawName, fsPath } from './go/raw-name.js';
import { decodeYamlDocuments, YamlSyntaxError } from './go/yaml-decode.js';
import {
  mergeRequirements,
  parseChartYaml,
  parseLock,
  validateMetadata,
  type Lock,
  type Metadata,
  type MetadataSource,
} from './metadata.js';

/**
 * Loads a chart the way Helm's loader does (../shared/spec/helm-oci.md §1.2–1.6): the walk
 * order, .helmignore, the classification of files, subcharts from charts/ (directories and
 * .tgz archives), requirements.yaml for apiVersion v1, and the load-time validation. Where Helm
 * is unsafe or random this loader is deliberately stricter: symlinks may not leave the
 * workspace, symlink loops are reported, and subcharts come out in name order.
 */

export interface ChartFile {
  /** Path inside the chart, `/`-separated. */
  name: string;
  /** Content in memory (archives, parsed files). */
  data?: Buffer;
  /** Absolute path of a file read when the archive is written (content then BOM-stripped). */
  diskPath?: string;
  /** Size on disk of a diskPath file, when the walk saw it. */
  size?: number;
}

export interface LoadedChart {
  metadata: Metadata;
  source: MetadataSource;
  lock: Lock | null;
  values: ChartFile | null;
  schema: ChartFile | null;
  templates: ChartFile[];
  files: ChartFile[];
  /** Subcharts from charts/, in name order. */
  dependencies: LoadedChart[];
  /** Workspace-relative location, for messages: a directory, or `<archive>` for a .tgz subchart. */
  location: string;
}

export interface LoadOptions {
  /** Absolute path of the workspace; no file may come from outside it. */
  workspace: string;
  logger: Logger;
}

/** Loads the chart in chartDir (absolute, or relative to the workspace). */
export async function loadChart(chartDir: string, options: LoadOptions): Promise<LoadedChart> {
  const workspace = resolve(options.workspace);
  const root = resolve(workspace, chartDir);
  const location = toPosix(relative(workspace, root)) || '.';
  const label = (name: string) => (location === '.' ? name : `${location}/${name}`);

  await checkChartDir(root, location);
  let rules = IgnoreRules.empty();
  // Read before the walk that checks every other file, so read as any file of the checkout is:
  // a link out of the workspace (to /proc/self/environ, say) is never read, let alone quoted.
  const ignoreText = readCheckoutFile(join(root, HELMIGNORE), { workspace, maxBytes: MAX_FILE_SIZE });
  if (ignoreText) {
    try {
      rules = IgnoreRules.parse(ignoreText);
    } catch (error) {
      if (error instanceof IgnoreRuleError) {
        throw new ChartError(error.message, { file: label(HELMIGNORE), line: error.line });
      }
      throw error;
    }
  }
  rules = rules.withDefaults();

  const walker = new Walker(root, await realpath(workspace), rules, label, options.logger);
  const files = await walker.walk().catch((error: unknown) => {
    // Rules too costly for the chart's files are found while walking them.
    if (error instanceof IgnoreRuleError) throw new ChartError(error.message, { file: label(HELMIGNORE) }, { cause: error });
    throw error;
  });
  const ignoredBy = rules.explain('Chart.yaml', false);
  if (ignoredBy && !files.some((f) => f.name === 'Chart.yaml') && (await exists(join(root, 'Chart.yaml')))) {
    throw new ChartError(`Chart.yaml file is missing: .helmignore rule ${ignoredBy} excludes it`, { file: label(HELMIGNORE) });
  }
  // Helm loads no chart archive over 100 MiB decompressed: a larger chart would be published,
  // but could never be installed or used as a dependency.
  const total = files.reduce((sum, f) => sum + (f.size ?? 0), 0);
  if (total > MAX_CHART_SIZE) {
    throw new ChartError(
      `the chart's files add up to ${total} bytes, more than the ${MAX_CHART_SIZE} (100 MiB) Helm loads from a chart archive: ` +
        'its package could not be installed; add large files to .helmignore',
      { file: location },
    );
  }
  return loadFiles(files, { location, label, logger: options.logger, budget: { left: MAX_CHART_SIZE - total } });
}

/**
 * Loads a chart from .tgz bytes (a downloaded dependency) with the archive rules of §1.14, as
 * a .tgz in charts/ is loaded. `label` (e.g. the URL it came from) is its location in messages.
 * Throws ArchiveError for a malformed archive, ChartError for a malformed chart in it.
 */
export async function loadChartArchive(bytes: Uint8Array, label: string, logger: Logger): Promise<LoadedChart> {
  return loadArchiveFiles(await readChartArchive(bytes), label, logger);
}

/** The same, for the files of an archive already read (readChartArchive). */
export async function loadArchiveFiles(files: ArchiveFile[], label: string, logger: Logger): Promise<LoadedChart> {
  const left = MAX_CHART_SIZE - dataBytes(files);
  return loadFiles(files, { location: label, label: (name) => `${label}:${name}`, logger, budget: { left } });
}

/** A chart location that is missing, a file, or unreadable is the user's to fix, not a crash. */
async function checkChartDir(root: string, location: string): Promise<void> {
  let info;
  try {
    info = await stat(root);
  } catch (error) {
    const problem = fileSystemError(error, 'read the chart folder', location);
    if (problem instanceof FileSystemError) throw new ChartError(problem.message, { file: location }, { cause: error });
    throw problem;
  }
  if (!info.isDirectory()) {
    throw new ChartError(`${location} is not a folder: a chart is a folder holding Chart.yaml`, { file: location });
  }
}

/**
 * Reads a file's content as Helm stores it: BOM stripped, at most 5 MiB. Only regular files
 * are read (a FIFO would block the read forever); a file-system error names the file.
 */
export async function readChartFile(file: ChartFile): Promise<Buffer> {
  if (file.data) return file.data;
  if (!file.diskPath) throw new Error(`chart file ${file.name} has no content`);
  const data = await readRegularFile(file.diskPath, file.diskPath);
  if (data.length > MAX_FILE_SIZE) {
    throw new DomainError(`chart file "${basename(file.diskPath)}" is larger than the maximum file size ${MAX_FILE_SIZE}`);
  }
  return stripBom(data);
}

/** Reads a regular file only: a FIFO or device would block or never end. */
async function readRegularFile(path: string, shownAs: string): Promise<Buffer> {
  try {
    const info = await stat(fsPath(path));
    if (!info.isFile()) {
      throw new DomainError(`${shownAs} is not a regular file (a folder, FIFO, socket or device): remove it or add it to .helmignore`);
    }
    return await readFile(fsPath(path));
  } catch (error) {
    throw fileSystemError(error, 'read', shownAs);
  }
}

interface LoadContext {
  location: string;
  /** Workspace-relative path of a file of this chart, for messages. */
  label: (name: string) => string;
  logger: Logger;
  /**
   * What is left of the 100 MiB for the whole chart, subcharts included, as its package will
   * hold them expanded: shared by every level of nesting.
   */
  budget: { left: number };
}

async function loadFiles(files: ChartFile[], ctx: LoadContext): Promise<LoadedChart> {
  const chartYaml = files.find((f) => f.name === 'Chart.yaml');
  if (!chartYaml) throw new ChartError('Chart.yaml file is missing', { file: ctx.label('Chart.yaml') });
  const { metadata, source } = parseChartYaml(await text(chartYaml), ctx.label('Chart.yaml'));
  const chart: LoadedChart = {
    metadata,
    source,
    lock: null,
    values: null,
    schema: null,
    templates: [],
    files: [],
    dependencies: [],
    location: ctx.location,
  };
  const subcharts = new Map<string, ChartFile[]>();

  for (const file of files) {
    const name = file.name;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      chart.lock = parseLock(await text(file), ctx.label(name));
    } else if (name === 'values.yaml') {
      const data = await readChartFile(file);
      checkValuesYaml(data, ctx.label(name));
      chart.values = { name, data };
    } else if (name === 'values.schema.json') {
      const data = await readChartFile(file);
      checkJson(data, ctx.label(name));
      chart.schema = { name, data };
    } else if (name === 'requirements.yaml') {
      if (metadata.apiVersion !== 'v1') {
        ctx.logger.warning(
          'Dependencies are handled in Chart.yaml since apiVersion "v2"; requirements.yaml is read but not packaged. Move its dependencies into Chart.yaml.',
          { file: ctx.label(name) },
        );
      }
      mergeRequirements(metadata, await text(file), ctx.label(name));
      if (metadata.apiVersion === 'v1') chart.files.push(file);
    } else if (name === 'requirements.lock') {
      if (metadata.apiVersion !== 'v1') {
        ctx.logger.warning(
          'Dependency locking is handled in Chart.lock since apiVersion "v2"; requirements.lock is read but not packaged.',
          { file: ctx.label(name) },
        );
      }
      chart.lock = parseLock(await text(file), ctx.label(name));
      if (metadata.apiVersion === 'v1') chart.files.push(file);
    } else if (name.startsWith('templates/')) {
      chart.templates.push(file);
    } else if (name.startsWith('charts/')) {
      if (name.endsWith('.prov')) {
        chart.files.push(file);
        continue;
      }
      const rest = name.slice('charts/'.length);
      const slash = rest.indexOf('/');
      const entry = slash < 0 ? rest : rest.slice(0, slash);
      const group = subcharts.get(entry) ?? [];
      group.push({ ...file, name: rest });
      subcharts.set(entry, group);
    } else {
      chart.files.push(file);
    }
  }

  validateMetadata(metadata, source);

  const loaded: Array<{ entry: string; chart: LoadedChart }> = [];
  for (const [entry, group] of subcharts) {
    if (entry.startsWith('_') || entry.startsWith('.')) {
      ctx.logger.debug(`${ctx.label(`charts/${entry}`)}: skipped, Helm ignores charts/ entries starting with "_" or "."`);
      continue;
    }
    const where = ctx.label(`charts/${entry}`);
    try {
      loaded.push({ entry, chart: await loadSubchart(entry, group, where, ctx) });
    } catch (error) {
      const prefix = `error unpacking subchart ${entry} in ${metadata.name}`;
      if (error instanceof ChartError) {
        throw new ChartError(`${prefix}: ${error.message}`, { file: error.file, line: error.line }, { cause: error });
      }
      if (error instanceof DomainError) throw new ChartError(`${prefix}: ${error.message}`, { file: where }, { cause: error });
      throw error;
    }
  }
  // Helm iterates a Go map here, so its order is random (helm/helm#3612); name order makes the
  // archive reproducible.
  loaded.sort((a, b) => compareRawNames(a.chart.metadata.name, b.chart.metadata.name) || compareRawNames(a.entry, b.entry));
  chart.dependencies = loaded.map((l) => l.chart);
  return chart;
}

async function loadSubchart(entry: string, group: ChartFile[], where: string, ctx: LoadContext): Promise<LoadedChart> {
  if (entry.endsWith('.tgz')) {
    const file = group[0] as ChartFile;
    if (file.name !== entry) {
      throw new ChartError(`error unpacking subchart tar: expected ${entry}, got ${file.name}`, { file: where });
    }
    try {
      const bytes = await readChartFile(file);
      // The archive's bytes were counted as a file of the chart; its files replace them.
      const files = await readChartArchive(bytes, ctx.budget.left + bytes.length);
      ctx.budget.left += bytes.length - dataBytes(files);
      return await loadFiles(files, { location: where, label: (name) => `${where}:${name}`, logger: ctx.logger, budget: ctx.budget });
    } catch (error) {
      if (error instanceof ArchiveError) throw new ChartError(error.message, { file: where }, { cause: error });
      throw error;
    }
  }
  // Files directly at charts/<entry> (a plain file that is not a .tgz) are not a chart.
  const inner = group.filter((f) => f.name.includes('/')).map((f) => ({ ...f, name: f.name.slice(entry.length + 1) }));
  if (inner.length === 0) {
    // Helm takes a plain file in charts/ for a subchart without Chart.yaml: the file is what to fix.
    throw new ChartError(
      `Chart.yaml file is missing: Helm reads every entry of charts/ as a subchart, and ${entry} is a file, not a chart folder ` +
        'or a .tgz; move it out of charts/ or list it in .helmignore',
      { file: where },
    );
  }
  return loadFiles(inner, { location: where, label: (name) => `${where}/${name}`, logger: ctx.logger, budget: ctx.budget });
}

/** The bytes of an archive's files, as counted against the chart's 100 MiB. */
function dataBytes(files: readonly ArchiveFile[]): number {
  return files.reduce((sum, f) => sum + f.data.length, 0);
}

/** The prefix of the Chart.yaml annotations Artifact Hub reads. */
export const ARTIFACT_HUB_PREFIX = 'artifacthub.io/';

/** An `artifacthub.io/*` annotation in Chart.yaml: only then is the Artifact Hub lint loaded. */
export function hasArtifactHubAnnotations(chart: LoadedChart): boolean {
  const annotations = chart.metadata.annotations;
  return annotations !== null && [...annotations.keys()].some((key) => key.startsWith(ARTIFACT_HUB_PREFIX));
}

/** A values.schema.json in the chart or any of its subcharts. */
export function hasValuesSchema(chart: LoadedChart): boolean {
  return chart.schema !== null || chart.dependencies.some(hasValuesSchema);
}

/**
 * Declared dependencies must be present in charts/ by name (Helm's CheckDependencies, run by
 * `helm package`); versions and aliases are not compared.
 */
export function missingDependencies(chart: LoadedChart): string[] {
  const present = new Set(chart.dependencies.map((d) => d.metadata.name));
  return (chart.metadata.dependencies ?? []).flatMap((d) => (d && !present.has(d.name) ? [d.name] : []));
}

/** The bytes of a YAML file: decoding (and refusing invalid UTF-8) is the YAML decoder's job. */
async function text(file: ChartFile): Promise<Buffer> {
  return readChartFile(file);
}

/** Helm parses values.yaml (every document must be a mapping) and refuses to load otherwise. */
function checkValuesYaml(data: Buffer, file: string): void {
  let docs: ReturnType<typeof decodeYamlDocuments>;
  try {
    docs = decodeYamlDocuments(data);
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new ChartError(`cannot load values.yaml: ${error.message}`, { file, line: error.line, column: error.column });
    }
    throw error;
  }
  for (const doc of docs) {
    if (doc && doc.kind !== 'map' && doc.kind !== 'null') {
      throw new ChartError('cannot load values.yaml: every YAML document in it must be a mapping of keys to values', {
        file,
        line: doc.pos.line,
      });
    }
  }
}

function checkJson(data: Buffer, file: string): void {
  const text = data.toString('utf8');
  try {
    JSON.parse(text);
  } catch (error) {
    const at = jsonSyntaxErrorPosition(text);
    throw new ChartError(`invalid JSON in values.schema.json: ${(error as Error).message}`, { file, line: at?.line, column: at?.column });
  }
}

/**
 * Helm's directory walk (internal/sympath): depth first, names in byte order within each
 * directory, symlinks followed (ignore rules see the link path with the target's kind).
 */
class Walker {
  private readonly files: ChartFile[] = [];
  private readonly activeDirs: string[] = [];

  constructor(
    private readonly root: string,
    private readonly realWorkspace: string,
    private readonly rules: IgnoreRules,
    private readonly label: (name: string) => string,
    private readonly logger: Logger,
  ) {}

  async walk(): Promise<ChartFile[]> {
    const realRoot = await realpath(this.root);
    this.activeDirs.push(realRoot);
    await this.visit(this.root, '', realRoot);
    return this.files;
  }

  private async visit(dir: string, relDir: string, realDir: string): Promise<void> {
    // Names as bytes: one that is not valid UTF-8 is packaged as Helm packages it (raw-name.ts).
    const entries = await this.fs(() => readdir(fsPath(dir), { encoding: 'buffer' }), 'list the folder', relDir);
    const names = entries.map(decodeRawName).sort(compareRawNames);
    const infos = await Promise.all(
      names.map((name) => this.fs(() => lstat(fsPath(join(dir, name))), 'read', relDir === '' ? name : `${relDir}/${name}`)),
    );
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const abs = join(dir, name);
      let info = infos[i] as Awaited<ReturnType<typeof lstat>>;
      let real = join(realDir, name);
      if (real === join(this.realWorkspace, '.git')) {
        // A chart at the repository root would carry the checkout's .git, with the token
        // actions/checkout persists in .git/config. Helm packages it; we never do.
        this.logger.info(`${this.label(rel)}: the repository's own .git is never packaged`);
        continue;
      }
      if (info.isSymbolicLink()) {
        // Helm resolves a link before it consults the ignore rules, so a dangling link fails
        // packaging even when .helmignore lists it.
        try {
          real = decodeRawName(await realpath(fsPath(abs), { encoding: 'buffer' }));
          info = await stat(fsPath(real));
        } catch (error) {
          throw new ChartError(
            `error evaluating symlink ${this.label(rel)}: its target does not exist (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
            { file: this.label(rel) },
          );
        }
        const inside = real === this.realWorkspace || real.startsWith(this.realWorkspace + sep);
        // The repository's .git holds the token actions/checkout persists: never package it.
        const gitDir = join(this.realWorkspace, '.git');
        const intoGit = real === gitDir || real.startsWith(gitDir + sep);
        if (!inside || intoGit) {
          if (this.rules.ignores(rel, info.isDirectory())) continue;
          throw new ChartError(
            `symbolic link ${this.label(rel)} points ${intoGit ? "into the repository's .git folder" : 'outside the workspace'} (${real}); ` +
              'a chart must not carry files from outside the repository or from git: replace the link with the file, or add it to .helmignore',
            { file: this.label(rel) },
          );
        }
        this.logger.info(
          `found symbolic link in path: ${this.label(rel)} → ${toPosix(relative(this.realWorkspace, real))}; its contents are included unless .helmignore leaves it out`,
        );
      }
      if (info.isDirectory()) {
        if (this.rules.ignores(rel, true)) {
          this.debugIgnored(rel, true);
          continue;
        }
        if (this.activeDirs.includes(real)) {
          throw new ChartError(`symbolic link loop: ${this.label(rel)} leads back to a directory that contains it`, {
            file: this.label(rel),
          });
        }
        this.activeDirs.push(real);
        await this.visit(abs, rel, real);
        this.activeDirs.pop();
        continue;
      }
      if (this.rules.ignores(rel, false)) {
        this.debugIgnored(rel, false);
        continue;
      }
      if (!info.isFile()) {
        throw new ChartError(
          `cannot load irregular file ${this.label(rel)} as it has file mode type bits set (a FIFO, socket or device): ` +
            'remove it or add it to .helmignore',
          { file: this.label(rel) },
        );
      }
      if (info.size > MAX_FILE_SIZE) {
        throw new ChartError(
          `chart file "${basename(real)}" is larger than the maximum file size ${MAX_FILE_SIZE} (5 MiB) that Helm accepts: ` +
            'add it to .helmignore or make it smaller',
          { file: this.label(rel) },
        );
      }
      this.files.push({ name: rel, diskPath: abs, size: Number(info.size) });
    }
  }

  /** Runs a file-system call; its error becomes a ChartError naming the file and what to do. */
  private async fs<T>(op: () => Promise<T>, doing: string, rel: string): Promise<T> {
    try {
      return await op();
    } catch (error) {
      const file = rel === '' ? this.label('.').replace(/\/\.$/, '') : this.label(rel);
      const problem = fileSystemError(error, doing, file);
      if (problem instanceof FileSystemError) throw new ChartError(problem.message, { file }, { cause: error });
      throw problem;
    }
  }

  private debugIgnored(rel: string, isDir: boolean): void {
    if (this.logger.isDebug()) {
      this.logger.debug(`${this.label(rel)}${isDir ? '/' : ''}: left out by .helmignore ${this.rules.explain(rel, isDir) ?? ''}`);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
