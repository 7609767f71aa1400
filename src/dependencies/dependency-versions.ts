import type { Dependency } from '../chart/metadata.js';
import {
  compareVersions,
  ConstraintError,
  parseConstraint,
  parseVersion,
  type Constraint,
  type Version,
} from '../chart/go/version-constraints.js';
import { shortenRedacted } from '../shared/secret-redactor.js';
import { RepositoryError } from './chart-repository.js';

/** The dependency's version range; a RepositoryError (worded for the dependency) when Helm cannot read it. */
export function constraintOf(dependency: Dependency): Constraint {
  try {
    return parseConstraint(dependency.version);
  } catch (error) {
    if (error instanceof ConstraintError) {
      throw new RepositoryError(
        dependency.version === ''
          ? 'it has no version: give a version or range, e.g. version: "1.2.3" or version: "1.x.x"'
          : `version "${shortenRedacted(dependency.version, 80)}" is not a version or range Helm accepts (${error.message})`,
      );
    }
    throw error;
  }
}

export function constraintOrUndefined(dependency: Dependency): Constraint | undefined {
  try {
    return parseConstraint(dependency.version);
  } catch {
    return undefined;
  }
}

/** Equal as written, or equal as versions (`1.0` and `1.0.0`). */
export function sameVersion(version: Version, text: string): boolean {
  if (version.original === text) return true;
  const other = parseVersion(text);
  return other !== undefined && compareVersions(version, other) === 0;
}

export function sameVersionText(a: string, b: string): boolean {
  const parsed = parseVersion(a);
  return parsed ? sameVersion(parsed, b) : a === b;
}
