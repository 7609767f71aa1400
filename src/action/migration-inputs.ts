import { ConstraintError, parseConstraint, type Constraint } from '../chart/go/version-constraints.js';
import { InputError } from '../shared/errors.js';
import { list } from './input-values.js';

/**
 * The inputs of the migration mode: existing chart packages pushed byte for byte instead of
 * charts packaged from the workspace. `migrate-from` names a classic chart repository (its
 * index.yaml lists the packages), `packages` globs of .tgz files in the workspace;
 * `migrate-charts` and `migrate-versions` narrow either to some charts and versions.
 */

export type MigrationSource = { kind: 'repository'; url: string } | { kind: 'packages'; patterns: string[] };

export interface MigrationInputs {
  source: MigrationSource;
  /** Chart names to migrate; every chart when empty. */
  charts: string[];
  /** A Helm version constraint the versions must satisfy; every version when absent. */
  versions: Constraint | undefined;
}

/** Undefined when neither `migrate-from` nor `packages` is set (the normal publish). */
export function readMigrationInputs(get: (name: string) => string): MigrationInputs | undefined {
  const from = get('migrate-from');
  const patterns = list(get('packages'));
  const charts = list(get('migrate-charts'));
  const versionsText = get('migrate-versions');
  if (!from && patterns.length === 0) {
    const stray = charts.length > 0 ? 'migrate-charts' : versionsText ? 'migrate-versions' : undefined;
    if (stray) throw new InputError(stray, 'only applies with migrate-from or packages: set one of them, or remove this input');
    return undefined;
  }
  if (from && patterns.length > 0) {
    throw new InputError(
      'packages',
      'cannot be combined with migrate-from: migrate a chart repository or push packages, in separate steps',
    );
  }
  // Packages are pushed as they are: nothing that would package, stamp or sign them applies.
  const conflicts: Array<[name: string, set: boolean, why: string]> = [
    ['charts', get('charts') !== '', 'existing packages are pushed, no chart directory is packaged'],
    ['version', get('version') !== '', 'existing packages are pushed byte for byte, with the version they were packaged with'],
    ['app-version', get('app-version') !== '', 'existing packages are pushed byte for byte, with the appVersion they were packaged with'],
    ['signing-key', get('signing-key') !== '', 'existing packages are pushed byte for byte, with their own .prov files'],
    ['cosign-key', get('cosign-key') !== '', 'a migration pushes packages as they are, without Sigstore signatures'],
    [
      'cosign-keyless',
      get('cosign-keyless').toLowerCase() === 'true',
      'a migration pushes packages as they are, without Sigstore signatures',
    ],
    ['attest', get('attest').toLowerCase() === 'true', 'a migration pushes packages as they are, without attestations'],
  ];
  for (const [name, set, why] of conflicts) {
    if (set) throw new InputError(name, `cannot be combined with migrate-from or packages: ${why}`);
  }
  let versions: Constraint | undefined;
  if (versionsText) {
    try {
      versions = parseConstraint(versionsText);
    } catch (error) {
      if (!(error instanceof ConstraintError)) throw error;
      throw new InputError('migrate-versions', `"${versionsText}" is not a Helm version constraint (${error.message}); e.g. ">=2.0.0"`);
    }
  }
  return { source: from ? { kind: 'repository', url: repositoryUrl(from) } : { kind: 'packages', patterns }, charts, versions };
}

/** The repository URL: http(s), and the folder when the URL of its index.yaml is given. */
function repositoryUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('migrate-from', `"${text}" is not a URL: give the chart repository's URL, e.g. https://charts.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      'migrate-from',
      `scheme "${url.protocol.slice(0, -1)}" is not supported: give the http(s) URL of a chart repository (the folder of its index.yaml)`,
    );
  }
  if (url.username || url.password) {
    // Never repeat the value: it holds a password.
    throw new InputError('migrate-from', 'must not contain credentials (user:password@): give them in dependency-credentials');
  }
  if (/\/index\.yaml$/.test(url.pathname)) url.pathname = url.pathname.slice(0, -'index.yaml'.length);
  return url.href;
}
