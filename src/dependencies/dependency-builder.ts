import { mkdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ArchiveError } from '../chart/archive-reader.js';
import { loadChart, loadChartArchive, missingDependencies, type ChartFile, type LoadedChart } from '../chart/chart-loader.js';
import { marshalLock, ociTag, parseChartYaml, type Dependency, type Lock } from '../chart/metadata.js';
import {
  compareVersions,
  ConstraintError,
  parseConstraint,
  parseVersion,
  type Constraint,
  type Version,
} from '../chart/version-constraints.js';
import type { CredentialResolver } from '../oci/credentials.js';
import { matchesDigest, parseDigest, sha256Digest } from '../oci/digest.js';
import { RegistryClient, type Repository } from '../oci/registry-client.js';
import { RegistryError } from '../oci/registry-error.js';
import type { RetryPolicy } from '../oci/retry-policy.js';
import type { FetchLike } from '../oci/transport.js';
import { parseOciNamespace, type RegistryNamespace } from '../oci/reference.js';
import { mapLimit } from '../shared/concurrency.js';
import type { Deadline } from '../shared/deadline.js';
import { ChartError, DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { ChartRepositoryClient, displayUrl, RepositoryError, resolveReferenceUrl, type IndexEntry } from './chart-repository.js';
import { legacyLockDigest, lockDigest } from './lock-digest.js';
import { ociLocation, ociVersions, pullChart, repeatsChartName, type OciLocation } from './oci-source.js';
import { withRepositoryCredentials, type RepositoryCredential } from './repository-credentials.js';

/**
 * Builds a chart's dependencies the way `helm dependency build` does, straight from the URLs in
 * Chart.yaml and the versions in Chart.lock, without `helm repo add` and without writing into the
 * workspace: the result is the chart with its subcharts attached in memory, exactly as if the
 * archives had been placed in charts/ (the packager then writes them expanded, §1.5).
 *
 * - With a lock (Chart.lock, or requirements.lock for apiVersion v1) the lock must be in sync
 *   with the declared dependencies (Helm's digest check, `resolver.HashReq`), and exactly the
 *   locked versions are used.
 * - Without one, each dependency resolves to the newest version its range accepts (Masterminds
 *   rules, ../chart/version-constraints.ts), with a warning; a Chart.lock is generated for the
 *   archive, as `helm dependency update` writes one before `helm package`.
 * - Sources: `file://` (a chart directory in the workspace, loaded with its own .helmignore and
 *   its own dependencies built in turn), http(s) chart repositories (index.yaml), `oci://`
 *   registries; an empty repository means the chart must already be in charts/.
 * - Subcharts already in charts/ that satisfy a dependency are used as they are.
 * - Every download is checked before use: gzip and tar well-formed, Helm's size limits, no
 *   absolute or `..` paths (§1.14), the expected name and version.
 */

export interface DependencyBuilderOptions {
  /** Absolute workspace path: file:// dependencies must stay inside it. */
  workspace: string;
  /** Downloaded archives are kept here by sha256 (e.g. `<output-dir>/.dependencies`). */
  cacheDir: string;
  logger: Logger;
  /** The `dependency-credentials` input: URL prefix → username/password, for https:// and oci://. */
  credentials?: readonly RepositoryCredential[];
  /**
   * The stores the push uses (Helm and Docker config, the target's username/password, the GitHub
   * token), consulted for oci:// dependencies after `credentials`. Anonymous when absent.
   */
  registryCredentials?: CredentialResolver;
  /** Registries (host[:port]) reached over http:// — the target registry when plain http is on. */
  plainHttpHosts?: readonly string[];
  /**
   * The charts this run publishes and where to: an oci:// dependency on the target namespace
   * that one of them provides in the wanted version is taken from the workspace, so that charts
   * published together may depend on each other (publishOrder then pushes dependencies first).
   */
  run?: { target: RegistryNamespace; charts: readonly string[] };
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** The action's version, for the User-Agent. */
  version?: string;
  /** The run's deadline: bounds every download and index request. */
  deadline?: Deadline;
}

export interface DependencyBuilder {
  /**
   * Returns `chart` (loaded from `path`, workspace-relative) with every declared dependency
   * among its subcharts. Errors are ChartErrors pointing at Chart.yaml (or requirements.yaml) or
   * the lock file.
   */
  build(chart: LoadedChart, path: string): Promise<LoadedChart>;
}

export function createDependencyBuilder(options: DependencyBuilderOptions): DependencyBuilder {
  const builder = new Builder(options);
  return { build: (chart, path) => builder.build(chart, path) };
}

/** What Go's zero time.Time marshals to: the lock we generate carries no wall-clock time. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
/** Above Helm's 100 MiB decompressed-chart limit (§1.14): no valid chart archive is larger. */
const MAX_ARCHIVE_BYTES = 128 * 1024 * 1024;
const DOWNLOAD_CONCURRENCY = 4;

interface Context {
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

/** How one declared dependency was satisfied. */
interface Resolution {
  dependency: Dependency;
  /** The version for the lock. */
  version: string;
  /** A subchart to add; undefined when one already in charts/ was used. */
  added?: LoadedChart;
  /** The subchart from charts/ that was used. */
  kept?: LoadedChart;
}

class Builder {
  private readonly logger: Logger;
  private readonly repositories: ChartRepositoryClient;
  private readonly registries = new Map<boolean, RegistryClient>();
  private readonly downloads = new Map<string, Promise<LoadedChart>>();
  private readonly localCharts = new Map<string, Promise<LoadedChart>>();
  private runCharts: Promise<Array<{ dir: string; name: string; version: string }>> | undefined;
  /** build() calls run one after another, so that a dependency cycle is seen, never awaited. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DependencyBuilderOptions) {
    this.logger = options.logger;
    this.repositories = new ChartRepositoryClient({
      logger: options.logger,
      credentials: options.credentials ?? [],
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      userAgent: `oci-chart-publish/${options.version ?? 'dev'}`,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
  }

  build(chart: LoadedChart, path: string): Promise<LoadedChart> {
    const next = this.queue.then(async () => {
      const dir = resolve(this.options.workspace, path);
      return this.complete(chart, dir, [await realpath(dir)]);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The chart with all its declared dependencies among its subcharts. */
  private async complete(chart: LoadedChart, dir: string, stack: string[]): Promise<LoadedChart> {
    const declared = (chart.metadata.dependencies ?? []).filter((d): d is Dependency => d !== null);
    if (declared.length === 0) return chart;
    const ctx = await this.context(chart, dir, stack);
    const lock = chart.lock;
    const locked = lock ? this.checkLock(ctx, declared, lock) : undefined;

    // Local charts one after another (a cycle must be met on the stack, not awaited); downloads
    // in parallel.
    const resolutions: Resolution[] = new Array(declared.length);
    const remote: number[] = [];
    for (const [i, dependency] of declared.entries()) {
      const kept = this.present(ctx, dependency, locked?.[i]);
      if (kept) {
        this.logger.debug(`${dependency.name}: ${kept.location} (${kept.metadata.version}) satisfies it and is used as it is`);
        resolutions[i] = { dependency, version: locked?.[i] ?? kept.metadata.version, kept };
        continue;
      }
      if (this.mayBeLocal(dependency)) {
        resolutions[i] = await this.resolve(ctx, dependency, locked?.[i]);
      } else {
        remote.push(i);
      }
    }
    await mapLimit(remote, DOWNLOAD_CONCURRENCY, async (i) => {
      resolutions[i] = await this.resolve(ctx, declared[i] as Dependency, locked?.[i]);
    });

    if (!lock && resolutions.some((r) => r.added)) {
      this.logger.warning(
        `${chart.metadata.name} has no ${ctx.lockFile.slice(ctx.lockFile.lastIndexOf('/') + 1)}: its dependencies were resolved to ` +
          `the newest matching versions (${resolutions.map((r) => `${r.dependency.name} ${r.version}`).join(', ')}); ` +
          `run "helm dependency update" and commit the lock file to publish exactly these versions every time`,
        { file: ctx.declaredIn, line: this.dependencyLine(ctx, undefined), title: 'Dependencies not locked' },
      );
    }
    return this.assemble(ctx, resolutions, lock);
  }

  /** Whether resolving may build a chart of the workspace (then never in parallel with another). */
  private mayBeLocal(dependency: Dependency): boolean {
    const { repository } = dependency;
    if (repository === '' || repository.startsWith('file://')) return true;
    const run = this.options.run;
    if (!run || !repository.startsWith('oci://')) return false;
    try {
      const { registry, repository: path } = ociLocation(repository, dependency.name);
      return `${registry}/${path}` === [run.target.registry, run.target.namespace, dependency.name].filter(Boolean).join('/');
    } catch {
      return false;
    }
  }

  private async context(chart: LoadedChart, dir: string, stack: string[]): Promise<Context> {
    const chartYaml = chart.source.file;
    const base = chartYaml.includes('/') ? chartYaml.slice(0, chartYaml.lastIndexOf('/') + 1) : '';
    const v1 = chart.metadata.apiVersion === 'v1';
    // The loader keeps requirements.yaml among a v1 chart's files: no need to look on disk.
    const declaredIn = v1 && chart.files.some((f) => f.name === 'requirements.yaml') ? `${base}requirements.yaml` : chartYaml;
    const lockFile = `${base}${v1 ? 'requirements.lock' : 'Chart.lock'}`;
    const read = async (file: string) => readFile(join(this.options.workspace, file), 'utf8').catch(() => undefined);
    return { chart, dir, stack, declaredIn, lockFile, text: { declared: await read(declaredIn), lock: await read(lockFile) } };
  }

  /**
   * Helm's check before `helm dependency build` downloads anything: the lock's digest must be
   * the digest of the dependencies as declared now. Returns the locked version of each
   * declared dependency, by position.
   */
  private checkLock(ctx: Context, declared: Dependency[], lock: Lock): string[] {
    const lockName = ctx.lockFile.slice(ctx.lockFile.lastIndexOf('/') + 1);
    const declaredName = ctx.declaredIn.slice(ctx.declaredIn.lastIndexOf('/') + 1);
    const fix = `run "helm dependency update" in ${relativeTo(this.options.workspace, ctx.dir)} and commit ${lockName}`;
    const digest = lockDigest(ctx.chart.metadata.dependencies, lock.dependencies);
    const legacy = ctx.chart.metadata.apiVersion === 'v1' && legacyLockDigest(ctx.chart.metadata.dependencies) === lock.digest;
    if (digest !== lock.digest && !legacy) {
      throw new ChartError(
        `${lockName} is out of sync with the dependencies in ${declaredName}: it was made for other dependencies ` +
          `(its digest is ${lock.digest || 'empty'}, the dependencies now give ${digest}); ${fix}`,
        { file: ctx.lockFile, line: lineOf(ctx.text.lock, /^digest:/) },
      );
    }
    this.logger.debug(`${ctx.lockFile} is in sync with ${ctx.declaredIn} (${lock.digest}${legacy ? ', a Helm 2 digest' : ''})`);
    const entries = (lock.dependencies ?? []).filter((d): d is Dependency => d !== null);
    return declared.map((dependency, i) => {
      const entry = entries[i]?.name === dependency.name ? entries[i] : entries.find((e) => e.name === dependency.name);
      const at = { file: ctx.lockFile, line: this.lockLine(ctx, dependency.name) };
      if (!entry) throw new ChartError(`${lockName} has no entry for dependency "${dependency.name}"; ${fix}`, at);
      if (entry.repository !== dependency.repository) {
        throw new ChartError(
          `${lockName} locks "${dependency.name}" from ${displayUrl(entry.repository) || '(no repository)'}, but ${declaredName} now names ` +
            `${displayUrl(dependency.repository) || '(no repository)'}; ${fix}`,
          at,
        );
      }
      const range = this.constraintOrUndefined(dependency);
      const version = parseVersion(entry.version);
      if (dependency.repository !== '' && range && (!version || !range.check(version))) {
        throw new ChartError(
          `${lockName} locks "${dependency.name}" at ${entry.version || '(no version)'}, which the range "${dependency.version}" in ` +
            `${declaredName} does not accept; ${fix}`,
          at,
        );
      }
      return entry.version;
    });
  }

  /** The subchart already in charts/ that satisfies the dependency, if any. */
  private present(ctx: Context, dependency: Dependency, locked: string | undefined): LoadedChart | undefined {
    const candidates = ctx.chart.dependencies.filter((s) => s.metadata.name === dependency.name);
    // A dependency without repository is locked with its range as written (resolver.Resolve).
    const exact = dependency.repository === '' ? undefined : locked;
    const range = exact === undefined ? this.constraintOrUndefined(dependency) : undefined;
    return candidates.find((s) => {
      const version = parseVersion(s.metadata.version);
      if (exact !== undefined) return version ? sameVersion(version, exact) : s.metadata.version === exact;
      // Helm does not compare versions when it packages; without a usable range, any will do.
      return !range || (version !== undefined && range.check(version));
    });
  }

  private async resolve(ctx: Context, dependency: Dependency, locked: string | undefined): Promise<Resolution> {
    const repository = dependency.repository;
    try {
      // A range Helm cannot read is reported before anything is looked up.
      if (locked === undefined && repository !== '') this.constraint(dependency);
      if (repository === '') return this.inTree(ctx, dependency);
      if (repository.startsWith('file://')) return await this.fromDirectory(ctx, dependency, locked);
      if (repository.startsWith('oci://')) return await this.fromRegistry(ctx, dependency, locked);
      if (/^https?:\/\//i.test(repository)) return await this.fromChartRepository(ctx, dependency, locked);
    } catch (error) {
      throw this.wrap(ctx, dependency, error);
    }
    if (repository.startsWith('@') || repository.startsWith('alias:')) {
      throw this.failure(
        ctx,
        dependency,
        `"${repository}" names a repository added with "helm repo add"; write its URL instead (e.g. https://charts.example.com or ` +
          'oci://registry.example.com/charts): dependencies are fetched straight from their URLs',
      );
    }
    throw this.failure(
      ctx,
      dependency,
      `repository "${repository}" is not supported: use an https:// chart repository, an oci:// registry namespace, ` +
        'a file:// path, or leave it empty for a chart kept in charts/',
    );
  }

  /** `repository: ""`: the chart must be in charts/ already (present() found none that fits). */
  private inTree(ctx: Context, dependency: Dependency): Resolution {
    const found = ctx.chart.dependencies.find((s) => s.metadata.name === dependency.name);
    const where = `${relativeTo(this.options.workspace, ctx.dir)}/charts/`;
    throw this.failure(
      ctx,
      dependency,
      found
        ? `${where}${dependency.name} is version ${found.metadata.version}, which the range "${dependency.version}" does not accept`
        : `it has no repository, so it must be in ${where} (as a directory or .tgz); add it there or give its repository`,
    );
  }

  private async fromDirectory(ctx: Context, dependency: Dependency, locked: string | undefined): Promise<Resolution> {
    const path = dependency.repository.slice('file://'.length);
    const target = isAbsolute(path) ? path : resolve(ctx.dir, path);
    const workspace = await realpath(this.options.workspace);
    let real: string;
    try {
      real = await realpath(target);
    } catch {
      throw new RepositoryError(`directory ${relativeTo(this.options.workspace, target)} not found`);
    }
    if (real !== workspace && !real.startsWith(workspace + sep)) {
      throw new RepositoryError(
        `${dependency.repository} leads to ${real}, outside the workspace; a file:// dependency must be a chart directory in this repository`,
      );
    }
    if (ctx.stack.includes(real)) {
      const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(workspace, d));
      throw new RepositoryError(`dependency cycle: ${chain.join(' → ')}; a chart cannot contain itself`);
    }
    const chart = await this.localChart(real, ctx.stack);
    const version = parseVersion(chart.metadata.version);
    const wanted = locked ?? dependency.version;
    const ok =
      locked !== undefined
        ? version !== undefined && sameVersion(version, locked)
        : version !== undefined && this.constraint(dependency).check(version);
    if (!ok) {
      throw new RepositoryError(
        `${relativeTo(workspace, real)} is version ${chart.metadata.version}, but ${locked !== undefined ? `${ctx.lockFile} locks ${wanted}` : `the range is "${wanted}"`}` +
          (locked !== undefined ? `; run "helm dependency update" and commit the lock file` : ''),
      );
    }
    this.logger.info(`${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/`);
    return { dependency, version: chart.metadata.version, added: chart };
  }

  /** A chart directory of the workspace with its own dependencies built; once per directory. */
  private localChart(real: string, stack: string[]): Promise<LoadedChart> {
    let chart = this.localCharts.get(real);
    if (!chart) {
      chart = (async () => {
        // Loaded by its path inside the workspace, so that its location reads like the charts of the run.
        const inside = relativeTo(await realpath(this.options.workspace), real);
        const loaded = await loadChart(inside, { workspace: this.options.workspace, logger: this.logger });
        return missingDependencies(loaded).length > 0 ? this.complete(loaded, real, [...stack, real]) : loaded;
      })();
      this.localCharts.set(real, chart);
    }
    return chart;
  }

  private async fromChartRepository(ctx: Context, dependency: Dependency, locked: string | undefined): Promise<Resolution> {
    const repositoryUrl = dependency.repository;
    const index = await this.repositories.index(repositoryUrl);
    const versions = index.entries.get(dependency.name);
    if (!versions || versions.length === 0) {
      throw new RepositoryError(
        `chart "${dependency.name}" not found in ${displayUrl(repositoryUrl)} (its index.yaml has no entry of that name)`,
      );
    }
    const usable = versions.filter((v) => v.urls.length > 0);
    let entry: IndexEntry | undefined;
    if (locked !== undefined) {
      entry = usable.find((v) => v.version.original === locked) ?? usable.find((v) => sameVersion(v.version, locked));
    } else {
      const range = this.constraint(dependency);
      entry = usable.find((v) => range.check(v.version));
    }
    if (!entry)
      throw this.versionNotFound(
        ctx,
        dependency,
        locked,
        repositoryUrl,
        usable.map((v) => v.version),
      );
    const url = resolveReferenceUrl(repositoryUrl, entry.urls[0] as string);
    const chart = await this.download(url, dependency.name, entry.version.original, async () => {
      const cached = entry.digest ? await this.cached(`sha256:${entry.digest}`) : undefined;
      const bytes = cached ?? (await this.repositories.download(url, repositoryUrl, MAX_ARCHIVE_BYTES));
      const digest = sha256Digest(bytes);
      if (entry.digest && digest !== `sha256:${entry.digest}`) {
        throw new RepositoryError(
          `${displayUrl(url)} does not match the digest sha256:${entry.digest} that the index.yaml of ${displayUrl(repositoryUrl)} gives for it (got ${digest}); ` +
            'the repository is inconsistent or the download was altered',
        );
      }
      if (!cached) await this.store(digest, bytes);
      return { bytes, digest };
    });
    return { dependency, version: entry.version.original, added: chart };
  }

  private async fromRegistry(ctx: Context, dependency: Dependency, locked: string | undefined): Promise<Resolution> {
    const location = ociLocation(dependency.repository, dependency.name);
    const repository = this.registry(location.registry).repository(location.registry, location.repository);
    const siblings = await this.siblings(location, dependency.name);

    let version: string | undefined = locked;
    // Helm takes a version that parses as one as the tag itself; only a range lists tags.
    if (version === undefined && parseVersion(dependency.version)) version = dependency.version;
    if (version === undefined) {
      const range = this.constraint(dependency);
      let tags: Version[] = [];
      try {
        tags = await ociVersions(repository);
      } catch (error) {
        if (!(isNotFound(error) && siblings.length > 0)) throw this.registryFailure(error, location, dependency);
      }
      const candidates = [...tags, ...siblings.flatMap((s) => parseVersion(s.version) ?? [])].sort((a, b) => compareVersions(b, a));
      const chosen = candidates.find((v) => range.check(v));
      if (!chosen) throw this.versionNotFound(ctx, dependency, undefined, dependency.repository, candidates);
      version = chosen.original;
    }
    const wanted = version;
    const sibling = siblings.find((s) => s.version === wanted) ?? siblings.find((s) => sameVersionText(s.version, wanted));
    if (sibling) {
      const real = await realpath(sibling.dir);
      if (ctx.stack.includes(real)) {
        const chain = [...ctx.stack.slice(ctx.stack.indexOf(real)), real].map((d) => relativeTo(this.options.workspace, d));
        throw new RepositoryError(`dependency cycle among the charts of this run: ${chain.join(' → ')}`);
      }
      const chart = await this.localChart(real, ctx.stack);
      this.logger.info(
        `${chart.metadata.name} ${chart.metadata.version} for ${ctx.chart.metadata.name}: from ${chart.location}/, which this run publishes to ${dependency.repository}`,
      );
      return { dependency, version: chart.metadata.version, added: chart };
    }
    const tag = ociTag(wanted);
    const label = `oci://${location.registry}/${location.repository}:${tag}`;
    const chart = await this.download(label, dependency.name, wanted, async () => {
      try {
        const pulled = await pullChart(repository, wanted, MAX_ARCHIVE_BYTES, (digest) => this.cached(digest));
        await this.store(pulled.digest, pulled.bytes);
        return { bytes: pulled.bytes, digest: pulled.digest };
      } catch (error) {
        if (isNotFound(error)) throw this.missingTag(location, dependency, wanted, locked, error);
        throw this.registryFailure(error, location, dependency);
      }
    });
    return { dependency, version: wanted, added: chart };
  }

  /** Charts of this run that the target namespace will hold under this dependency's name. */
  private async siblings(location: OciLocation, name: string): Promise<Array<{ dir: string; name: string; version: string }>> {
    const run = this.options.run;
    if (!run) return [];
    const namespace = [run.target.registry, run.target.namespace].filter(Boolean).join('/');
    if (`${location.registry}/${location.repository}` !== `${namespace}/${name}`) return [];
    this.runCharts ??= Promise.all(
      run.charts.map(async (path) => {
        const dir = resolve(this.options.workspace, path);
        try {
          const { metadata } = parseChartYaml(await readFile(join(dir, 'Chart.yaml')), `${path}/Chart.yaml`);
          return [{ dir, name: metadata.name, version: metadata.version }];
        } catch {
          // A chart that cannot be read fails on its own; it provides nothing here.
          return [];
        }
      }),
    ).then((lists) => lists.flat());
    return (await this.runCharts).filter((c) => c.name === name);
  }

  private registry(host: string): RegistryClient {
    const plain = (this.options.plainHttpHosts ?? []).includes(host);
    let client = this.registries.get(plain);
    if (!client) {
      client = new RegistryClient({
        plainHttp: plain,
        credentials: withRepositoryCredentials(this.options.registryCredentials, this.options.credentials ?? [], this.logger),
        logger: this.logger,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        ...(this.options.retry ? { retry: this.options.retry } : {}),
        ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
        ...(this.options.version ? { version: this.options.version } : {}),
        ...(this.options.deadline ? { deadline: this.options.deadline } : {}),
      });
      this.registries.set(plain, client);
    }
    return client;
  }

  /**
   * A downloaded archive, checked and loaded once per source: well-formed gzip and tar within
   * Helm's limits (§1.14), a valid chart, the expected name and version. Messages, logs and the
   * chart's location name the source without its query (see displayUrl).
   */
  private download(
    source: string,
    name: string,
    version: string,
    fetchBytes: () => Promise<{ bytes: Uint8Array; digest: string }>,
  ): Promise<LoadedChart> {
    let chart = this.downloads.get(source);
    if (!chart) {
      const shown = displayUrl(source);
      chart = (async () => {
        const { bytes, digest } = await fetchBytes();
        let loaded: LoadedChart;
        try {
          loaded = await loadChartArchive(bytes, shown, this.logger);
        } catch (error) {
          if (error instanceof ArchiveError || error instanceof ChartError) {
            throw new RepositoryError(`${shown} is not a usable chart archive: ${error.message}`, undefined, { cause: error });
          }
          throw error;
        }
        if (loaded.metadata.name !== name) {
          throw new RepositoryError(
            `${shown} contains chart "${loaded.metadata.name}", not "${name}"; the repository serves the wrong archive`,
          );
        }
        const got = parseVersion(loaded.metadata.version);
        if (!got || !sameVersion(got, version)) {
          throw new RepositoryError(
            `${shown} contains ${name} version ${loaded.metadata.version}, not ${version}; the repository serves the wrong archive`,
          );
        }
        const missing = missingDependencies(loaded);
        if (missing.length > 0) {
          this.logger.warning(
            `${shown} was published without its own dependencies (${missing.join(', ')}); Helm cannot install it as it is`,
          );
        }
        this.logger.info(`${name} ${version}: ${shown} (${digest}, ${bytes.byteLength} bytes)`);
        return loaded;
      })();
      this.downloads.set(source, chart);
    }
    return chart;
  }

  /** Content-addressed cache: the bytes stored under `digest`, if present and intact. */
  private async cached(digest: string): Promise<Uint8Array | undefined> {
    const file = this.cacheFile(digest);
    if (!file) return undefined;
    try {
      const bytes = await readFile(file);
      if (matchesDigest(bytes, digest)) {
        this.logger.debug(`${digest}: from the cache ${file}`);
        return bytes;
      }
    } catch {
      // Not cached.
    }
    return undefined;
  }

  private async store(digest: string, bytes: Uint8Array): Promise<void> {
    const file = this.cacheFile(digest);
    if (!file) return;
    try {
      await mkdir(this.options.cacheDir, { recursive: true });
      const partial = `${file}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file);
    } catch (error) {
      this.logger.debug(`could not cache ${digest} in ${this.options.cacheDir}: ${(error as Error).message}`);
    }
  }

  private cacheFile(digest: string): string | undefined {
    const parsed = parseDigest(digest);
    return parsed ? join(this.options.cacheDir, `${parsed.algorithm}-${parsed.hex}.tgz`) : undefined;
  }

  /** The chart with the resolutions applied: subcharts in name order, the lock, and for v1 its file. */
  private assemble(ctx: Context, resolutions: Resolution[], lock: Lock | null): LoadedChart {
    const { chart } = ctx;
    const kept = new Set(resolutions.flatMap((r) => (r.kept ? [r.kept] : [])));
    const replaced = new Set(resolutions.flatMap((r) => (r.added ? [r.dependency.name] : [])));
    const subcharts: LoadedChart[] = [];
    for (const sub of chart.dependencies) {
      if (replaced.has(sub.metadata.name) && !kept.has(sub)) {
        this.logger.warning(
          `${sub.location} (${sub.metadata.name} ${sub.metadata.version}) does not match what ${ctx.declaredIn} asks for; the package carries the version built instead`,
          { file: ctx.declaredIn, line: this.dependencyLine(ctx, sub.metadata.name) },
        );
        continue;
      }
      subcharts.push(sub);
    }
    for (const r of resolutions) {
      if (!r.added || subcharts.includes(r.added)) continue;
      // Two aliases of one chart and version share one copy, as Helm downloads it once.
      if (subcharts.some((s) => s.metadata.name === r.added?.metadata.name && s.metadata.version === r.added.metadata.version)) continue;
      subcharts.push(r.added);
    }
    subcharts.sort((a, b) => byteCompare(a.metadata.name, b.metadata.name) || byteCompare(a.metadata.version, b.metadata.version));

    const built: LoadedChart = { ...chart, dependencies: subcharts };
    // A lock is generated only for what was built, as `helm dependency update` would write it;
    // a chart whose charts/ already had everything is packaged as `helm package` packages it.
    if (!lock && resolutions.some((r) => r.added)) {
      const entries: Dependency[] = resolutions.map((r) => ({
        name: r.dependency.name,
        version: r.dependency.repository === '' ? r.dependency.version : r.version,
        repository: r.dependency.repository,
        condition: '',
        tags: null,
        enabled: false,
        'import-values': null,
        alias: '',
      }));
      built.lock = { generated: ZERO_TIME, digest: lockDigest(chart.metadata.dependencies, entries), dependencies: entries };
      if (chart.metadata.apiVersion === 'v1') {
        // Helm 3 writes requirements.lock for v1 charts, and `helm package` keeps it as a file.
        const file: ChartFile = { name: 'requirements.lock', data: Buffer.from(marshalLock(built.lock)) };
        const files = chart.files.filter((f) => f.name !== file.name);
        const at = files.findIndex((f) => walkOrder(f.name, file.name) > 0);
        files.splice(at < 0 ? files.length : at, 0, file);
        built.files = files;
      }
    }
    return built;
  }

  private constraint(dependency: Dependency): Constraint {
    try {
      return parseConstraint(dependency.version);
    } catch (error) {
      if (error instanceof ConstraintError) {
        throw new RepositoryError(
          dependency.version === ''
            ? 'it has no version: give a version or range, e.g. version: "1.2.3" or version: "1.x.x"'
            : `version "${dependency.version}" is not a version or range Helm accepts (${error.message})`,
        );
      }
      throw error;
    }
  }

  private constraintOrUndefined(dependency: Dependency): Constraint | undefined {
    try {
      return parseConstraint(dependency.version);
    } catch {
      return undefined;
    }
  }

  private versionNotFound(
    ctx: Context,
    dependency: Dependency,
    locked: string | undefined,
    url: string,
    available: Version[],
  ): RepositoryError {
    const list = available.slice(0, 8).map((v) => v.original);
    const offered = list.length ? `available: ${list.join(', ')}${available.length > list.length ? ', …' : ''}` : 'it offers no versions';
    return new RepositoryError(
      locked !== undefined
        ? `version ${locked} (locked in ${ctx.lockFile}) not found in ${displayUrl(url)} (${offered}); it may have been removed: run "helm dependency update" and commit the lock file`
        : `no version matching "${dependency.version}" in ${displayUrl(url)} (${offered})`,
    );
  }

  private missingTag(
    location: OciLocation,
    dependency: Dependency,
    version: string,
    locked: string | undefined,
    cause: unknown,
  ): RepositoryError {
    if (repeatsChartName(location)) {
      const namespace = dependency.repository.replace(/\/+$/, '');
      return new RepositoryError(
        `${namespace} already ends with the chart name "${dependency.name}": Helm appends /<name>:<version>, so it looks in ` +
          `${location.registry}/${location.repository}, which does not exist; write repository: ${namespace.slice(0, namespace.lastIndexOf('/'))}`,
        404,
        { cause },
      );
    }
    return new RepositoryError(
      `version ${version}${locked !== undefined ? ' (locked)' : ''} not found: ${location.registry}/${location.repository} has no tag ${ociTag(version)}`,
      404,
      { cause },
    );
  }

  private registryFailure(error: unknown, location: OciLocation, dependency: Dependency): unknown {
    if (isNotFound(error) && repeatsChartName(location)) return this.missingTag(location, dependency, dependency.version, undefined, error);
    if (isNotFound(error)) {
      return new RepositoryError(`${location.registry}/${location.repository} does not exist (${(error as Error).message})`, 404, {
        cause: error,
      });
    }
    return error;
  }

  /** A failure about one dependency, pointing at its declaration. */
  private failure(ctx: Context, dependency: Dependency, message: string, cause?: unknown): ChartError {
    return new ChartError(
      `dependency "${dependency.name}"${dependency.repository ? ` (${displayUrl(dependency.repository)})` : ''}: ${message}`,
      { file: ctx.declaredIn, line: this.dependencyLine(ctx, dependency.name) },
      cause === undefined ? undefined : { cause },
    );
  }

  private wrap(ctx: Context, dependency: Dependency, error: unknown): unknown {
    // Errors of a file:// chart point at its own files.
    if (error instanceof ChartError) return error;
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      const namespace = parseOciNamespace(dependency.repository);
      if (namespace.ok) {
        return this.failure(
          ctx,
          dependency,
          `${error.message}; for a private registry add a line "oci://${namespace.registry} <username>:<password>" to the ` +
            'dependency-credentials input, or log in to it before this step (Docker or Helm registry config)',
          error,
        );
      }
    }
    if (error instanceof DomainError) return this.failure(ctx, dependency, error.message, error);
    return error;
  }

  private dependencyLine(ctx: Context, name: string | undefined): number | undefined {
    const fallback =
      ctx.declaredIn === ctx.chart.source.file
        ? ctx.chart.source.keyLines.get('dependencies')
        : lineOf(ctx.text.declared, /^dependencies:/);
    if (name === undefined) return fallback;
    return dependencyEntryLine(ctx.text.declared, name) ?? fallback;
  }

  private lockLine(ctx: Context, name: string): number | undefined {
    return dependencyEntryLine(ctx.text.lock, name) ?? lineOf(ctx.text.lock, /^dependencies:/);
  }
}

/** The line of `name: <name>` inside the top-level `dependencies:` list of a YAML file. */
function dependencyEntryLine(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^dependencies:/.test(l));
  if (start < 0) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const entry = new RegExp(`^\\s+(?:-\\s+)?name:\\s*(["']?)${escaped}\\1\\s*(?:#.*)?$|^-\\s+name:\\s*(["']?)${escaped}\\2\\s*(?:#.*)?$`);
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\S/.test(line) && !line.startsWith('-') && !line.startsWith('#')) break;
    if (entry.test(line)) return i + 1;
  }
  return undefined;
}

function lineOf(text: string | undefined, pattern: RegExp): number | undefined {
  if (text === undefined) return undefined;
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}

function sameVersion(version: Version, text: string): boolean {
  if (version.original === text) return true;
  const other = parseVersion(text);
  return other !== undefined && compareVersions(version, other) === 0;
}

function sameVersionText(a: string, b: string): boolean {
  const parsed = parseVersion(a);
  return parsed ? sameVersion(parsed, b) : a === b;
}

function isNotFound(error: unknown): boolean {
  return error instanceof RegistryError && error.status === 404;
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Helm's walk order of two chart paths: depth first, names in byte order per directory. */
function walkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const d = byteCompare(as[i] as string, bs[i] as string);
    if (d !== 0) return d;
  }
  return as.length - bs.length;
}

function relativeTo(workspace: string, path: string): string {
  return relative(workspace, path).split(sep).join('/') || '.';
}
