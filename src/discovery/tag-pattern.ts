import semver from 'semver';
import { isStrictSemver } from '../chart/metadata.js';

/**
 * Release tags: `v1.4.0`, `release-2.0.0`, `mychart-1.2.3`. A tag is a prefix plus a SemVer 2
 * version; tags with the same prefix form a series ordered by SemVer precedence, so that
 * `v1.10.0` follows `v1.9.0` (a lexical or `git describe` order gets this wrong, and
 * chart-releaser-action's "latest tag" did).
 */
export interface TagVersion {
  tag: string;
  prefix: string;
  version: string;
}

// The prefix is the shortest one (lazy) that leaves a suffix of the form
// MAJOR.MINOR.PATCH[-pre][+build], so the version is the longest such suffix: "x10.0.0" is x at
// 10.0.0, and "app-1.0.0-2.0.0" is app- at 1.0.0-2.0.0 (pre-release 2.0.0). A prefix may contain
// digits and dashes that cannot start a version ("app-2-1.0.0" is app-2- at 1.0.0). When that
// longest suffix is not strict SemVer ("v01.2.3"), the tag has no version: no shorter one is tried.
const VERSIONED = /^(.*?)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

export function splitTag(tag: string): TagVersion | undefined {
  const match = VERSIONED.exec(tag);
  if (!match) return undefined;
  const [, prefix = '', version = ''] = match;
  return isStrictSemver(version) ? { tag, prefix, version } : undefined;
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
    if (semver.compare(candidate.version, current.version) >= 0) continue;
    if (!best || semver.compare(candidate.version, best.version) > 0) best = candidate;
  }
  return best;
}

/** The chart name a `<name>-<version>` tag carries, if its prefix has that form. */
export function chartNameOf(tag: TagVersion): string | undefined {
  return tag.prefix.length > 1 && tag.prefix.endsWith('-') ? tag.prefix.slice(0, -1) : undefined;
}
