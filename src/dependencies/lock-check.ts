import type { LoadedChart } from '../chart/chart-loader.js';
import type { Dependency, Lock } from '../chart/metadata.js';
import { parseVersion } from '../chart/go/version-constraints.js';
import { ChartError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { displayUrl } from './chart-repository.js';
import { baseName, lineOf, lockLine, relativeTo, type Declaration } from './declaration.js';
import { constraintOrUndefined, sameVersionText } from './dependency-versions.js';
import { legacyLockDigest, lockDigest } from './lock-digest.js';

/**
 * Helm's check before `helm dependency build` downloads anything: the lock's digest must be
 * the digest of the dependencies as declared now. Returns the locked version of each
 * declared dependency, by position.
 */
export function checkLock(ctx: Declaration, declared: Dependency[], lock: Lock, env: { workspace: string; logger: Logger }): string[] {
  const lockName = baseName(ctx.lockFile);
  const declaredName = baseName(ctx.declaredIn);
  const fix = `run "helm dependency update" in ${relativeTo(env.workspace, ctx.dir)} and commit ${lockName}`;
  const digest = lockDigest(ctx.chart.metadata.dependencies, lock.dependencies);
  const legacy = ctx.chart.metadata.apiVersion === 'v1' && legacyLockDigest(ctx.chart.metadata.dependencies) === lock.digest;
  if (digest !== lock.digest && !legacy) {
    throw new ChartError(
      `${lockName} is out of sync with the dependencies in ${declaredName}: it was made for other dependencies ` +
        `(its digest is ${lock.digest || 'empty'}, the dependencies now give ${digest}); ${fix}`,
      { file: ctx.lockFile, line: lineOf(ctx.text.lock, /^digest:/) },
    );
  }
  env.logger.debug(`${ctx.lockFile} is in sync with ${ctx.declaredIn} (${lock.digest}${legacy ? ', a Helm 2 digest' : ''})`);
  const entries = (lock.dependencies ?? []).filter((d): d is Dependency => d !== null);
  return declared.map((dependency, i) => {
    const entry = entries[i]?.name === dependency.name ? entries[i] : entries.find((e) => e.name === dependency.name);
    const at = { file: ctx.lockFile, line: lockLine(ctx, dependency.name) };
    if (!entry) throw new ChartError(`${lockName} has no entry for dependency "${dependency.name}"; ${fix}`, at);
    if (entry.repository !== dependency.repository) {
      throw new ChartError(
        `${lockName} locks "${dependency.name}" from ${displayUrl(entry.repository) || '(no repository)'}, but ${declaredName} now names ` +
          `${displayUrl(dependency.repository) || '(no repository)'}; ${fix}`,
        at,
      );
    }
    const range = constraintOrUndefined(dependency);
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

/**
 * For a chart packaged with the charts/ it has (nothing to build): Helm matches vendored charts
 * to dependencies by name only, so an archive of another version than the locked one is packaged
 * silently. Warns on the lock line of each.
 */
export function warnVendoredOffLock(ctx: Declaration, lock: Lock, env: { workspace: string; logger: Logger }): void {
  const { chart } = ctx;
  for (const entry of lock.dependencies ?? []) {
    // A dependency without repository is locked with its range as written: nothing to compare.
    if (!entry || entry.repository === '') continue;
    const vendored = chart.dependencies.filter((s: LoadedChart) => s.metadata.name === entry.name);
    if (vendored.length === 0 || vendored.some((s) => sameVersionText(s.metadata.version, entry.version))) continue;
    const found = vendored.map((s) => `${s.location} is version ${s.metadata.version}`).join(', ');
    env.logger.warning(
      `${found}, but ${baseName(ctx.lockFile)} locks ${entry.name} ${entry.version}. Helm packages what charts/ holds (it matches ` +
        `dependencies by name only), so the package carries ${vendored.map((s) => s.metadata.version).join(', ')}: run ` +
        `"helm dependency build" in ${relativeTo(env.workspace, ctx.dir)} and commit charts/ to package the locked version`,
      { file: ctx.lockFile, line: lockLine(ctx, entry.name), title: 'Vendored chart is not the locked version' },
    );
  }
}
