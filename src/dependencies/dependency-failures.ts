import type { Dependency } from '../chart/metadata.js';
import { RegistryError } from '../oci/registry-error.js';
import { TransportError } from '../oci/transport-error.js';
import { ChartError, DomainError } from '../shared/errors.js';
import { displayUrl } from './chart-repository.js';
import { dependencyLine, type Declaration } from './declaration.js';

/** One declared dependency that could not be resolved, with the error that says why. */
export interface DependencyFailure {
  /** Position in the declared list: failures are reported in declaration order. */
  index: number;
  dependency: Dependency;
  error: unknown;
  line: number | undefined;
}

export interface FailureContext {
  chartName: string;
  /** Workspace-relative chart directory, for the remedy's command. */
  chartDir: string;
  /** Where dependencies are declared (Chart.yaml, or requirements.yaml for v1). */
  declaredIn: string;
  declaredCount: number;
}

/** How a dependency failure is introduced in its message (see the builder's `failure`). */
export function dependencyPrefix(dependency: Dependency): string {
  return `dependency ${dependencyLabel(dependency)}${dependency.repository ? ` (${displayUrl(dependency.repository)})` : ''}: `;
}

/** `"name"`, or `"name" as "alias"` for one of several entries of the same chart. */
function dependencyLabel(dependency: Dependency): string {
  return `"${dependency.name}"${dependency.alias ? ` as "${dependency.alias}"` : ''}`;
}

/**
 * Every failing dependency of a chart in one error, so that a chart with three unreachable
 * dependencies says so at once instead of one per run. Dependencies that failed for the same
 * reason (the same repository unreachable, the same refusal) share one sentence: the host and
 * the error code are said once. The error points at the first failing dependency's line; the
 * others' lines are in the text. One failure is returned as it is.
 */
export function combineFailures(failures: readonly DependencyFailure[], ctx: FailureContext): unknown {
  // A chart of the workspace that fails is one error, whichever of its dependents met it.
  const seen = new Set<unknown>();
  const sorted = [...failures]
    .sort((a, b) => a.index - b.index)
    .filter((f) => {
      if (seen.has(f.error)) return false;
      seen.add(f.error);
      return true;
    });
  const unexpected = sorted.find((f) => !(f.error instanceof DomainError));
  if (unexpected) return unexpected.error;
  const [first] = sorted;
  if (!first) return new ChartError(`no dependency failed`, { file: ctx.declaredIn });
  if (sorted.length === 1) return first.error;

  const groups = new Map<string, DependencyFailure[]>();
  for (const failure of sorted) {
    const message = (failure.error as Error).message;
    const prefix = dependencyPrefix(failure.dependency);
    // An error in another chart's files (a file:// chart of the workspace) says where it is.
    const { error } = failure;
    const location =
      error instanceof ChartError && error.file !== ctx.declaredIn ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
    const reason = location + (message.startsWith(prefix) ? message.slice(prefix.length) : message);
    groups.set(reason, [...(groups.get(reason) ?? []), failure]);
  }
  const file = ctx.declaredIn.slice(ctx.declaredIn.lastIndexOf('/') + 1);
  const parts = [...groups].map(([reason, members]) => {
    const names = members.map((m) => dependencyLabel(m.dependency)).join(', ');
    const repositories = [...new Set(members.map((m) => displayUrl(m.dependency.repository) || '(no repository)'))].join(', ');
    const lines = members.flatMap((m) => (m.line !== undefined ? [m.line] : []));
    const where = lines.length > 0 ? `, ${file} line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}` : '';
    return `${names} (${repositories}${where}): ${reason}`;
  });
  return new ChartError(
    `${sorted.length} of the ${ctx.declaredCount} dependencies of ${ctx.chartName} cannot be built: ${parts.join('; ')}. ${remedy(sorted, ctx)}`,
    { file: ctx.declaredIn, line: first.line },
    { cause: first.error },
  );
}

/** What to do when dependencies cannot be fetched, in the order a user would try it. */
export function remedy(failures: readonly DependencyFailure[], ctx: FailureContext): string {
  const vendor =
    `To package without downloading, vendor them: run "helm dependency build" in ${ctx.chartDir} and commit charts/*.tgz ` +
    '(a dependency already in charts/ is used as it is)';
  const network = failures.some((f) => isNetworkFailure(f.error));
  const refused = failures.some((f) => hasStatus(f.error, [401, 403]));
  const advice = [vendor];
  if (network) advice.push("if they should be reachable, check the runner's network and proxy settings");
  if (refused || network) advice.push('give the credentials of private repositories in the dependency-credentials input');
  return `${advice.join('; ')}.`;
}

/** A failure to reach the server at all (no HTTP answer), anywhere along the cause chain. */
export function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof TransportError && e.status === undefined) return true;
    if (e instanceof RegistryError && e.status === undefined && e.codes.length === 0 && e.cause !== undefined) return true;
  }
  return false;
}

function hasStatus(error: unknown, statuses: number[]): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number' && statuses.includes(status)) return true;
  }
  return false;
}

/** A failure about one dependency, pointing at its declaration. */
export function dependencyFailure(ctx: Declaration, dependency: Dependency, message: string, cause?: unknown): ChartError {
  return new ChartError(
    `${dependencyPrefix(dependency)}${message}`,
    { file: ctx.declaredIn, line: dependencyLine(ctx, dependency) },
    cause === undefined ? undefined : { cause },
  );
}

/** What to write instead of a repository alias (`@name`, `alias:name`): its URL, the one the lock records when known. */
export function aliasAdvice(repository: string, recorded?: { lockFile: string; url: string }): string {
  return (
    `"${repository}" names a repository added with "helm repo add"; write its URL instead ` +
    (recorded
      ? `(${recorded.lockFile} records ${displayUrl(recorded.url)})`
      : '(e.g. https://charts.example.com or oci://registry.example.com/charts)') +
    ': dependencies are fetched straight from their URLs'
  );
}
