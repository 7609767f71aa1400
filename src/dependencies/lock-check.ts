import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency, Lock } from '../chart/metadata.js';
import { ChartError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { displayUrl } from './chart-repository.js';
import { baseName, isRepositoryAlias, lineOf, lockLine, occurrence, relativeTo, type Declaration } from './declaration.js';
import { aliasAdvice, dependencyFailure } from './dependency-failures.js';
import { sameVersionText } from './dependency-versions.js';
import { legacyLockDigest, lockDigest } from './lock-digest.js';

/**
 * Helm's check before `helm dependency build` downloads anything: the lock's digest must be
 * the digest of the dependencies as declared now. Returns the locked version of each
 * declared dependency, by position. Like Helm, a lock in sync is used as it is, even where its
 * version is outside the declared range: a lock written by Helm 2, whose `^0.13.0` reached up
 * to 1.0.0, is built by Helm 3 from its locked versions.
 *
 * Helm resolves a repository alias (`@name`, `alias:name`) to the URL `helm repo add` gave it
 * before it computes the digest, so such a lock never matches the text as declared; this
 * action does not read Helm's repository list, and says to write the URL the lock records.
 */
export function checkLock(ctx: Declaration, declared: Dependency[], lock: Lock, env: { workspace: string; logger: Logger }): string[] {
  const lockName = baseName(ctx.lockFile);
  const declaredName = baseName(ctx.declaredIn);
  const fix = `run "helm dependency update" in ${relativeTo(env.workspace, ctx.dir)} and commit ${lockName}`;
  const digest = lockDigest(ctx.chart.metadata.dependencies, lock.dependencies);
  const legacy = ctx.chart.metadata.apiVersion === 'v1' && legacyLockDigest(ctx.chart.metadata.dependencies) === lock.digest;
  if (digest !== lock.digest && !legacy) {
    const aliased = declared.find((d) => isRepositoryAlias(d.repository));
    if (aliased) throw aliasError(ctx, aliased, lock, declared.indexOf(aliased));
    throw new ChartError(
      `${lockName} is out of sync with the dependencies in ${declaredName}: it was made for other dependencies ` +
        `(its digest is ${lock.digest || 'empty'}, the dependencies now give ${digest}); ${fix}`,
      { file: ctx.lockFile, line: lineOf(ctx.text.lock, /^digest:/) },
    );
  }
  env.logger.debug(`${ctx.lockFile} is in sync with ${ctx.declaredIn} (${lock.digest}${legacy ? ', a Helm 2 digest' : ''})`);
  return declared.map((dependency, i) => {
    const entry = lockEntry(lock, dependency, i);
    const at = { file: ctx.lockFile, line: lockLine(ctx, dependency.name, occurrence(declared, dependency)) };
    if (!entry) throw new ChartError(`${lockName} has no entry for dependency "${dependency.name}"; ${fix}`, at);
    if (entry.repository !== dependency.repository && isRepositoryAlias(dependency.repository)) throw aliasError(ctx, dependency, lock, i);
    if (entry.repository !== dependency.repository) {
      throw new ChartError(
        `${lockName} locks "${dependency.name}" from ${displayUrl(entry.repository) || '(no repository)'}, but ${declaredName} now names ` +
          `${displayUrl(dependency.repository) || '(no repository)'}; ${fix}`,
        at,
      );
    }
    return entry.version;
  });
}

/** A dependency named by repository alias, with the URL its lock entry records when it has one. */
function aliasError(ctx: Declaration, dependency: Dependency, lock: Lock, index: number): ChartError {
  const entry = lockEntry(lock, dependency, index);
  const url = entry && entry.repository !== '' && !isRepositoryAlias(entry.repository) ? entry.repository : undefined;
  return dependencyFailure(
    ctx,
    dependency,
    aliasAdvice(dependency.repository, url ? { lockFile: baseName(ctx.lockFile), url } : undefined),
  );
}

/** The lock's entry for the dependency declared at `index`: the entry there, else the first of its name. */
function lockEntry(lock: Lock, dependency: Dependency, index: number): Dependency | undefined {
  const entries = (lock.dependencies ?? []).filter((d): d is Dependency => d !== null);
  return entries[index]?.name === dependency.name ? entries[index] : entries.find((e) => e.name === dependency.name);
}

/**
 * For a chart packaged with the charts/ it has (nothing to build): Helm matches vendored charts
 * to dependencies by name only, so an archive of another version than the locked one is packaged
 * silently. Warns on the lock line of each.
 */
export function warnVendoredOffLock(ctx: Declaration, lock: Lock, env: { workspace: string; logger: Logger }): void {
  const { chart } = ctx;
  const entries = lock.dependencies ?? [];
  for (const entry of entries) {
    // A dependency without repository is locked with its range as written: nothing to compare.
    if (!entry || entry.repository === '') continue;
    const vendored = chart.dependencies.filter((s: LoadedChart) => s.metadata.name === entry.name);
    if (vendored.length === 0 || vendored.some((s) => sameVersionText(s.metadata.version, entry.version))) continue;
    const found = vendored.map((s) => `${s.location} is version ${s.metadata.version}`).join(', ');
    env.logger.warning(
      `${found}, but ${baseName(ctx.lockFile)} locks ${entry.name} ${entry.version}. Helm packages what charts/ holds (it matches ` +
        `dependencies by name only), so the package carries ${vendored.map((s) => s.metadata.version).join(', ')}: run ` +
        `"helm dependency build" in ${relativeTo(env.workspace, ctx.dir)} and commit charts/ to package the locked version`,
      {
        file: ctx.lockFile,
        line: lockLine(ctx, entry.name, occurrence(entries, entry)),
        title: 'Vendored chart is not the locked version',
      },
    );
  }
}
