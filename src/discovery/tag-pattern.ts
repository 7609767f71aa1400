import { compareVersions, parseVersion, type Version } from '../chart/go/version-constraints.js';

/**
 * Release tags: `v1.4.0`, `release-2.0.0`, `mychart-1.2.3`, `mychart-v1.2`. A tag is a prefix
 * plus a version as Helm reads chart versions (Masterminds/semver, leniently: an optional `v`,
 * one to three numeric parts; ../shared/spec/helm-oci.md §1.6.3); tags with the same prefix form
 * a series ordered by SemVer precedence, so that `v1.10.0` follows `v1.9.0` (a lexical or
 * `git describe` order gets this wrong, and chart-releaser-action's "latest tag" did).
 */
export interface TagVersion {
  tag: string;
  prefix: string;
  /** The version as written in the tag, `v` included. */
  version: string;
  parsed: Version;
}

// The prefix is the shortest one (lazy) that leaves a suffix of the form
// [v]MAJOR.MINOR.PATCH[-pre][+build], so the version is the longest such suffix: "x10.0.0" is x at
// 10.0.0, and "app-1.0.0-2.0.0" is app- at 1.0.0-2.0.0 (pre-release 2.0.0). A prefix may contain
// digits and dashes that cannot start a version ("app-2-1.0.0" is app-2- at 1.0.0). Only a tag
// without such a suffix is read with one or two numeric parts ("v1.2", "chart-2"), so that three
// parts win where both readings exist. When the suffix found is not a version Helm accepts
// ("1.2.3-01"), the tag has no version: no shorter one is tried.
const FULL = /^(.*?)(v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;
const SHORT = /^(.*?)(v?\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

export function splitTag(tag: string): TagVersion | undefined {
  const match = FULL.exec(tag) ?? SHORT.exec(tag);
  if (!match) return undefined;
  const [, prefix = '', version = ''] = match;
  const parsed = parseVersion(version);
  return parsed ? { tag, prefix, version, parsed } : undefined;
}

/**
 * The highest tag of the same series below `current` in SemVer precedence, or undefined when
 * `current` opens the series. Pre-releases count: after `v2.0.0-rc.1`, `v2.0.0` compares with it.
 */
export function previousTag(current: TagVersion, tags: Iterable<string>): TagVersion | undefined {
  let best: TagVersion | undefined;
  for (const name of tags) {
    const candidate = splitTag(name);
    if (!candidate || candidate.prefix !== current.prefix) continue;
    if (compareVersions(candidate.parsed, current.parsed) >= 0) continue;
    if (!best || compareVersions(candidate.parsed, best.parsed) > 0) best = candidate;
  }
  return best;
}

/** The chart name a `<name>-<version>` tag carries, if its prefix has that form. */
export function chartNameOf(tag: TagVersion): string | undefined {
  return tag.prefix.length > 1 && tag.prefix.endsWith('-') ? tag.prefix.slice(0, -1) : undefined;
}
