import { InputError } from '../shared/errors.js';
import { shortenRedacted } from '../shared/secret-redactor.js';
import type { LoadedChart } from './chart-loader.js';
import { ociTag, validateMetadata } from './metadata.js';
import { parseVersion } from './go/version-constraints.js';

/**
 * `helm package --version` and `--app-version` (../shared/spec/helm-oci.md §1.1 steps 3 and 4),
 * as the `version` and `app-version` inputs: applied in memory to a chart that loaded (so the
 * Chart.yaml as written was validated first, as Helm does: a placeholder must itself be a
 * version, e.g. cert-manager's `v0.0.0`), before the publishing checks. The packaged Chart.yaml,
 * the file name, the tag and the config blob all carry the new values; the workspace is untouched.
 */
export interface VersionOverrides {
  version?: string;
  appVersion?: string;
}

/**
 * The inputs as given (trimmed; empty means no override). The version must be one Helm accepts,
 * as `helm package --version` requires; the app version is free text, as in Helm.
 */
export function versionOverrides(version: string, appVersion: string): VersionOverrides {
  if (version !== '' && !parseVersion(version)) {
    const hint = /^refs\/tags\//.test(version) ? ' (give the tag name, e.g. ${{ github.ref_name }}, not the full ref)' : '';
    throw new InputError(
      'version',
      `"${quoted(version)}" is not a chart version Helm accepts: expected e.g. 1.2.3, v1.2.3 or 1.2.3-rc.1${hint}`,
    );
  }
  if (ociTag(version).length > 128) {
    throw new InputError(
      'version',
      `"${quoted(version)}" (${version.length} characters) is longer than the 128 characters an OCI tag allows`,
    );
  }
  return { ...(version !== '' ? { version } : {}), ...(appVersion !== '' ? { appVersion } : {}) };
}

function hasOverrides(overrides: VersionOverrides | undefined): overrides is VersionOverrides {
  return overrides?.version !== undefined || overrides?.appVersion !== undefined;
}

export function applyOverrides(chart: LoadedChart, overrides: VersionOverrides | undefined): LoadedChart {
  if (!hasOverrides(overrides)) return chart;
  const metadata = { ...chart.metadata };
  // The values are strings from an input now: Chart.yaml's YAML typing no longer applies.
  const valueKinds = new Map(chart.source.valueKinds);
  if (overrides.version !== undefined) {
    metadata.version = overrides.version;
    valueKinds.set('version', 'string');
  }
  if (overrides.appVersion !== undefined) {
    metadata.appVersion = overrides.appVersion;
    valueKinds.set('appVersion', 'string');
  }
  const source = { ...chart.source, valueKinds };
  // Helm validates (and sanitises) again when it saves the archive.
  validateMetadata(metadata, source);
  return { ...chart, metadata, source };
}

/** The input as quoted in a message: shortened, so that the reason after it stays visible. */
function quoted(version: string): string {
  return shortenRedacted(version, 200);
}
