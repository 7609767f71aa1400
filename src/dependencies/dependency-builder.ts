import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ArchiveError } from '../chart/archive-reader.js';
import { loadChart, loadChartArchive, missingDependencies, type ChartFile, type LoadedChart } from '../chart/chart-loader.js';
import { marshalLock, type Dependency, type Lock } from '../chart/metadata.js';
import { parseVersion } from '../chart/go/version-constraints.js';
import type { CredentialResolver } from '../oci/credentials.js';
import { parseOciNamespace } from '../oci/reference.js';
import { RegistryClient } from '../oci/registry-client.js';
import { RegistryError } from '../oci/registry-error.js';
import type { RetryPolicy } from '../oci/retry-policy.js';
import type { FetchLike } from '../oci/transport.js';
import { compareBytewise } from '../shared/byte-order.js';
import { mapLimit } from '../shared/concurrency.js';
import type { Deadline } from '../shared/deadline.js';
import { ChartError, DomainError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { ArchiveCache } from './archive-cache.js';
import { ChartRepositoryClient, displayUrl, RepositoryError } from './chart-repository.js';
import { dependencyLine, isRepositoryAlias, readDeclaration, relativeTo, type Declaration } from './declaration.js';
import {
  aliasAdvice,
  combineFailures,
  dependencyFailure,
  isNetworkFailure,
  remedy,
  type DependencyFailure,
} from './dependency-failures.js';
import type { Resolution, SourceServices } from './dependency-source.js';
import { fromDirectory } from './file-source.js';
import { fromChartRepository } from './repository-source.js';
import { fromChartsDir, presentInCharts } from './vendored-source.js';
import { constraintOf, sameVersion } from './dependency-versions.js';
import { checkLock, warnVendoredOffLock } from './lock-check.js';
import { lockDigest } from './lock-digest.js';
import { fromRegistry } from './oci-source.js';
import { withRepositoryCredentials, type RepositoryCredential } from './repository-credentials.js';
import { RunTarget, type RunCharts } from './run-target.js';

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
 *   rules, ../chart/go/version-constraints.ts), with a warning; a Chart.lock is generated for the
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
  run?: RunCharts;
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
  /**
   * For a chart whose charts/ already holds every dependency (nothing is built): warns on the
   * lock line of each vendored subchart whose version is not the locked one.
   */
  checkVendored(chart: LoadedChart, path: string): Promise<void>;
}

export function createDependencyBuilder(options: DependencyBuilderOptions): DependencyBuilder {
  const builder = new Builder(options);
  return { build: (chart, path) => builder.build(chart, path), checkVendored: (chart, path) => builder.checkVendored(chart, path) };
}

/** What Go's zero time.Time marshals to: the lock we generate carries no wall-clock time. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
const DOWNLOAD_CONCURRENCY = 4;

class Builder {
  private readonly logger: Logger;
  private readonly repositories: ChartRepositoryClient;
  private readonly cache: ArchiveCache;
  private readonly registries = new Map<boolean, RegistryClient>();
  private readonly downloads = new Map<string, Promise<LoadedChart>>();
  private readonly localCharts = new Map<string, Promise<LoadedChart>>();
  private readonly target: RunTarget;
  private readonly services: SourceServices;
  /** build() calls run one after another, so that a dependency cycle is seen, never awaited. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DependencyBuilderOptions) {
    this.logger = options.logger;
    this.cache = new ArchiveCache(options.cacheDir, options.logger);
    this.target = new RunTarget(options.workspace, options.run);
    this.repositories = new ChartRepositoryClient({
      logger: options.logger,
      credentials: options.credentials ?? [],
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      userAgent: `oci-chart-publish/${options.version ?? 'dev'}`,
      ...(options.deadline ? { deadline: options.deadline } : {}),
    });
    this.services = {
      workspace: options.workspace,
      logger: options.logger,
      cache: this.cache,
      repositories: this.repositories,
      target: this.target,
      registry: (host) => this.registry(host),
      localChart: (real, stack) => this.localChart(real, stack),
      download: (source, name, version, fetchBytes) => this.download(source, name, version, fetchBytes),
    };
  }

  build(chart: LoadedChart, path: string): Promise<LoadedChart> {
    const next = this.queue.then(async () => {
      const dir = resolve(this.options.workspace, path);
      return this.complete(chart, dir, [await realpath(dir)]);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  checkVendored(chart: LoadedChart, path: string): Promise<void> {
    if (chart.lock) {
      const ctx = readDeclaration(this.options.workspace, chart, resolve(this.options.workspace, path), []);
      warnVendoredOffLock(ctx, chart.lock, { workspace: this.options.workspace, logger: this.logger });
    }
    return Promise.resolve();
  }

  /** The chart with all its declared dependencies among its subcharts. */
  private async complete(chart: LoadedChart, dir: string, stack: string[]): Promise<LoadedChart> {
    const declared = (chart.metadata.dependencies ?? []).filter((d): d is Dependency => d !== null);
    if (declared.length === 0) return chart;
    const ctx = readDeclaration(this.options.workspace, chart, dir, stack);
    const lock = chart.lock;
    const locked = lock ? checkLock(ctx, declared, lock, { workspace: this.options.workspace, logger: this.logger }) : undefined;

    // Local charts one after another (a cycle must be met on the stack, not awaited); downloads
    // in parallel. Every dependency is tried, so that all that fail are reported together.
    const resolutions = new Array<Resolution>(declared.length);
    const failures: DependencyFailure[] = [];
    const attempt = async (i: number) => {
      const dependency = declared[i] as Dependency;
      try {
        resolutions[i] = await this.resolve(ctx, dependency, locked?.[i]);
      } catch (error) {
        failures.push({ index: i, dependency, error, line: dependencyLine(ctx, dependency) });
      }
    };
    const remote: number[] = [];
    for (const [i, dependency] of declared.entries()) {
      const kept = presentInCharts(ctx, dependency, locked?.[i]);
      if (kept) {
        this.logger.debug(`${dependency.name}: ${kept.location} (${kept.metadata.version}) satisfies it and is used as it is`);
        resolutions[i] = { dependency, version: locked?.[i] ?? kept.metadata.version, kept };
        continue;
      }
      if (this.mayBeLocal(dependency)) {
        await attempt(i);
      } else {
        remote.push(i);
      }
    }
    await mapLimit(remote, DOWNLOAD_CONCURRENCY, attempt);
    if (failures.length > 0) {
      const failureContext = {
        chartName: chart.metadata.name,
        chartDir: relativeTo(this.options.workspace, dir),
        declaredIn: ctx.declaredIn,
        declaredCount: declared.length,
      };
      const [only] = failures;
      if (failures.length === 1 && only && isNetworkFailure(only.error)) this.logger.info(remedy(failures, failureContext));
      throw combineFailures(failures, failureContext);
    }

    if (!lock && resolutions.some((r) => r.added)) {
      this.logger.warning(
        `${chart.metadata.name} has no ${ctx.lockFile.slice(ctx.lockFile.lastIndexOf('/') + 1)}: its dependencies were resolved to ` +
          `the newest matching versions (${resolutions.map((r) => `${r.dependency.name} ${r.version}`).join(', ')}); ` +
          `run "helm dependency update" and commit the lock file to publish exactly these versions every time`,
        { file: ctx.declaredIn, line: dependencyLine(ctx, undefined), title: 'Dependencies not locked' },
      );
    }
    return this.assemble(ctx, resolutions, lock);
  }

  /** Whether resolving may build a chart of the workspace (then never in parallel with another). */
  private mayBeLocal(dependency: Dependency): boolean {
    const { repository } = dependency;
    return repository === '' || repository.startsWith('file://') || this.target.names(repository, dependency.name);
  }

  private async resolve(ctx: Declaration, dependency: Dependency, locked: string | undefined): Promise<Resolution> {
    const repository = dependency.repository;
    try {
      // A range Helm cannot read is reported before anything is looked up.
      if (locked === undefined && repository !== '') constraintOf(dependency);
      if (repository === '') return fromChartsDir(this.services, ctx, dependency);
      if (repository.startsWith('file://')) return await fromDirectory(this.services, ctx, dependency, locked);
      if (repository.startsWith('oci://')) return await fromRegistry(this.services, ctx, dependency, locked);
      if (/^https?:\/\//i.test(repository)) return await fromChartRepository(this.services, ctx, dependency, locked);
    } catch (error) {
      throw this.wrap(ctx, dependency, error);
    }
    if (isRepositoryAlias(repository)) throw dependencyFailure(ctx, dependency, aliasAdvice(repository));
    throw dependencyFailure(
      ctx,
      dependency,
      `repository "${repository}" is not supported: use an https:// chart repository, an oci:// registry namespace, ` +
        'a file:// path, or leave it empty for a chart kept in charts/',
    );
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

  /** The chart with the resolutions applied: subcharts in name order, the lock, and for v1 its file. */
  private assemble(ctx: Declaration, resolutions: Resolution[], lock: Lock | null): LoadedChart {
    const { chart } = ctx;
    const kept = new Set(resolutions.flatMap((r) => (r.kept ? [r.kept] : [])));
    const replaced = new Set(resolutions.flatMap((r) => (r.added ? [r.dependency.name] : [])));
    const subcharts: LoadedChart[] = [];
    for (const sub of chart.dependencies) {
      if (replaced.has(sub.metadata.name) && !kept.has(sub)) {
        this.logger.warning(
          `${sub.location} (${sub.metadata.name} ${sub.metadata.version}) does not match what ${ctx.declaredIn} asks for; the package carries the version built instead`,
          { file: ctx.declaredIn, line: dependencyLine(ctx, sub.metadata.name) },
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
    subcharts.sort((a, b) => compareBytewise(a.metadata.name, b.metadata.name) || compareBytewise(a.metadata.version, b.metadata.version));

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

  private wrap(ctx: Declaration, dependency: Dependency, error: unknown): unknown {
    // Errors of a file:// chart point at its own files.
    if (error instanceof ChartError) return error;
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      const namespace = parseOciNamespace(dependency.repository);
      if (namespace.ok) {
        return dependencyFailure(
          ctx,
          dependency,
          `${error.message}; for a private registry add a line "oci://${namespace.registry} <username>:<password>" to the ` +
            'dependency-credentials input, or log in to it before this step (Docker or Helm registry config)',
          error,
        );
      }
    }
    if (error instanceof DomainError) return dependencyFailure(ctx, dependency, error.message, error);
    return error;
  }
}

/** Helm's walk order of two chart paths: depth first, names in byte order per directory. */
function walkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const d = compareBytewise(as[i] as string, bs[i] as string);
    if (d !== 0) return d;
  }
  return as.length - bs.length;
}
